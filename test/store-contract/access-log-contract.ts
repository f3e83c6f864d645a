// The access log's and the disclosure records' contracts (AccessLog, DisclosureRecords in
// server/store/ports.ts): one chain appended only onto its head, filters and paging, retention
// with an anchor; records written once and listed. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { AccessEntry, Disclosure } from '../../shared/index.js';
import { macOf, verifyChain } from '../../server/access/chain.js';
import type { Stores } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

const KEY = 'contract-key-'.padEnd(40, 'k');

export function describeAccessLogContract(getStore: () => Stores): void {
  describe('accessLog port', function () {
    let store: Stores;
    before(function () {
      store = getStore();
    });

    /** An entry onto the head as it stands (the chain is one for the whole store). */
    async function append(about: string[], actor = uid('u'), at?: number): Promise<AccessEntry> {
      const head = await store.accessLog.accessHead();
      const draft = {
        seq: head.seq + 1,
        at: at ?? Math.max(Date.now(), head.at + 1),
        node: 'n1',
        actor: { id: actor, role: 'admin' as const },
        what: 'checkins' as const,
        about,
        prev: head.mac,
      };
      const entry = { ...draft, mac: macOf(KEY, draft) };
      expect(await store.accessLog.appendAccess(entry)).to.deep.equal({ appended: true });
      return entry;
    }

    it('appends onto the head only: a stale prev or seq is refused with the head as it stands', async function () {
      const first = await append([uid('u')]);
      expect(await store.accessLog.accessHead()).to.deep.equal({ seq: first.seq, mac: first.mac, at: first.at });
      const stale = { ...first, seq: first.seq, about: [uid('u')] };
      expect(await store.accessLog.appendAccess(stale)).to.deep.equal({
        appended: false,
        head: { seq: first.seq, mac: first.mac, at: first.at },
      });
      const wrongPrev = { ...first, seq: first.seq + 1, prev: 'not-the-head' };
      expect((await store.accessLog.appendAccess(wrongPrev)).appended).to.equal(false);
      expect((await store.accessLog.accessHead()).seq).to.equal(first.seq);
    });

    it('concurrent appends onto one head: exactly one goes in, the chain never forks', async function () {
      const head = await store.accessLog.accessHead();
      const drafts = range(1, 10).map((i) => {
        const d = {
          seq: head.seq + 1,
          at: Date.now(),
          node: `n${i}`,
          actor: { id: uid('u'), role: 'admin' as const },
          what: 'audit' as const,
          about: [],
          prev: head.mac,
        };
        return { ...d, mac: macOf(KEY, d) };
      });
      const results = await Promise.all(drafts.map((d) => store.accessLog.appendAccess(d)));
      expect(results.filter((r) => r.appended)).to.have.length(1);
      expect((await store.accessLog.accessHead()).seq).to.equal(head.seq + 1);
    });

    it('lists newest first by person and by actor, within a time range, paged by beforeSeq', async function () {
      const [p, q, actor] = [uid('u'), uid('u'), uid('u')];
      const e1 = await append([p]);
      const e2 = await append([q], actor);
      const e3 = await append([p, q], actor);
      const e4 = await append([p]);
      expect((await store.accessLog.accessEntries({ person: p, limit: 10 })).entries).to.deep.equal([e4, e3, e1]);
      expect((await store.accessLog.accessEntries({ actor, limit: 10 })).entries).to.deep.equal([e3, e2]);
      expect((await store.accessLog.accessEntries({ person: p, actor, limit: 10 })).entries).to.deep.equal([e3]);
      const page1 = await store.accessLog.accessEntries({ person: p, limit: 2 });
      expect(page1).to.deep.equal({ entries: [e4, e3], hasMore: true });
      expect(await store.accessLog.accessEntries({ person: p, beforeSeq: e3.seq, limit: 2 })).to.deep.equal({
        entries: [e1],
        hasMore: false,
      });
      expect((await store.accessLog.accessEntries({ person: q, from: e3.at, to: e3.at, limit: 10 })).entries).to.deep.equal([e3]);
      const newest = await store.accessLog.accessEntries({ limit: 2 });
      expect(newest).to.deep.equal({ entries: [e4, e3], hasMore: true });
      expect((await store.accessLog.accessEntries({ person: uid('u'), limit: 10 })).entries).to.deep.equal([]);
    });

    it('accessChain reads oldest first after a seq, as stored; the chain verifies', async function () {
      const a = await append([uid('u')]);
      const b = await append([uid('u')]);
      expect(await store.accessLog.accessChain(a.seq - 1, 2)).to.deep.equal([a, b]);
      expect(await store.accessLog.accessChain(b.seq, 10)).to.deep.equal([]);
      expect(await verifyChain(store.accessLog, KEY)).to.deep.include({ ok: true });
    });

    it('retention removes the oldest entries and anchors the chain at the last one removed', async function () {
      const head = await store.accessLog.accessHead();
      const p = uid('u');
      const old = await append([p], undefined, head.at + 1);
      const kept = await append([p], undefined, head.at + 1000);
      const removed = await store.accessLog.trimAccessBefore(head.at + 1000);
      expect(removed).to.be.at.least(1);
      expect(await store.accessLog.accessAnchor()).to.deep.equal({ seq: old.seq, mac: old.mac, at: old.at });
      expect((await store.accessLog.accessEntries({ person: p, limit: 10 })).entries).to.deep.equal([kept]);
      expect(await store.accessLog.accessChain(0, 10)).to.deep.equal([kept]);
      expect(await verifyChain(store.accessLog, KEY)).to.deep.equal({ ok: true, entries: 1 });
      expect(await store.accessLog.trimAccessBefore(head.at + 1000)).to.equal(0);
    });

    it('is append-only: no verb edits or removes one entry', async function () {
      const verbs = new Set<string>();
      for (let p = Object.getPrototypeOf(store.accessLog); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
        for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') verbs.add(name);
      expect([...verbs].filter((v) => !/^(access|append|trim)/.test(v) && !v.startsWith('seqs') && !v.startsWith('indexed'))).to.deep.equal(
        [],
      );
    });
  });

  describe('disclosures port', function () {
    let store: Stores;
    before(function () {
      store = getStore();
    });

    const record = (alertId: string, recordedAt: number, extra: Partial<Disclosure> = {}): Disclosure => ({
      id: uid('d'),
      alertId,
      groupId: uid('g'),
      userId: uid('u'),
      recipientName: 'Dr. Lee, "ER"',
      recipientAffiliation: 'St. Mary’s Hospital ✚',
      disclosedBy: 'Dana',
      at: recordedAt - 60_000,
      nature: 'overdose, line 1\nline 2',
      recordedBy: uid('u'),
      recordedAt,
      ...extra,
    });

    it("stores a record once, reads it by id, lists the alert's in order and every record by time", async function () {
      const alert = uid('a');
      const now = Date.now();
      const a = record(alert, now);
      const b = record(alert, now + 1, { correctsId: a.id, groupId: undefined });
      delete b.groupId;
      const other = record(uid('a'), now - 10);
      for (const d of [a, b, other]) await store.disclosures.addDisclosure(d);
      await store.disclosures.addDisclosure({ ...a, nature: 'edited' });
      expect(await store.disclosures.disclosure(a.id)).to.deep.equal(a);
      expect(await store.disclosures.disclosure(uid('d'))).to.equal(null);
      expect(await store.disclosures.disclosuresOf(alert)).to.deep.equal([a, b]);
      const all = await store.disclosures.allDisclosures();
      const ours = all.filter((d) => [a.id, b.id, other.id].includes(d.id));
      expect(ours).to.deep.equal([other, a, b]);
    });

    it('has no verb that edits or removes a record', async function () {
      const verbs = new Set<string>();
      for (let p = Object.getPrototypeOf(store.disclosures); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
        for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor') verbs.add(name);
      expect([...verbs].sort()).to.deep.equal(
        ['addDisclosure', 'allDisclosures', 'disclosure', 'disclosuresOf', 'read'].filter((v) => verbs.has(v)),
      );
      expect([...verbs].some((v) => /remove|delete|update|edit|set/i.test(v))).to.equal(false);
    });
  });
}
