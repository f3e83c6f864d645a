// The partners port's contract (Partners in server/store/ports.ts): partnerships (the per-user
// limit, one active partnership per pair, ending), invites and read marks. Run against every
// store by stores.test.ts.
import { expect } from 'chai';
import type { Invite, Partnership } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

type Person = { id: string; name: string };

function person(name = 'Sam'): Person {
  return { id: uid('u'), name };
}

/** An active partnership of `a` and `b` as the partner service builds it. */
function partnershipOf(a: Person, b: Person, createdAt = Date.now()): Partnership {
  return { id: uid('p'), users: [{ ...a }, { ...b }], createdAt, status: 'active' };
}

/** A pending invite from `from` to `to`. */
function inviteOf(from: Person, to: Person, opts: { createdAt?: number; note?: string } = {}): Invite {
  const i: Invite = { id: uid('i'), from: { ...from }, to: { ...to }, createdAt: opts.createdAt ?? Date.now(), status: 'pending' };
  if (opts.note !== undefined) i.note = opts.note;
  return i;
}

/** What endPartnership must make of `p`. */
function ended(p: Partnership, by: string, at: number): Partnership {
  return { ...p, status: 'ended', endedBy: by, endedAt: at };
}

export function describePartnersContract(getStore: () => Stores): void {
  describe('partners port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    /** Creates an active partnership of `a` with each of `others`, expecting 'created' each time. */
    async function partnerWithEach(a: Person, others: Person[], limit: number): Promise<Partnership[]> {
      const out: Partnership[] = [];
      for (const b of others) {
        const p = partnershipOf(a, b);
        expect(await store.partners.createPartnership(p, limit)).to.equal('created');
        out.push(p);
      }
      return out;
    }

    describe('createPartnership', function () {
      it('creates an active partnership that partnership() returns unchanged', async function () {
        const p = partnershipOf(person('Alex'), person('Sam'));
        expect(await store.partners.createPartnership(p, 3)).to.equal('created');
        expect(await store.partners.partnership(p.id)).to.deep.equal(p);
      });

      it('returns exists for the same pair in either order while the partnership is active, and writes nothing', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        expect(await store.partners.createPartnership(p, 3)).to.equal('created');
        const same = partnershipOf(a, b);
        const reversed = partnershipOf(b, a);
        expect(await store.partners.createPartnership(same, 3)).to.equal('exists');
        expect(await store.partners.createPartnership(reversed, 3)).to.equal('exists');
        expect(await store.partners.partnership(same.id)).to.equal(null);
        expect(await store.partners.partnership(reversed.id)).to.equal(null);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([p]);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([p]);
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(p);
      });

      it('returns limit when the first user is at the limit, and writes nothing', async function () {
        const a = person('Alex');
        await partnerWithEach(a, [person(), person()], 2);
        const b = person('Sam');
        const refused = partnershipOf(a, b);
        expect(await store.partners.createPartnership(refused, 2)).to.equal('limit');
        expect(await store.partners.partnership(refused.id)).to.equal(null);
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.equal(null);
        expect(await store.partners.partnershipsOf(a.id)).to.have.length(2);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([]);
      });

      it('returns limit when the second user is at the limit, and writes nothing', async function () {
        const b = person('Sam');
        await partnerWithEach(b, [person(), person()], 2);
        const a = person('Alex');
        const refused = partnershipOf(a, b);
        expect(await store.partners.createPartnership(refused, 2)).to.equal('limit');
        expect(await store.partners.partnership(refused.id)).to.equal(null);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([]);
        expect(await store.partners.partnershipsOf(b.id)).to.have.length(2);
      });

      it('a user below the limit can still partner, and a higher limit lets an at-limit user partner again', async function () {
        const a = person('Alex');
        await partnerWithEach(a, [person()], 2);
        await partnerWithEach(a, [person()], 2);
        expect(await store.partners.createPartnership(partnershipOf(a, person()), 2)).to.equal('limit');
        expect(await store.partners.createPartnership(partnershipOf(a, person()), 3)).to.equal('created');
        expect(await store.partners.createPartnership(partnershipOf(a, person()), 3)).to.equal('limit');
      });

      it('a pair that already has an active partnership gets exists even when one of them is at the limit', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        await partnerWithEach(a, [b, person()], 2);
        expect(await store.partners.createPartnership(partnershipOf(b, a), 2)).to.equal('exists');
      });

      it('ended partnerships do not count toward the limit', async function () {
        const a = person('Alex');
        const [first] = await partnerWithEach(a, [person(), person()], 2);
        expect(await store.partners.createPartnership(partnershipOf(a, person()), 2)).to.equal('limit');
        await store.partners.endPartnership(first!.id, a.id, Date.now());
        const next = partnershipOf(a, person());
        expect(await store.partners.createPartnership(next, 2)).to.equal('created');
        expect(await store.partners.createPartnership(partnershipOf(a, person()), 2)).to.equal('limit');
      });

      it('after ending, the same pair can partner again under a new id, and both partnerships stay readable', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const base = Date.now();
        const old = partnershipOf(a, b, base);
        await store.partners.createPartnership(old, 1);
        await store.partners.endPartnership(old.id, b.id, base + 10);
        const again = partnershipOf(b, a, base + 20);
        expect(again.id).to.not.equal(old.id);
        expect(await store.partners.createPartnership(again, 1)).to.equal('created');
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(again);
        expect(await store.partners.partnership(old.id)).to.deep.equal(ended(old, b.id, base + 10));
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([ended(old, b.id, base + 10), again]);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([ended(old, b.id, base + 10), again]);
      });

      it('of 20 concurrent creates for the same pair, in both orders, exactly one is created and the rest get exists', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const attempts = range(1, 20).map((i) => (i % 2 ? partnershipOf(a, b) : partnershipOf(b, a)));
        const answers = await Promise.all(attempts.map((p) => store.partners.createPartnership(p, 3)));
        expect(answers.filter((r) => r === 'created')).to.have.length(1);
        expect(answers.filter((r) => r === 'exists')).to.have.length(19);
        const winner = attempts[answers.indexOf('created')]!;
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(winner);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([winner]);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([winner]);
        for (const p of attempts) if (p !== winner) expect(await store.partners.partnership(p.id)).to.equal(null);
      });

      it('concurrent creates for one user against many others respect the limit exactly', async function () {
        const hub = person('Alex');
        const others = range(1, 12).map((i) => person(`Peer ${i}`));
        const attempts = others.map((o, i) => (i % 2 ? partnershipOf(hub, o) : partnershipOf(o, hub)));
        const answers = await Promise.all(attempts.map((p) => store.partners.createPartnership(p, 3)));
        expect(answers.filter((r) => r === 'created')).to.have.length(3);
        expect(answers.filter((r) => r === 'limit')).to.have.length(9);
        const created = attempts.filter((_, i) => answers[i] === 'created');
        const mine = await store.partners.partnershipsOf(hub.id);
        expect(mine).to.have.length(3);
        expect(mine.map((p) => p.id).sort()).to.deep.equal(created.map((p) => p.id).sort());
        for (const [i, o] of others.entries()) {
          const between = await store.partners.activePartnershipBetween(hub.id, o.id);
          expect(between).to.deep.equal(answers[i] === 'created' ? attempts[i] : null);
        }
      });

      it('concurrent creates among users who share partners never let anyone pass the limit', async function () {
        const people = range(1, 6).map((i) => person(`Member ${i}`));
        const pairs = people.flatMap((a, i) => people.slice(i + 1).map((b) => partnershipOf(a, b)));
        const answers = await Promise.all(pairs.map((p) => store.partners.createPartnership(p, 2)));
        expect(answers.every((r) => r === 'created' || r === 'limit')).to.equal(true);
        const created = pairs.filter((_, i) => answers[i] === 'created');
        for (const u of people) {
          const mine = await store.partners.partnershipsOf(u.id);
          expect(mine.length).to.be.at.most(2);
          const expected = created.filter((p) => p.users.some((x) => x.id === u.id));
          expect(mine.map((p) => p.id).sort()).to.deep.equal(expected.map((p) => p.id).sort());
        }
      });
    });

    describe('reading partnerships', function () {
      it('partnership, partnershipsOf and activePartnershipBetween know nothing of unknown ids and strangers', async function () {
        expect(await store.partners.partnership(uid('p'))).to.equal(null);
        expect(await store.partners.partnershipsOf(uid('u'))).to.deep.equal([]);
        expect(await store.partners.activePartnershipBetween(uid('u'), uid('u'))).to.equal(null);
      });

      it("partnershipsOf lists the user's partnerships oldest first, ended ones included, and only theirs", async function () {
        const a = person('Alex');
        const [b, c, d] = [person('Sam'), person('Kim'), person('Lee')];
        const base = Date.now();
        const ab = partnershipOf(a, b, base);
        const ca = partnershipOf(c, a, base + 1);
        const ad = partnershipOf(a, d, base + 2);
        const bc = partnershipOf(b, c, base + 3);
        for (const p of [ab, ca, ad, bc]) expect(await store.partners.createPartnership(p, 5)).to.equal('created');
        await store.partners.endPartnership(ca.id, c.id, base + 10);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([ab, ended(ca, c.id, base + 10), ad]);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([ab, bc]);
        expect(await store.partners.partnershipsOf(c.id)).to.deep.equal([ended(ca, c.id, base + 10), bc]);
        expect(await store.partners.partnershipsOf(d.id)).to.deep.equal([ad]);
      });

      it('activePartnershipBetween finds the partnership in either order, and not for other pairs', async function () {
        const [a, b, c] = [person('Alex'), person('Sam'), person('Kim')];
        const p = partnershipOf(a, b);
        await store.partners.createPartnership(p, 3);
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(p);
        expect(await store.partners.activePartnershipBetween(b.id, a.id)).to.deep.equal(p);
        expect(await store.partners.activePartnershipBetween(a.id, c.id)).to.equal(null);
        expect(await store.partners.activePartnershipBetween(c.id, b.id)).to.equal(null);
      });

      it('activePartnershipBetween is null after the partnership ends, in either order', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        await store.partners.createPartnership(p, 3);
        await store.partners.endPartnership(p.id, a.id, Date.now());
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.equal(null);
        expect(await store.partners.activePartnershipBetween(b.id, a.id)).to.equal(null);
      });

      it('names with quotes, slashes, newlines and emoji come back exactly, before and after ending', async function () {
        const a = person('Dr. Ortiz "Doc" / admin ✨');
        const b = person('Sam 🙏\nsecond line \\ back');
        const p = partnershipOf(a, b, 1_700_000_000_123);
        await store.partners.createPartnership(p, 3);
        expect(await store.partners.partnership(p.id)).to.deep.equal(p);
        const done = ended(p, b.id, 1_700_000_100_456);
        expect(await store.partners.endPartnership(p.id, b.id, 1_700_000_100_456)).to.deep.equal(done);
        expect(await store.partners.partnership(p.id)).to.deep.equal(done);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([done]);
      });
    });

    describe('endPartnership', function () {
      it('returns the partnership ended, with endedBy and endedAt, and partnership() reads it so', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        await store.partners.createPartnership(p, 3);
        const at = Date.now() + 5000;
        expect(await store.partners.endPartnership(p.id, b.id, at)).to.deep.equal(ended(p, b.id, at));
        expect(await store.partners.partnership(p.id)).to.deep.equal(ended(p, b.id, at));
      });

      it("the first end wins: ending again returns the first end's endedBy and endedAt and changes nothing", async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        await store.partners.createPartnership(p, 3);
        const at = Date.now();
        const first = ended(p, a.id, at);
        expect(await store.partners.endPartnership(p.id, a.id, at)).to.deep.equal(first);
        expect(await store.partners.endPartnership(p.id, b.id, at + 60_000)).to.deep.equal(first);
        expect(await store.partners.partnership(p.id)).to.deep.equal(first);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([first]);
      });

      it("ending an old partnership again does not end the pair's new one", async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const old = partnershipOf(a, b);
        await store.partners.createPartnership(old, 3);
        await store.partners.endPartnership(old.id, a.id, Date.now());
        const again = partnershipOf(a, b);
        expect(await store.partners.createPartnership(again, 3)).to.equal('created');
        await store.partners.endPartnership(old.id, b.id, Date.now());
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(again);
        expect(await store.partners.createPartnership(partnershipOf(b, a), 3)).to.equal('exists');
      });

      it('of 10 concurrent ends by different people exactly one end is kept, and every answer is that one', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        await store.partners.createPartnership(p, 3);
        const base = Date.now();
        const answers = await Promise.all(range(1, 10).map((i) => store.partners.endPartnership(p.id, i % 2 ? a.id : b.id, base + i)));
        const stored = await store.partners.partnership(p.id);
        expect(stored!.status).to.equal('ended');
        expect(stored).to.deep.equal(ended(p, stored!.endedBy!, stored!.endedAt!));
        expect(range(1, 10).map((i) => ended(p, i % 2 ? a.id : b.id, base + i))).to.deep.include(stored);
        for (const r of answers) expect(r).to.deep.equal(stored);
      });

      it('returns null for an unknown partnership', async function () {
        expect(await store.partners.endPartnership(uid('p'), uid('u'), Date.now())).to.equal(null);
        expect(await store.partners.partnership(uid('p'))).to.equal(null);
      });
    });

    describe('createInvite and invite', function () {
      it('stores a pending invite that invite() returns unchanged, note included', async function () {
        const i = inviteOf(person('Alex'), person('Sam'), { note: 'want to check in after group? 🙏 "evenings" / weekends\nok' });
        expect(await store.partners.createInvite(i)).to.equal('created');
        expect(await store.partners.invite(i.id)).to.deep.equal(i);
      });

      it('an invite without a note comes back without one', async function () {
        const i = inviteOf(person('Alex'), person('Sam'));
        await store.partners.createInvite(i);
        const read = await store.partners.invite(i.id);
        expect(read).to.deep.equal(i);
        expect(read).to.not.have.property('note');
      });

      it('invite() returns null for an unknown id', async function () {
        expect(await store.partners.invite(uid('i'))).to.equal(null);
      });

      it('returns exists while an invite is pending between the two, in either direction, and stores nothing', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const first = inviteOf(a, b);
        expect(await store.partners.createInvite(first)).to.equal('created');
        const same = inviteOf(a, b);
        const back = inviteOf(b, a);
        expect(await store.partners.createInvite(same)).to.equal('exists');
        expect(await store.partners.createInvite(back)).to.equal('exists');
        expect(await store.partners.invite(same.id)).to.equal(null);
        expect(await store.partners.invite(back.id)).to.equal(null);
        expect(await store.partners.pendingInvitesOf(a.id)).to.deep.equal([first]);
        expect(await store.partners.pendingInvitesOf(b.id)).to.deep.equal([first]);
      });

      it('a pending invite does not block invites between other pairs', async function () {
        const [a, b, c] = [person('Alex'), person('Sam'), person('Kim')];
        expect(await store.partners.createInvite(inviteOf(a, b))).to.equal('created');
        expect(await store.partners.createInvite(inviteOf(a, c))).to.equal('created');
        expect(await store.partners.createInvite(inviteOf(c, b))).to.equal('created');
      });

      it('after an invite is accepted or declined the pair may invite again, either way', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const first = inviteOf(a, b);
        await store.partners.createInvite(first);
        await store.partners.settleInvite(first.id, 'declined');
        const second = inviteOf(b, a);
        expect(await store.partners.createInvite(second)).to.equal('created');
        expect(await store.partners.createInvite(inviteOf(a, b))).to.equal('exists');
        await store.partners.settleInvite(second.id, 'accepted');
        const third = inviteOf(a, b);
        expect(await store.partners.createInvite(third)).to.equal('created');
        expect(await store.partners.invite(first.id)).to.deep.equal({ ...first, status: 'declined' });
        expect(await store.partners.invite(second.id)).to.deep.equal({ ...second, status: 'accepted' });
        expect(await store.partners.invite(third.id)).to.deep.equal(third);
      });

      it('of 20 concurrent invites between the same two, in both directions, exactly one is created', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const attempts = range(1, 20).map((i) => (i % 2 ? inviteOf(a, b) : inviteOf(b, a)));
        const answers = await Promise.all(attempts.map((i) => store.partners.createInvite(i)));
        expect(answers.filter((r) => r === 'created')).to.have.length(1);
        const winner = attempts[answers.indexOf('created')]!;
        expect(await store.partners.pendingInvitesOf(a.id)).to.deep.equal([winner]);
        expect(await store.partners.pendingInvitesOf(b.id)).to.deep.equal([winner]);
      });
    });

    describe('pendingInvitesOf', function () {
      it('lists pending invites to or from the user, oldest first, and only theirs', async function () {
        const me = person('Alex');
        const [b, c, d] = [person('Sam'), person('Kim'), person('Lee')];
        const base = Date.now();
        const toMe = inviteOf(b, me, { createdAt: base });
        const fromMe = inviteOf(me, c, { createdAt: base + 1, note: 'hi' });
        const toMeLater = inviteOf(d, me, { createdAt: base + 2 });
        const others = inviteOf(b, c, { createdAt: base + 3 });
        for (const i of [toMe, fromMe, toMeLater, others]) expect(await store.partners.createInvite(i)).to.equal('created');
        expect(await store.partners.pendingInvitesOf(me.id)).to.deep.equal([toMe, fromMe, toMeLater]);
        expect(await store.partners.pendingInvitesOf(b.id)).to.deep.equal([toMe, others]);
        expect(await store.partners.pendingInvitesOf(c.id)).to.deep.equal([fromMe, others]);
      });

      it('orders by createdAt whatever the creation order', async function () {
        const me = person('Alex');
        const base = Date.now();
        const middle = inviteOf(person(), me, { createdAt: base + 2000 });
        const newest = inviteOf(me, person(), { createdAt: base + 3000 });
        const oldest = inviteOf(person(), me, { createdAt: base + 1000 });
        for (const i of [middle, newest, oldest]) await store.partners.createInvite(i);
        expect(await store.partners.pendingInvitesOf(me.id)).to.deep.equal([oldest, middle, newest]);
      });

      it('drops settled invites, accepted or declined, for both people', async function () {
        const me = person('Alex');
        const [b, c, d] = [person('Sam'), person('Kim'), person('Lee')];
        const base = Date.now();
        const accepted = inviteOf(b, me, { createdAt: base });
        const declined = inviteOf(me, c, { createdAt: base + 1 });
        const kept = inviteOf(d, me, { createdAt: base + 2 });
        for (const i of [accepted, declined, kept]) await store.partners.createInvite(i);
        await store.partners.settleInvite(accepted.id, 'accepted');
        await store.partners.settleInvite(declined.id, 'declined');
        expect(await store.partners.pendingInvitesOf(me.id)).to.deep.equal([kept]);
        expect(await store.partners.pendingInvitesOf(b.id)).to.deep.equal([]);
        expect(await store.partners.pendingInvitesOf(c.id)).to.deep.equal([]);
        expect(await store.partners.pendingInvitesOf(d.id)).to.deep.equal([kept]);
      });

      it('is empty for a user with no invites', async function () {
        expect(await store.partners.pendingInvitesOf(uid('u'))).to.deep.equal([]);
      });
    });

    describe('settleInvite', function () {
      it('moves a pending invite to accepted and returns the settled invite, without its note (it was for the invitee to read while it waited)', async function () {
        const i = inviteOf(person('Alex'), person('Sam'), { note: 'evenings?' });
        await store.partners.createInvite(i);
        const { note: _note, ...settled } = i;
        expect(await store.partners.settleInvite(i.id, 'accepted')).to.deep.equal({ ...settled, status: 'accepted' });
        expect(await store.partners.invite(i.id)).to.deep.equal({ ...settled, status: 'accepted' });
      });

      it('moves a pending invite to withdrawn (its sender erased their data), and it stops being pending', async function () {
        const [alex, sam] = [person('Alex'), person('Sam')];
        const i = inviteOf(alex, sam, { note: 'Tuesdays?' });
        await store.partners.createInvite(i);
        const { note: _note, ...settled } = i;
        expect(await store.partners.settleInvite(i.id, 'withdrawn')).to.deep.equal({ ...settled, status: 'withdrawn' });
        expect(await store.partners.pendingInvitesOf(sam.id)).to.deep.equal([]);
        expect(await store.partners.createInvite(inviteOf(sam, alex)), 'the pair may be invited again').to.equal('created');
      });

      it('moves a pending invite to declined and returns the settled invite', async function () {
        const i = inviteOf(person('Alex 🙂 "A" / x'), person('Sam'));
        await store.partners.createInvite(i);
        expect(await store.partners.settleInvite(i.id, 'declined')).to.deep.equal({ ...i, status: 'declined' });
        expect(await store.partners.invite(i.id)).to.deep.equal({ ...i, status: 'declined' });
      });

      it('returns null for an invite already settled, and keeps the first settlement', async function () {
        const [x, y] = [inviteOf(person(), person()), inviteOf(person(), person())];
        await store.partners.createInvite(x);
        await store.partners.createInvite(y);
        await store.partners.settleInvite(x.id, 'accepted');
        await store.partners.settleInvite(y.id, 'declined');
        expect(await store.partners.settleInvite(x.id, 'declined')).to.equal(null);
        expect(await store.partners.settleInvite(x.id, 'accepted')).to.equal(null);
        expect(await store.partners.settleInvite(y.id, 'accepted')).to.equal(null);
        expect(await store.partners.invite(x.id)).to.deep.equal({ ...x, status: 'accepted' });
        expect(await store.partners.invite(y.id)).to.deep.equal({ ...y, status: 'declined' });
      });

      it('returns null for an unknown invite', async function () {
        expect(await store.partners.settleInvite(uid('i'), 'accepted')).to.equal(null);
        expect(await store.partners.settleInvite(uid('i'), 'declined')).to.equal(null);
        expect(await store.partners.invite(uid('i'))).to.equal(null);
      });

      it("settling a stale invite again does not touch the pair's newer pending invite", async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const old = inviteOf(a, b);
        await store.partners.createInvite(old);
        await store.partners.settleInvite(old.id, 'declined');
        const fresh = inviteOf(b, a);
        await store.partners.createInvite(fresh);
        expect(await store.partners.settleInvite(old.id, 'accepted')).to.equal(null);
        expect(await store.partners.createInvite(inviteOf(a, b))).to.equal('exists');
        expect(await store.partners.pendingInvitesOf(a.id)).to.deep.equal([fresh]);
      });

      it("of 20 concurrent settles exactly one returns the invite, and the stored status is that one's", async function () {
        const i = inviteOf(person('Alex'), person('Sam'));
        await store.partners.createInvite(i);
        const answers = await Promise.all(range(1, 20).map((n) => store.partners.settleInvite(i.id, n % 2 ? 'accepted' : 'declined')));
        const settled = answers.filter((r) => r !== null);
        expect(settled).to.have.length(1);
        expect(settled[0]).to.deep.equal({ ...i, status: settled[0]!.status });
        expect(await store.partners.invite(i.id)).to.deep.equal(settled[0]);
        expect(await store.partners.pendingInvitesOf(i.from.id)).to.deep.equal([]);
      });
    });

    describe('read marks', function () {
      it('a partnership nobody has read has no marks', async function () {
        expect(await store.partners.readMarks(uid('p'))).to.deep.equal({});
      });

      it('markRead moves the mark forward and resolves the mark', async function () {
        const [p, u] = [uid('p'), uid('u')];
        expect(await store.partners.markRead(p, u, 3)).to.equal(3);
        expect(await store.partners.markRead(p, u, 7)).to.equal(7);
        expect(await store.partners.readMarks(p)).to.deep.equal({ [u]: 7 });
      });

      it('markRead never moves back: a lower or equal seq resolves the existing mark and changes nothing', async function () {
        const [p, u] = [uid('p'), uid('u')];
        await store.partners.markRead(p, u, 9);
        expect(await store.partners.markRead(p, u, 4)).to.equal(9);
        expect(await store.partners.markRead(p, u, 9)).to.equal(9);
        expect(await store.partners.markRead(p, u, 0)).to.equal(9);
        expect(await store.partners.readMarks(p)).to.deep.equal({ [u]: 9 });
      });

      it('marking 0 for a user who never read resolves 0 and leaves them absent', async function () {
        const [p, u, v] = [uid('p'), uid('u'), uid('u')];
        expect(await store.partners.markRead(p, u, 0)).to.equal(0);
        expect(await store.partners.readMarks(p)).to.deep.equal({});
        await store.partners.markRead(p, v, 2);
        expect(await store.partners.markRead(p, u, 0)).to.equal(0);
        expect(await store.partners.readMarks(p)).to.deep.equal({ [v]: 2 });
      });

      it('marks are per user and per partnership', async function () {
        const [p, q] = [uid('p'), uid('p')];
        const [u, v] = [uid('u'), uid('u')];
        await store.partners.markRead(p, u, 5);
        await store.partners.markRead(p, v, 2);
        await store.partners.markRead(q, u, 1);
        expect(await store.partners.readMarks(p)).to.deep.equal({ [u]: 5, [v]: 2 });
        expect(await store.partners.readMarks(q)).to.deep.equal({ [u]: 1 });
      });

      it('concurrent markRead with different seqs ends at the highest, and each resolves at least its own seq', async function () {
        const [p, u, v] = [uid('p'), uid('u'), uid('u')];
        const seqs = range(1, 30).sort(() => Math.random() - 0.5);
        const [answers] = await Promise.all([
          Promise.all(seqs.map((s) => store.partners.markRead(p, u, s))),
          Promise.all(seqs.map((s) => store.partners.markRead(p, v, s + 100))),
        ]);
        answers.forEach((mark, i) => {
          expect(mark).to.be.at.least(seqs[i]!);
          expect(mark).to.be.at.most(30);
        });
        expect(await store.partners.readMarks(p)).to.deep.equal({ [u]: 30, [v]: 130 });
      });
    });

    describe('returned partner objects are copies', function () {
      it('mutating a partnership passed in or returned by partnership, partnershipsOf, activePartnershipBetween or endPartnership does not change what is stored', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const p = partnershipOf(a, b);
        const pristine = structuredClone(p);
        await store.partners.createPartnership(p, 3);
        p.users[0].name = 'changed';
        p.status = 'ended';

        (await store.partners.partnership(pristine.id))!.users[1].name = 'changed';
        (await store.partners.partnershipsOf(a.id))[0]!.createdAt = 0;
        (await store.partners.partnershipsOf(b.id)).push(partnershipOf(a, b));
        const between = (await store.partners.activePartnershipBetween(a.id, b.id))!;
        between.status = 'ended';
        between.users[0].id = 'changed';
        expect(await store.partners.partnership(pristine.id)).to.deep.equal(pristine);
        expect(await store.partners.partnershipsOf(a.id)).to.deep.equal([pristine]);
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([pristine]);
        expect(await store.partners.activePartnershipBetween(a.id, b.id)).to.deep.equal(pristine);

        const at = Date.now();
        const end = (await store.partners.endPartnership(pristine.id, a.id, at))!;
        end.endedBy = 'changed';
        end.users[1].name = 'changed';
        expect(await store.partners.partnership(pristine.id)).to.deep.equal(ended(pristine, a.id, at));
        const again = (await store.partners.endPartnership(pristine.id, b.id, at + 1))!;
        again.endedAt = 0;
        expect(await store.partners.partnershipsOf(b.id)).to.deep.equal([ended(pristine, a.id, at)]);
      });

      it('mutating an invite passed in or returned by invite, pendingInvitesOf or settleInvite does not change what is stored', async function () {
        const [a, b] = [person('Alex'), person('Sam')];
        const i = inviteOf(a, b, { note: 'keep me' });
        const pristine = structuredClone(i);
        await store.partners.createInvite(i);
        i.note = 'changed';
        i.from.name = 'changed';

        (await store.partners.invite(pristine.id))!.status = 'accepted';
        const listed = (await store.partners.pendingInvitesOf(b.id))[0]!;
        listed.to.name = 'changed';
        listed.status = 'declined';
        (await store.partners.pendingInvitesOf(a.id)).push(inviteOf(a, b));
        expect(await store.partners.invite(pristine.id)).to.deep.equal(pristine);
        expect(await store.partners.pendingInvitesOf(a.id)).to.deep.equal([pristine]);
        expect(await store.partners.pendingInvitesOf(b.id)).to.deep.equal([pristine]);

        const settled = (await store.partners.settleInvite(pristine.id, 'accepted'))!;
        settled.status = 'pending';
        settled.note = 'changed';
        const { note: _note, ...withoutNote } = pristine;
        expect(await store.partners.invite(pristine.id)).to.deep.equal({ ...withoutNote, status: 'accepted' });
        expect(await store.partners.pendingInvitesOf(a.id)).to.deep.equal([]);
      });

      it('mutating returned read marks does not change what is stored', async function () {
        const [p, u] = [uid('p'), uid('u')];
        await store.partners.markRead(p, u, 4);
        const marks = await store.partners.readMarks(p);
        marks[u] = 100;
        marks['intruder'] = 1;
        expect(await store.partners.readMarks(p)).to.deep.equal({ [u]: 4 });
      });
    });
  });
}
