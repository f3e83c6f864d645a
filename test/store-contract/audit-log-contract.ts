// The audit log's contract (AuditLog in server/store/ports.ts): append-only, gap-free entries,
// newest first. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { AuditEntry } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import type { AuditDraft } from '../../server/store/store.js';
import { range, uid } from './fixtures.js';

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

export function describeAuditLogContract(getStore: () => Stores): void {
  describe('auditLog port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('audit log', function () {
      async function appendAudits(g: string, n: number): Promise<AuditEntry[]> {
        const out: AuditEntry[] = [];
        for (let i = 1; i <= n; i++)
          out.push(await store.auditLog.appendAudit(g, auditDraft(g, 'mute', { targetUserId: uid('u'), value: i })));
        return out;
      }
      const auditSeqs = (entries: AuditEntry[]) => entries.map((e) => e.seq);

      it("appendAudit numbers a group's entries 1, 2, 3 … and returns each entry with its seq", async function () {
        const g = uid('g');
        const d = auditDraft(g, 'lock');
        expect(await store.auditLog.appendAudit(g, d)).to.deep.equal({ seq: 1, ...d });
        expect(auditSeqs(await appendAudits(g, 4))).to.deep.equal([2, 3, 4, 5]);
      });

      it('audit lists newest first, limit caps the page, and hasMore is true exactly when older entries remain', async function () {
        const g = uid('g');
        const all = await appendAudits(g, 5);
        const newestFirst = [...all].reverse();
        expect(await store.auditLog.audit(g, { limit: 2 })).to.deep.equal({ entries: newestFirst.slice(0, 2), hasMore: true });
        expect(await store.auditLog.audit(g, { limit: 4 })).to.deep.equal({ entries: newestFirst.slice(0, 4), hasMore: true });
        expect(await store.auditLog.audit(g, { limit: 5 })).to.deep.equal({ entries: newestFirst, hasMore: false });
        expect(await store.auditLog.audit(g, { limit: 50 })).to.deep.equal({ entries: newestFirst, hasMore: false });
      });

      it('beforeSeq pages back without gaps or overlaps, ending with hasMore false', async function () {
        const g = uid('g');
        const all = await appendAudits(g, 7);
        const p1 = await store.auditLog.audit(g, { limit: 3 });
        expect([auditSeqs(p1.entries), p1.hasMore]).to.deep.equal([[7, 6, 5], true]);
        const p2 = await store.auditLog.audit(g, { beforeSeq: p1.entries.at(-1)!.seq, limit: 3 });
        expect([auditSeqs(p2.entries), p2.hasMore]).to.deep.equal([[4, 3, 2], true]);
        const p3 = await store.auditLog.audit(g, { beforeSeq: p2.entries.at(-1)!.seq, limit: 3 });
        expect([auditSeqs(p3.entries), p3.hasMore]).to.deep.equal([[1], false]);
        expect([...p1.entries, ...p2.entries, ...p3.entries]).to.deep.equal([...all].reverse());
        expect(await store.auditLog.audit(g, { beforeSeq: 4, limit: 3 })).to.deep.equal({
          entries: all.slice(0, 3).reverse(),
          hasMore: false,
        });
        expect(await store.auditLog.audit(g, { beforeSeq: 1, limit: 3 })).to.deep.equal({ entries: [], hasMore: false });
      });

      it('beforeSeq past the newest entry behaves like the newest page', async function () {
        const g = uid('g');
        const all = await appendAudits(g, 5);
        expect(await store.auditLog.audit(g, { beforeSeq: 1000, limit: 3 })).to.deep.equal({
          entries: all.slice(2).reverse(),
          hasMore: true,
        });
        expect(await store.auditLog.audit(g, { beforeSeq: 6, limit: 10 })).to.deep.equal({ entries: [...all].reverse(), hasMore: false });
      });

      it('a group without entries has none and no more', async function () {
        expect(await store.auditLog.audit(uid('g'), { limit: 50 })).to.deep.equal({ entries: [], hasMore: false });
        expect(await store.auditLog.audit(uid('g'), { beforeSeq: 10, limit: 50 })).to.deep.equal({ entries: [], hasMore: false });
        expect(await store.auditLog.audit(uid('g'), { beforeSeq: 10, limit: 3 })).to.deep.equal({ entries: [], hasMore: false });
      });

      it('50 concurrent appends get seqs 1..50 once each, and the log lists each entry once', async function () {
        const g = uid('g');
        const drafts = range(1, 50).map((i) => auditDraft(g, 'slowmode', { value: i }));
        const acks = await Promise.all(drafts.map((d) => store.auditLog.appendAudit(g, d)));
        expect(acks.map((a) => a.seq).sort((a, b) => a - b)).to.deep.equal(range(1, 50));
        acks.forEach((a, i) => expect(a).to.deep.equal({ seq: a.seq, ...drafts[i]! }));
        const page = await store.auditLog.audit(g, { limit: 100 });
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
        await store.auditLog.appendAudit(g, full);
        await store.auditLog.appendAudit(g, bare);
        expect((await store.auditLog.audit(g, { limit: 10 })).entries).to.deep.equal([
          { seq: 2, ...bare },
          { seq: 1, ...full },
        ]);
      });

      it('each group has its own log and its own seqs', async function () {
        const [g1, g2] = [uid('g'), uid('g')];
        await appendAudits(g1, 3);
        const only = await store.auditLog.appendAudit(g2, auditDraft(g2, 'pin', { messageId: uid('m') }));
        expect(only.seq).to.equal(1);
        expect((await store.auditLog.audit(g2, { limit: 10 })).entries).to.deep.equal([only]);
        expect(auditSeqs((await store.auditLog.audit(g1, { limit: 10 })).entries)).to.deep.equal([3, 2, 1]);
      });

      it('is append-only: appendAudit and audit are the only audit verbs', async function () {
        const verbs = new Set<string>();
        for (let p = Object.getPrototypeOf(store.auditLog); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
          for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') verbs.add(name);
        }
        expect([...verbs].sort()).to.deep.equal(['appendAudit', 'audit']);
      });

      it('mutating an appended or listed entry does not change what is stored', async function () {
        const g = uid('g');
        const d = auditDraft(g, 'mute', { targetUserId: uid('u'), value: 10 });
        const pristine = { seq: 1, ...structuredClone(d) };
        const ack = await store.auditLog.appendAudit(g, d);
        ack.value = 99;
        ack.actor.name = 'changed';
        const listed = (await store.auditLog.audit(g, { limit: 10 })).entries[0]!;
        listed.reason = 'changed';
        listed.actor.role = 'admin';
        expect((await store.auditLog.audit(g, { limit: 10 })).entries).to.deep.equal([pristine]);
      });
    });
  });
}
