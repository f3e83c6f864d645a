// The audit log and the report queue of the `Store` contract: append-only, gap-free audit
// entries, and deduplicated, resolvable reports. Called from describeStoreContract (contract.ts).
import { expect } from 'chai';
import type { AuditEntry, QueuedReport } from '../../shared/index.js';
import type { AuditDraft, Store } from '../../server/store/store.js';
import { range, uid } from './contract.js';

/** An audit entry as the moderation service builds it (the store assigns `seq`). */
function auditDraft(groupId: string, action: AuditDraft['action'], extra: Partial<AuditDraft> = {}): AuditDraft {
  return {
    groupId,
    at: Date.now(),
    actor: { id: uid('u'), name: 'Dana', role: 'facilitator' },
    action,
    ...extra,
  };
}

/** A member's report of a group message, open. */
function reportOf(groupId: string, opts: Partial<QueuedReport> = {}): QueuedReport {
  return {
    id: uid('r'),
    groupId,
    kind: 'report',
    conversation: { kind: 'group', id: groupId },
    messageId: uid('m'),
    userId: uid('u'),
    reporterId: uid('u'),
    reason: 'harassment',
    note: 'keeps messaging me after I asked them to stop',
    createdAt: Date.now(),
    status: 'open',
    ...opts,
  };
}

/** A crisis alert raised by the safety check: no reporter, reason or note. */
function crisisAlertOf(groupId: string, createdAt = Date.now()): QueuedReport {
  return {
    id: uid('r'),
    groupId,
    kind: 'crisis',
    conversation: { kind: 'group', id: groupId },
    messageId: uid('m'),
    userId: uid('u'),
    createdAt,
    status: 'open',
  };
}

export function describeAuditAndReportsContract(getStore: () => Store): void {
  let store: Store;

  before(function () {
    store = getStore();
  });

  describe('audit log', function () {
    async function appendAudits(g: string, n: number): Promise<AuditEntry[]> {
      const out: AuditEntry[] = [];
      for (let i = 1; i <= n; i++) out.push(await store.appendAudit(g, auditDraft(g, 'mute', { targetUserId: uid('u'), value: i })));
      return out;
    }
    const auditSeqs = (entries: AuditEntry[]) => entries.map((e) => e.seq);

    it('appendAudit numbers a group\'s entries 1, 2, 3 … and returns each entry with its seq', async function () {
      const g = uid('g');
      const d = auditDraft(g, 'lock');
      expect(await store.appendAudit(g, d)).to.deep.equal({ seq: 1, ...d });
      expect(auditSeqs(await appendAudits(g, 4))).to.deep.equal([2, 3, 4, 5]);
    });

    it('audit lists newest first, limit caps the page, and hasMore is true exactly when older entries remain', async function () {
      const g = uid('g');
      const all = await appendAudits(g, 5);
      const newestFirst = [...all].reverse();
      expect(await store.audit(g, { limit: 2 })).to.deep.equal({ entries: newestFirst.slice(0, 2), hasMore: true });
      expect(await store.audit(g, { limit: 4 })).to.deep.equal({ entries: newestFirst.slice(0, 4), hasMore: true });
      expect(await store.audit(g, { limit: 5 })).to.deep.equal({ entries: newestFirst, hasMore: false });
      expect(await store.audit(g, { limit: 50 })).to.deep.equal({ entries: newestFirst, hasMore: false });
    });

    it('beforeSeq pages back without gaps or overlaps, ending with hasMore false', async function () {
      const g = uid('g');
      const all = await appendAudits(g, 7);
      const p1 = await store.audit(g, { limit: 3 });
      expect([auditSeqs(p1.entries), p1.hasMore]).to.deep.equal([[7, 6, 5], true]);
      const p2 = await store.audit(g, { beforeSeq: p1.entries.at(-1)!.seq, limit: 3 });
      expect([auditSeqs(p2.entries), p2.hasMore]).to.deep.equal([[4, 3, 2], true]);
      const p3 = await store.audit(g, { beforeSeq: p2.entries.at(-1)!.seq, limit: 3 });
      expect([auditSeqs(p3.entries), p3.hasMore]).to.deep.equal([[1], false]);
      expect([...p1.entries, ...p2.entries, ...p3.entries]).to.deep.equal([...all].reverse());
      expect(await store.audit(g, { beforeSeq: 4, limit: 3 })).to.deep.equal({ entries: all.slice(0, 3).reverse(), hasMore: false });
      expect(await store.audit(g, { beforeSeq: 1, limit: 3 })).to.deep.equal({ entries: [], hasMore: false });
    });

    it('beforeSeq past the newest entry behaves like the newest page', async function () {
      const g = uid('g');
      const all = await appendAudits(g, 5);
      expect(await store.audit(g, { beforeSeq: 1000, limit: 3 })).to.deep.equal({ entries: all.slice(2).reverse(), hasMore: true });
      expect(await store.audit(g, { beforeSeq: 6, limit: 10 })).to.deep.equal({ entries: [...all].reverse(), hasMore: false });
    });

    it('a group without entries has none and no more', async function () {
      expect(await store.audit(uid('g'), { limit: 50 })).to.deep.equal({ entries: [], hasMore: false });
      expect(await store.audit(uid('g'), { beforeSeq: 10, limit: 50 })).to.deep.equal({ entries: [], hasMore: false });
      expect(await store.audit(uid('g'), { beforeSeq: 10, limit: 3 })).to.deep.equal({ entries: [], hasMore: false });
    });

    it('50 concurrent appends get seqs 1..50 once each, and the log lists each entry once', async function () {
      const g = uid('g');
      const drafts = range(1, 50).map((i) => auditDraft(g, 'slowmode', { value: i }));
      const acks = await Promise.all(drafts.map((d) => store.appendAudit(g, d)));
      expect(acks.map((a) => a.seq).sort((a, b) => a - b)).to.deep.equal(range(1, 50));
      acks.forEach((a, i) => expect(a).to.deep.equal({ seq: a.seq, ...drafts[i]! }));
      const page = await store.audit(g, { limit: 100 });
      expect(page.hasMore).to.equal(false);
      expect(auditSeqs(page.entries)).to.deep.equal(range(1, 50).reverse());
      const bySeq = new Map(acks.map((a) => [a.seq, a]));
      for (const e of page.entries) expect(e).to.deep.equal(bySeq.get(e.seq));
    });

    it('entries come back exactly as appended, optional fields included, plus their seq', async function () {
      const g = uid('g');
      const full = auditDraft(g, 'ban', {
        actor: { id: uid('u'), name: 'Dr. Ortiz "Doc" / admin ✨', role: 'admin' },
        targetUserId: uid('u'),
        messageId: uid('m'),
        reportId: uid('r'),
        reason: 'repeated harassment after warnings — see report 🙏\nsecond line',
        value: 1440,
        at: 1_700_000_000_123,
      });
      const bare = auditDraft(g, 'unlock');
      await store.appendAudit(g, full);
      await store.appendAudit(g, bare);
      expect((await store.audit(g, { limit: 10 })).entries).to.deep.equal([{ seq: 2, ...bare }, { seq: 1, ...full }]);
    });

    it('each group has its own log and its own seqs', async function () {
      const [g1, g2] = [uid('g'), uid('g')];
      await appendAudits(g1, 3);
      const only = await store.appendAudit(g2, auditDraft(g2, 'pin', { messageId: uid('m') }));
      expect(only.seq).to.equal(1);
      expect((await store.audit(g2, { limit: 10 })).entries).to.deep.equal([only]);
      expect(auditSeqs((await store.audit(g1, { limit: 10 })).entries)).to.deep.equal([3, 2, 1]);
    });

    it('is append-only: appendAudit and audit are the only audit verbs', async function () {
      const verbs = new Set<string>();
      for (let p = Object.getPrototypeOf(store); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
        for (const name of Object.getOwnPropertyNames(p)) if (/audit/i.test(name)) verbs.add(name);
      }
      expect([...verbs].sort()).to.deep.equal(['appendAudit', 'audit']);
    });

    it('mutating an appended or listed entry does not change what is stored', async function () {
      const g = uid('g');
      const d = auditDraft(g, 'mute', { targetUserId: uid('u'), value: 10 });
      const pristine = { seq: 1, ...structuredClone(d) };
      const ack = await store.appendAudit(g, d);
      ack.value = 99;
      ack.actor.name = 'changed';
      const listed = (await store.audit(g, { limit: 10 })).entries[0]!;
      listed.reason = 'changed';
      listed.actor.role = 'admin';
      expect((await store.audit(g, { limit: 10 })).entries).to.deep.equal([pristine]);
    });
  });

  describe('report queue', function () {
    it('fileReport queues the report as given, and reports() lists it as open', async function () {
      const g = uid('g');
      const r = reportOf(g);
      expect(await store.fileReport(r, `k:${r.messageId}`)).to.deep.equal({ report: r, duplicate: false });
      expect(await store.reports(g, 'open')).to.deep.equal([r]);
      expect(await store.reports(g, 'all')).to.deep.equal([r]);
    });

    it('the same dedupeKey returns the first report with duplicate: true, even with another reason and note', async function () {
      const g = uid('g');
      const first = reportOf(g);
      await store.fileReport(first, 'same-key');
      const again = reportOf(g, { messageId: first.messageId, reason: 'spam', note: 'something else entirely' });
      expect(await store.fileReport(again, 'same-key')).to.deep.equal({ report: first, duplicate: true });
      expect(await store.reports(g, 'all')).to.deep.equal([first]);
    });

    it('of 20 concurrent files with the same dedupeKey exactly one is stored, and every answer is that one', async function () {
      const g = uid('g');
      const attempts = range(1, 20).map((i) => reportOf(g, { note: `attempt ${i}` }));
      const answers = await Promise.all(attempts.map((r) => store.fileReport(r, 'race')));
      const originals = answers.filter((a) => !a.duplicate);
      expect(originals).to.have.length(1);
      const stored = originals[0]!.report;
      for (const a of answers) expect(a.report).to.deep.equal(stored);
      expect(await store.reports(g, 'all')).to.deep.equal([stored]);
    });

    it('reports are listed oldest first, member reports and crisis alerts alike', async function () {
      const g = uid('g');
      const base = Date.now();
      const queued = [reportOf(g, { createdAt: base }), crisisAlertOf(g, base + 1), reportOf(g, { createdAt: base + 2, reason: 'privacy' })];
      for (const [i, r] of queued.entries()) expect((await store.fileReport(r, `key-${i}`)).duplicate).to.equal(false);
      expect(await store.reports(g, 'open')).to.deep.equal(queued);
    });

    it('resolveReport returns the report resolved by whom and when; open leaves it out and all keeps it in place', async function () {
      const g = uid('g');
      const [a, b, c] = [reportOf(g), crisisAlertOf(g), reportOf(g)];
      for (const r of [a, b, c]) await store.fileReport(r, r.id);
      const by = uid('u');
      const at = Date.now();
      const resolved = { ...b, status: 'resolved' as const, resolvedBy: by, resolvedAt: at };
      expect(await store.resolveReport(g, b.id, by, at)).to.deep.equal(resolved);
      expect(await store.reports(g, 'open')).to.deep.equal([a, c]);
      expect(await store.reports(g, 'all')).to.deep.equal([a, resolved, c]);
    });

    it('resolving twice keeps the first resolver and time', async function () {
      const g = uid('g');
      const r = reportOf(g);
      await store.fileReport(r, r.id);
      const [first, second] = [uid('u'), uid('u')];
      const at = Date.now();
      const resolved = { ...r, status: 'resolved' as const, resolvedBy: first, resolvedAt: at };
      expect(await store.resolveReport(g, r.id, first, at)).to.deep.equal(resolved);
      expect(await store.resolveReport(g, r.id, second, at + 5000)).to.deep.equal(resolved);
      expect(await store.reports(g, 'all')).to.deep.equal([resolved]);
    });

    it('resolveReport returns null for an unknown id or a report of another group, and resolves nothing', async function () {
      const g = uid('g');
      const r = reportOf(g);
      await store.fileReport(r, r.id);
      expect(await store.resolveReport(g, uid('r'), uid('u'), Date.now())).to.equal(null);
      expect(await store.resolveReport(uid('g'), r.id, uid('u'), Date.now())).to.equal(null);
      expect(await store.reports(g, 'open')).to.deep.equal([r]);
    });

    it('each group has its own queue, and the same dedupeKey in another group is a new report', async function () {
      const [g1, g2] = [uid('g'), uid('g')];
      const [r1, r2] = [reportOf(g1), reportOf(g2)];
      expect((await store.fileReport(r1, 'shared-key')).duplicate).to.equal(false);
      expect(await store.fileReport(r2, 'shared-key')).to.deep.equal({ report: r2, duplicate: false });
      expect(await store.reports(g1, 'all')).to.deep.equal([r1]);
      expect(await store.reports(g2, 'all')).to.deep.equal([r2]);
      expect(await store.reports(uid('g'), 'all')).to.deep.equal([]);
    });

    it('forgetReportNotes drops the notes of the reports one person filed in a group, open or resolved, and nothing else', async function () {
      const g = uid('g');
      const [sam, kim] = [uid('u'), uid('u')];
      const [open, resolved, bare, kims, elsewhere] = [
        reportOf(g, { reporterId: sam }), reportOf(g, { reporterId: sam }), reportOf(g, { reporterId: sam, note: undefined }), reportOf(g, { reporterId: kim, userId: sam }),
        reportOf(uid('g'), { reporterId: sam }),
      ];
      delete bare.note;
      for (const r of [open, resolved, bare, kims, elsewhere]) await store.fileReport(r, r.id);
      await store.resolveReport(g, resolved.id, kim, 1000);
      await store.forgetReportNotes(g, sam);
      const withoutNote = ({ note: _note, ...rest }: QueuedReport) => rest;
      expect(await store.reports(g, 'all')).to.deep.equal([
        withoutNote(open), { ...withoutNote(resolved), status: 'resolved', resolvedBy: kim, resolvedAt: 1000 }, bare, kims,
      ]);
      expect(await store.reports(elsewhere.groupId, 'all'), 'another group is another call').to.deep.equal([elsewhere]);
      await store.forgetReportNotes(uid('g'), sam);
    });

    it('mutating a filed, listed or resolved report does not change what is stored', async function () {
      const g = uid('g');
      const r = reportOf(g);
      const pristine = structuredClone(r);
      (await store.fileReport(r, r.id)).report.note = 'changed';
      r.note = 'changed';
      (await store.reports(g, 'open'))[0]!.status = 'resolved';
      (await store.fileReport(reportOf(g), r.id)).report.reason = 'spam';
      expect(await store.reports(g, 'all')).to.deep.equal([pristine]);
      const resolved = (await store.resolveReport(g, r.id, uid('u'), Date.now()))!;
      const expected = structuredClone(resolved);
      resolved.resolvedBy = 'changed';
      expect(await store.reports(g, 'all')).to.deep.equal([expected]);
    });
  });
}
