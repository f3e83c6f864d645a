// The program's alert queue's contract (AlertQueue in server/store/ports.ts): crisis alerts no
// facilitator could receive, deduplicated and resolved once. Run against every store by
// stores.test.ts.
import { expect } from 'chai';
import type { ProgramAlert } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

function alertOf(opts: Partial<ProgramAlert> = {}): ProgramAlert {
  return {
    id: uid('a'),
    kind: 'crisis',
    conversation: { kind: 'partner', id: uid('p') },
    messageId: uid('m'),
    userId: uid('u'),
    reason: 'no-shared-group',
    createdAt: Date.now(),
    status: 'open',
    ...opts,
  };
}

export function describeAlertQueueContract(getStore: () => Stores): void {
  describe('alertQueue port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const listed = async (status: 'open' | 'all', ...mine: ProgramAlert[]) => {
      const ids = new Set(mine.map((a) => a.id));
      return (await store.alertQueue.programAlerts(status)).filter((a) => ids.has(a.id));
    };

    it('fileProgramAlert queues the alert as given, and programAlerts lists it as open', async function () {
      const a = alertOf({ conversation: { kind: 'group', id: uid('g') }, reason: 'no-facilitator' });
      expect(await store.alertQueue.fileProgramAlert(a, a.messageId)).to.deep.equal({ alert: a, duplicate: false });
      expect(await listed('open', a)).to.deep.equal([a]);
      expect(await listed('all', a)).to.deep.equal([a]);
    });

    it('the same dedupeKey returns the first alert with duplicate: true', async function () {
      const first = alertOf();
      await store.alertQueue.fileProgramAlert(first, `k-${first.id}`);
      const again = alertOf({ messageId: first.messageId, reason: 'no-facilitator' });
      expect(await store.alertQueue.fileProgramAlert(again, `k-${first.id}`)).to.deep.equal({ alert: first, duplicate: true });
      expect(await listed('all', first, again)).to.deep.equal([first]);
    });

    it('of 20 concurrent files with the same dedupeKey exactly one is stored, and every answer is that one', async function () {
      const key = uid('race');
      const attempts = range(1, 20).map(() => alertOf());
      const answers = await Promise.all(attempts.map((a) => store.alertQueue.fileProgramAlert(a, key)));
      const originals = answers.filter((a) => !a.duplicate);
      expect(originals).to.have.length(1);
      const stored = originals[0]!.alert;
      for (const a of answers) expect(a.alert).to.deep.equal(stored);
      expect(await listed('all', ...attempts)).to.deep.equal([stored]);
    });

    it('lists oldest first; resolving returns the alert resolved by whom and when, open leaves it out and all keeps it in place', async function () {
      const base = Date.now();
      const [a, b, c] = [alertOf({ createdAt: base }), alertOf({ createdAt: base + 1 }), alertOf({ createdAt: base + 2 })];
      for (const x of [a, b, c]) await store.alertQueue.fileProgramAlert(x, x.id);
      expect(await listed('open', a, b, c)).to.deep.equal([a, b, c]);
      const by = uid('u');
      const resolved = { ...b, status: 'resolved' as const, resolvedBy: by, resolvedAt: base + 10 };
      expect(await store.alertQueue.resolveProgramAlert(b.id, by, base + 10)).to.deep.equal(resolved);
      expect(await listed('open', a, b, c)).to.deep.equal([a, c]);
      expect(await listed('all', a, b, c)).to.deep.equal([a, resolved, c]);
    });

    it('resolving twice keeps the first resolver and time; an unknown id is null and resolves nothing', async function () {
      const a = alertOf();
      await store.alertQueue.fileProgramAlert(a, a.id);
      expect(await store.alertQueue.resolveProgramAlert(uid('a'), uid('u'), Date.now())).to.equal(null);
      expect(await listed('open', a)).to.deep.equal([a]);
      const [first, second] = [uid('u'), uid('u')];
      const at = Date.now();
      const resolved = { ...a, status: 'resolved' as const, resolvedBy: first, resolvedAt: at };
      expect(await store.alertQueue.resolveProgramAlert(a.id, first, at)).to.deep.equal(resolved);
      expect(await store.alertQueue.resolveProgramAlert(a.id, second, at + 5000)).to.deep.equal(resolved);
      expect(await listed('all', a)).to.deep.equal([resolved]);
    });

    it('acknowledgeProgramAlert records who and when once and keeps it open; resolving later keeps it and adds the note', async function () {
      const a = alertOf();
      await store.alertQueue.fileProgramAlert(a, a.id);
      const [first, second] = [uid('u'), uid('u')];
      const at = Date.now();
      const acked = { ...a, acknowledgedBy: first, acknowledgedAt: at };
      expect(await store.alertQueue.acknowledgeProgramAlert(a.id, first, at)).to.deep.equal(acked);
      expect(await store.alertQueue.acknowledgeProgramAlert(a.id, second, at + 5)).to.deep.equal(acked);
      expect(await listed('open', a)).to.deep.equal([acked]);
      const resolved = {
        ...acked,
        status: 'resolved' as const,
        resolvedBy: second,
        resolvedAt: at + 9,
        resolutionNote: 'reached by phone',
      };
      expect(await store.alertQueue.resolveProgramAlert(a.id, second, at + 9, 'reached by phone')).to.deep.equal(resolved);
      expect(await store.alertQueue.resolveProgramAlert(a.id, first, at + 20, 'again')).to.deep.equal(resolved);
      expect(await store.alertQueue.acknowledgeProgramAlert(uid('a'), first, at)).to.equal(null);
    });

    it("is apart from every group's report queue: the same id and dedupeKey in a group queue is another item", async function () {
      const g = uid('g');
      const a = alertOf({ conversation: { kind: 'group', id: g }, reason: 'no-facilitator' });
      await store.alertQueue.fileProgramAlert(a, 'both-queues');
      const report = {
        id: a.id,
        groupId: g,
        kind: 'crisis' as const,
        conversation: a.conversation,
        messageId: a.messageId,
        userId: a.userId,
        createdAt: a.createdAt,
        status: 'open' as const,
      };
      expect(await store.reportQueue.fileReport(report, 'both-queues')).to.deep.equal({ report, duplicate: false });
      expect(await store.reportQueue.resolveReport(g, a.id, uid('u'), Date.now())).to.include({ status: 'resolved' });
      expect(await listed('all', a)).to.deep.equal([a]);
    });

    it('mutating a filed, listed or resolved alert does not change what is stored', async function () {
      const a = alertOf();
      const pristine = structuredClone(a);
      (await store.alertQueue.fileProgramAlert(a, a.id)).alert.userId = 'changed';
      a.userId = 'changed';
      (await listed('open', pristine))[0]!.status = 'resolved';
      expect(await listed('all', pristine)).to.deep.equal([pristine]);
      const resolved = (await store.alertQueue.resolveProgramAlert(pristine.id, uid('u'), Date.now()))!;
      const expected = structuredClone(resolved);
      resolved.resolvedBy = 'changed';
      expect(await listed('all', pristine)).to.deep.equal([expected]);
    });
  });
}
