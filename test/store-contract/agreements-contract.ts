// The group agreements' contract (GroupAgreements in server/store/ports.ts): versions 1, 2, 3 …,
// acceptance of the current version only, recorded once; and how admission reads them (a join
// asks for the current version, a send for the one current at the sender's last join). Run
// against every store by stores.test.ts; the order among the other rules is in admission-cases.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import type { GroupSend } from '../../server/store/store.js';
import { uid } from './fixtures.js';

export function describeAgreementsContract(getStore: () => Stores): void {
  describe('agreements port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const RULES = 'What is said here stays here.\nRespect: one voice at a time.\n"Others\' stories" are theirs to tell — 🤝 Ünïcode';

    async function member(role: 'participant' | 'facilitator' = 'participant', g = uid('g')): Promise<[string, string]> {
      const u = uid('u');
      await store.groups.enrol(g, { userId: u, role, name: 'Sam' });
      return [g, u];
    }

    const join = (g: string, userId: string, admin = false) => store.admission.joinGroup(g, { userId, admin, now: Date.now() });
    const send = (g: string, userId: string, admin = false): Promise<unknown> => {
      const s: GroupSend = {
        draft: { id: uid('m'), sender: { id: userId, name: 'Sam' }, kind: 'text', text: 'hello', createdAt: Date.now() },
        admin,
        flood: { points: 1000, durationSec: 60 },
        now: Date.now(),
      };
      return store.admission.sendToGroup(g, s);
    };

    describe('versions', function () {
      it('has no agreement until one is set; each set is the next version, 1 first, kept as written', async function () {
        const [g, fac] = await member('facilitator');
        expect(await store.agreements.agreement(g)).to.equal(null);
        const at = Date.now();
        const v1 = await store.agreements.setAgreement(g, RULES, fac, at);
        expect(v1).to.deep.equal({ version: 1, text: RULES, at, by: fac });
        expect(await store.agreements.agreement(g)).to.deep.equal(v1);
        const v2 = await store.agreements.setAgreement(g, 'Be kind.', fac, at + 1);
        expect(v2).to.deep.equal({ version: 2, text: 'Be kind.', at: at + 1, by: fac });
        expect(await store.agreements.agreement(g)).to.deep.equal(v2);
        expect(await store.agreements.agreement(uid('g')), "another group's").to.equal(null);
      });
    });

    describe('acceptance', function () {
      it('records who accepted the current version and when; accepting it again keeps the first acceptance', async function () {
        const [g, u] = await member();
        await store.agreements.setAgreement(g, RULES, uid('u'), Date.now());
        const at = Date.now();
        expect(await store.agreements.acceptAgreement(g, u, 1, at)).to.deep.equal({ accepted: { userId: u, version: 1, at } });
        expect(await store.agreements.acceptAgreement(g, u, 1, at + 5000), 'twice').to.deep.equal({
          accepted: { userId: u, version: 1, at },
        });
        expect(await store.agreements.acceptances(g)).to.deep.equal([{ userId: u, version: 1, at }]);
      });

      it('refuses an old version, a future one and any when there is no agreement, with the current one, and records nothing', async function () {
        const [g, u] = await member();
        expect(await store.agreements.acceptAgreement(g, u, 1, Date.now())).to.deep.equal({ changed: null });
        await store.agreements.setAgreement(g, 'v1', u, Date.now());
        const v2 = await store.agreements.setAgreement(g, 'v2', u, Date.now());
        expect(await store.agreements.acceptAgreement(g, u, 1, Date.now())).to.deep.equal({ changed: v2 });
        expect(await store.agreements.acceptAgreement(g, u, 3, Date.now())).to.deep.equal({ changed: v2 });
        expect(await store.agreements.acceptances(g)).to.deep.equal([]);
      });

      it("lists each person's latest acceptance, oldest first", async function () {
        const [g, a] = await member();
        const [, b] = await member('participant', g);
        await store.agreements.setAgreement(g, 'v1', a, Date.now());
        const t = Date.now();
        await store.agreements.acceptAgreement(g, a, 1, t);
        await store.agreements.acceptAgreement(g, b, 1, t + 1);
        expect(await store.agreements.acceptances(g)).to.deep.equal([
          { userId: a, version: 1, at: t },
          { userId: b, version: 1, at: t + 1 },
        ]);
        await store.agreements.setAgreement(g, 'v2', a, Date.now());
        await store.agreements.acceptAgreement(g, a, 2, t + 2);
        expect(await store.agreements.acceptances(g)).to.deep.equal([
          { userId: b, version: 1, at: t + 1 },
          { userId: a, version: 2, at: t + 2 },
        ]);
        expect(await store.agreements.acceptances(uid('g'))).to.deep.equal([]);
      });

      it("forgets one person's acceptance, so that their next join and send ask again", async function () {
        const [g, a] = await member();
        const [, b] = await member('participant', g);
        await store.agreements.setAgreement(g, 'v1', a, Date.now());
        for (const u of [a, b]) {
          await store.agreements.acceptAgreement(g, u, 1, Date.now());
          expect(await join(g, u)).to.not.have.property('refused');
        }
        await store.agreements.forgetAcceptance(g, a);
        expect((await store.agreements.acceptances(g)).map((x) => x.userId)).to.deep.equal([b]);
        expect(await send(g, a)).to.have.property('refused', 'agreement-pending');
        expect(await join(g, a)).to.have.property('refused', 'agreement-pending');
        expect(await join(g, b), 'the others are kept').to.not.have.property('refused');
        await store.agreements.forgetAcceptance(uid('g'), a);
      });
    });

    describe('admission', function () {
      it("refuses a participant's join with the current version and its text until they accept it", async function () {
        const [g, u] = await member();
        expect(await join(g, u), 'no agreement asks nothing').to.not.have.property('refused');
        await store.agreements.setAgreement(g, RULES, uid('u'), Date.now());
        expect(await join(g, u)).to.deep.equal({ refused: 'agreement-pending', agreement: { version: 1, text: RULES } });
        await store.agreements.acceptAgreement(g, u, 1, Date.now());
        expect(await join(g, u)).to.deep.include({ mute: null });
      });

      it('never asks facilitators or admins', async function () {
        const [g, fac] = await member('facilitator');
        await store.agreements.setAgreement(g, RULES, fac, Date.now());
        expect(await join(g, fac)).to.not.have.property('refused');
        expect(await join(g, uid('u'), true)).to.not.have.property('refused');
        expect(await send(g, fac)).to.have.property('duplicate', false);
        expect(await send(g, uid('u'), true)).to.have.property('duplicate', false);
      });

      it('refuses the sends of a participant who never joined until they accept the current version', async function () {
        const [g, u] = await member();
        await store.agreements.setAgreement(g, RULES, uid('u'), Date.now());
        expect(await send(g, u)).to.deep.equal({ refused: 'agreement-pending', agreement: { version: 1, text: RULES } });
        await store.agreements.acceptAgreement(g, u, 1, Date.now());
        expect(await send(g, u)).to.have.property('duplicate', false);
        expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(1);
      });

      it('applies a new version from the next join, never to the sends of one who joined under the old one; then they accept again', async function () {
        const [g, u] = await member();
        await store.agreements.setAgreement(g, 'v1', uid('u'), Date.now());
        await store.agreements.acceptAgreement(g, u, 1, Date.now());
        expect(await join(g, u)).to.not.have.property('refused');
        await store.agreements.setAgreement(g, 'v2', uid('u'), Date.now());
        expect(await send(g, u), 'mid-session').to.have.property('duplicate', false);
        expect(await send(g, u), 'still').to.have.property('duplicate', false);
        expect(await join(g, u), 'the next join').to.deep.equal({ refused: 'agreement-pending', agreement: { version: 2, text: 'v2' } });
        expect(await send(g, u), 'once a join asked for v2, so do sends').to.deep.equal({
          refused: 'agreement-pending',
          agreement: { version: 2, text: 'v2' },
        });
        await store.agreements.acceptAgreement(g, u, 2, Date.now());
        expect(await join(g, u)).to.not.have.property('refused');
        expect(await send(g, u)).to.have.property('duplicate', false);
      });

      it('lets a participant who joined before there was any agreement go on sending once one is set', async function () {
        const [g, u] = await member();
        expect(await join(g, u)).to.not.have.property('refused');
        await store.agreements.setAgreement(g, 'v1', uid('u'), Date.now());
        expect(await send(g, u)).to.have.property('duplicate', false);
        expect(await join(g, u)).to.have.property('refused', 'agreement-pending');
      });
    });
  });
}
