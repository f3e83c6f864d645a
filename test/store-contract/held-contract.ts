// The held messages' contract (HeldMessages in server/store/ports.ts): partner messages held per
// group session, oldest first, idempotent by clientMsgId, dropped head first by whoever released
// them. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { draft, partnerConv, uid, user } from './fixtures.js';

export function describeHeldContract(getStore: () => Stores): void {
  describe('held port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const mine = async (g: string) => (await store.held.heldSessions()).filter((s) => s.groupId === g);

    it('holds in order, counts per partnership, and a resend of a held clientMsgId answers the original', async function () {
      const [g, s] = [uid('g'), uid('s')];
      const [p, q] = [partnerConv(), partnerConv()];
      const [sam, alex] = [user(), user()];
      const first = draft(p, sam, { clientMsgId: 'c1', text: 'first' });
      expect(await store.held.hold(g, s, first)).to.deep.equal({ draft: first, duplicate: false, count: 1 });
      const other = draft(q, alex, { clientMsgId: 'c1' });
      expect((await store.held.hold(g, s, other)).count, 'another partnership counts apart').to.equal(1);
      const second = draft(p, alex, { clientMsgId: 'c1', text: 'second' });
      expect(await store.held.hold(g, s, second), "the partner's own c1 is another message").to.deep.equal({
        draft: second,
        duplicate: false,
        count: 2,
      });
      const resend = draft(p, sam, { clientMsgId: 'c1', text: 'first, again' });
      expect(await store.held.hold(g, s, resend)).to.deep.equal({ draft: first, duplicate: true, count: 2 });
      expect((await store.held.held(g, s)).map((d) => d.id)).to.deep.equal([first.id, other.id, second.id]);
      expect(await mine(g)).to.deep.equal([{ groupId: g, sessionId: s }]);
    });

    it('drops only the oldest, once; an empty session is no longer listed, and its clientMsgIds may be held again', async function () {
      const [g, s1, s2] = [uid('g'), uid('s'), uid('s')];
      const p = partnerConv();
      const sam = user();
      const [a, b] = [draft(p, sam, { clientMsgId: 'a' }), draft(p, sam, { clientMsgId: 'b' })];
      await store.held.hold(g, s1, a);
      await store.held.hold(g, s1, b);
      await store.held.hold(g, s2, draft(p, sam, { clientMsgId: 'z' }));
      expect(await store.held.dropHeld(g, s1, b.id), 'not the oldest').to.equal(false);
      expect(await store.held.dropHeld(g, s1, a.id)).to.equal(true);
      expect(await store.held.dropHeld(g, s1, a.id), 'dropped once').to.equal(false);
      expect((await store.held.held(g, s1)).map((d) => d.id)).to.deep.equal([b.id]);
      expect(await store.held.dropHeld(g, s1, b.id)).to.equal(true);
      expect(await store.held.held(g, s1)).to.deep.equal([]);
      expect(await mine(g)).to.deep.equal([{ groupId: g, sessionId: s2 }]);
      const again = draft(p, sam, { clientMsgId: 'a' });
      expect(await store.held.hold(g, s1, again)).to.deep.equal({ draft: again, duplicate: false, count: 1 });
    });
  });
}
