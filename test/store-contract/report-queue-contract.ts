// The report queue's contract (ReportQueue in server/store/ports.ts): each group's reports,
// deduplicated and resolved once. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { QueuedReport } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

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

export function describeReportQueueContract(getStore: () => Stores): void {
  describe('reportQueue port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('report queue', function () {
      it('fileReport queues the report as given, and reports() lists it as open', async function () {
        const g = uid('g');
        const r = reportOf(g);
        expect(await store.reportQueue.fileReport(r, `k:${r.messageId}`)).to.deep.equal({ report: r, duplicate: false });
        expect(await store.reportQueue.reports(g, 'open')).to.deep.equal([r]);
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([r]);
      });

      it('the same dedupeKey returns the first report with duplicate: true, even with another reason and note', async function () {
        const g = uid('g');
        const first = reportOf(g);
        await store.reportQueue.fileReport(first, 'same-key');
        const again = reportOf(g, { messageId: first.messageId, reason: 'spam', note: 'something else entirely' });
        expect(await store.reportQueue.fileReport(again, 'same-key')).to.deep.equal({ report: first, duplicate: true });
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([first]);
      });

      it('of 20 concurrent files with the same dedupeKey exactly one is stored, and every answer is that one', async function () {
        const g = uid('g');
        const attempts = range(1, 20).map((i) => reportOf(g, { note: `attempt ${i}` }));
        const answers = await Promise.all(attempts.map((r) => store.reportQueue.fileReport(r, 'race')));
        const originals = answers.filter((a) => !a.duplicate);
        expect(originals).to.have.length(1);
        const stored = originals[0]!.report;
        for (const a of answers) expect(a.report).to.deep.equal(stored);
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([stored]);
      });

      it('reports are listed oldest first, member reports and crisis alerts alike', async function () {
        const g = uid('g');
        const base = Date.now();
        const queued = [
          reportOf(g, { createdAt: base }),
          crisisAlertOf(g, base + 1),
          reportOf(g, { createdAt: base + 2, reason: 'privacy' }),
        ];
        for (const [i, r] of queued.entries()) expect((await store.reportQueue.fileReport(r, `key-${i}`)).duplicate).to.equal(false);
        expect(await store.reportQueue.reports(g, 'open')).to.deep.equal(queued);
      });

      it('resolveReport returns the report resolved by whom and when; open leaves it out and all keeps it in place', async function () {
        const g = uid('g');
        const [a, b, c] = [reportOf(g), crisisAlertOf(g), reportOf(g)];
        for (const r of [a, b, c]) await store.reportQueue.fileReport(r, r.id);
        const by = uid('u');
        const at = Date.now();
        const resolved = { ...b, status: 'resolved' as const, resolvedBy: by, resolvedAt: at };
        expect(await store.reportQueue.resolveReport(g, b.id, by, at)).to.deep.equal(resolved);
        expect(await store.reportQueue.reports(g, 'open')).to.deep.equal([a, c]);
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([a, resolved, c]);
      });

      it('resolving twice keeps the first resolver and time', async function () {
        const g = uid('g');
        const r = reportOf(g);
        await store.reportQueue.fileReport(r, r.id);
        const [first, second] = [uid('u'), uid('u')];
        const at = Date.now();
        const resolved = { ...r, status: 'resolved' as const, resolvedBy: first, resolvedAt: at };
        expect(await store.reportQueue.resolveReport(g, r.id, first, at)).to.deep.equal(resolved);
        expect(await store.reportQueue.resolveReport(g, r.id, second, at + 5000)).to.deep.equal(resolved);
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([resolved]);
      });

      it('acknowledgeReport records who and when once, keeps it open, and resolving later keeps the acknowledgement and a note', async function () {
        const g = uid('g');
        const r = crisisAlertOf(g);
        await store.reportQueue.fileReport(r, r.id);
        const [first, second] = [uid('u'), uid('u')];
        const at = Date.now();
        const acked = { ...r, acknowledgedBy: first, acknowledgedAt: at };
        expect(await store.reportQueue.acknowledgeReport(g, r.id, first, at)).to.deep.equal(acked);
        expect(await store.reportQueue.acknowledgeReport(g, r.id, second, at + 5)).to.deep.equal(acked);
        expect(await store.reportQueue.reports(g, 'open')).to.deep.equal([acked]);
        const resolved = {
          ...acked,
          status: 'resolved' as const,
          resolvedBy: second,
          resolvedAt: at + 9,
          resolutionNote: 'called them; safe',
        };
        expect(await store.reportQueue.resolveReport(g, r.id, second, at + 9, 'called them; safe')).to.deep.equal(resolved);
        expect(await store.reportQueue.acknowledgeReport(g, r.id, uid('u'), at + 20)).to.deep.equal(resolved);
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([resolved]);
        expect(await store.reportQueue.acknowledgeReport(g, uid('r'), first, at)).to.equal(null);
        expect(await store.reportQueue.acknowledgeReport(uid('g'), r.id, first, at)).to.equal(null);
      });

      it('resolveReport returns null for an unknown id or a report of another group, and resolves nothing', async function () {
        const g = uid('g');
        const r = reportOf(g);
        await store.reportQueue.fileReport(r, r.id);
        expect(await store.reportQueue.resolveReport(g, uid('r'), uid('u'), Date.now())).to.equal(null);
        expect(await store.reportQueue.resolveReport(uid('g'), r.id, uid('u'), Date.now())).to.equal(null);
        expect(await store.reportQueue.reports(g, 'open')).to.deep.equal([r]);
      });

      it('each group has its own queue, and the same dedupeKey in another group is a new report', async function () {
        const [g1, g2] = [uid('g'), uid('g')];
        const [r1, r2] = [reportOf(g1), reportOf(g2)];
        expect((await store.reportQueue.fileReport(r1, 'shared-key')).duplicate).to.equal(false);
        expect(await store.reportQueue.fileReport(r2, 'shared-key')).to.deep.equal({ report: r2, duplicate: false });
        expect(await store.reportQueue.reports(g1, 'all')).to.deep.equal([r1]);
        expect(await store.reportQueue.reports(g2, 'all')).to.deep.equal([r2]);
        expect(await store.reportQueue.reports(uid('g'), 'all')).to.deep.equal([]);
      });

      it('forgetReportNotes drops the notes of the reports one person filed in a group, open or resolved, and nothing else', async function () {
        const g = uid('g');
        const [sam, kim] = [uid('u'), uid('u')];
        const [open, resolved, bare, kims, elsewhere] = [
          reportOf(g, { reporterId: sam }),
          reportOf(g, { reporterId: sam }),
          reportOf(g, { reporterId: sam, note: undefined }),
          reportOf(g, { reporterId: kim, userId: sam }),
          reportOf(uid('g'), { reporterId: sam }),
        ];
        delete bare.note;
        for (const r of [open, resolved, bare, kims, elsewhere]) await store.reportQueue.fileReport(r, r.id);
        await store.reportQueue.resolveReport(g, resolved.id, kim, 1000);
        await store.reportQueue.forgetReportNotes(g, sam);
        const withoutNote = ({ note: _note, ...rest }: QueuedReport) => rest;
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([
          withoutNote(open),
          { ...withoutNote(resolved), status: 'resolved', resolvedBy: kim, resolvedAt: 1000 },
          bare,
          kims,
        ]);
        expect(await store.reportQueue.reports(elsewhere.groupId, 'all'), 'another group is another call').to.deep.equal([elsewhere]);
        await store.reportQueue.forgetReportNotes(uid('g'), sam);
      });

      it('mutating a filed, listed or resolved report does not change what is stored', async function () {
        const g = uid('g');
        const r = reportOf(g);
        const pristine = structuredClone(r);
        (await store.reportQueue.fileReport(r, r.id)).report.note = 'changed';
        r.note = 'changed';
        (await store.reportQueue.reports(g, 'open'))[0]!.status = 'resolved';
        (await store.reportQueue.fileReport(reportOf(g), r.id)).report.reason = 'spam';
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([pristine]);
        const resolved = (await store.reportQueue.resolveReport(g, r.id, uid('u'), Date.now()))!;
        const expected = structuredClone(resolved);
        resolved.resolvedBy = 'changed';
        expect(await store.reportQueue.reports(g, 'all')).to.deep.equal([expected]);
      });
    });
  });
}
