import { expect } from 'chai';
import type { Checkin } from '../../shared/index.js';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`check-ins without a partner (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it("checkin:send keeps a check-in in the person's own log; a resend answers the original", async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      const { checkin } = await c.ok('checkin:send', { mood: 2, craving: 7, used: true, note: '  rough evening ', clientMsgId: 'k1' });
      expect(checkin).to.include({ mood: 2, craving: 7, used: true, note: 'rough evening', clientMsgId: 'k1' });
      const again = await c.ok('checkin:send', { mood: 5, craving: 0, used: false, clientMsgId: 'k1' });
      expect(again.checkin).to.deep.equal(checkin);
      expect(await srv.store.checkins.checkinsOf(sam.id, 0)).to.deep.equal([checkin]);
    });

    it('refuses out-of-range values with BAD_REQUEST', async () => {
      const c = await connect(srv.user('participant'));
      for (const bad of [
        { mood: 0, craving: 3, used: false, clientMsgId: 'b1' },
        { mood: 3, craving: 11, used: false, clientMsgId: 'b2' },
        { mood: 3, craving: 3, clientMsgId: 'b3' },
        { mood: 3, craving: 3, used: 'yes', clientMsgId: 'b4' },
      ]) {
        const res = await c.ack('checkin:send', bad);
        expect(res.ok, JSON.stringify(bad)).to.equal(false);
        if (!res.ok) expect(res.error.code).to.equal('BAD_REQUEST');
      }
    });

    it("checkin:sharing is 'none' until chosen, changeable, and read back without 'with'", async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      expect(await c.ok('checkin:sharing', {})).to.deep.equal({ with: 'none' });
      expect(await c.ok('checkin:sharing', { with: 'staff' })).to.deep.equal({ with: 'staff' });
      expect(await c.ok('checkin:sharing', {})).to.deep.equal({ with: 'staff' });
      expect(await srv.store.checkins.sharingOf(sam.id)).to.equal('staff');
      await c.ok('checkin:sharing', { with: 'partners' });
      expect(await srv.store.checkins.sharingOf(sam.id)).to.equal('partners');
    });

    it("a check-in's note and values are never logged", async () => {
      const c = await connect(srv.user('participant'));
      await c.ok('checkin:send', { mood: 1, craving: 9, used: true, note: 'zebra-note-marker', clientMsgId: 'n1' });
      expect(srv.logs.join('\n')).not.to.include('zebra-note-marker');
    });

    it('GET /api/me/export holds the check-ins and the sharing choice; DELETE /api/me erases both', async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      await c.ok('checkin:sharing', { with: 'staff' });
      const a = (await c.ok('checkin:send', { mood: 3, craving: 4, used: false, note: 'ok day', clientMsgId: 'e1' })).checkin;
      const b = (await c.ok('checkin:send', { mood: 2, craving: 8, used: true, clientMsgId: 'e2' })).checkin;
      const exported = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(exported.checkins).to.deep.equal([a, b]);
      expect(exported.checkinSharing).to.equal('staff');
      const erased = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(erased.body.data.erasedCheckins).to.equal(2);
      expect(await srv.store.checkins.checkinsOf(sam.id, 0)).to.deep.equal([]);
      const after = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(after.checkins).to.deep.equal([]);
      expect(after.checkinSharing).to.equal('none');
    });

    describe('GET /api/groups/:groupId/members/:userId/checkins', () => {
      async function scene() {
        const fac = srv.user('facilitator');
        const sam = srv.user('participant');
        const kim = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [sam, kim]);
        const c = await connect(sam);
        return { fac, sam, kim, groupId, c };
      }
      const trend = (groupId: string, userId: string, token: string) =>
        http(srv.url, 'GET', `/api/groups/${groupId}/members/${userId}/checkins`, { token });

      it("gives the group's facilitator and an admin a per-day trend when the member shares with staff", async () => {
        const { fac, sam, groupId, c } = await scene();
        await c.ok('checkin:sharing', { with: 'staff' });
        await c.ok('checkin:send', { mood: 4, craving: 2, used: false, clientMsgId: 't1' });
        await c.ok('checkin:send', { mood: 1, craving: 9, used: true, clientMsgId: 't2' });
        const today = new Date().toISOString().slice(0, 10);
        const expected = [{ day: today, checkins: 2, mood: 2.5, craving: 9, used: true }];
        for (const who of [fac, srv.user('admin')]) {
          const res = await trend(groupId, sam.id, who.token);
          expect(res.status).to.equal(200);
          expect(res.body.data.days).to.deep.equal(expected);
        }
      });

      it('leaves out check-ins older than 14 days', async () => {
        const { fac, sam, groupId, c } = await scene();
        await c.ok('checkin:sharing', { with: 'staff' });
        const old = Date.now() - 15 * 24 * 60 * 60 * 1000;
        await srv.store.checkins.appendCheckin(sam.id, { id: 'old1', clientMsgId: 'old', at: old, mood: 1, craving: 10, used: true });
        expect((await trend(groupId, sam.id, fac.token)).body.data.days).to.deep.equal([]);
      });

      it("is FORBIDDEN when sharing is 'none' or 'partners', to a participant, to another group's facilitator, and for a non-member", async () => {
        const { fac, sam, kim, groupId, c } = await scene();
        await c.ok('checkin:send', { mood: 3, craving: 3, used: false, clientMsgId: 'f1' });
        expect((await trend(groupId, sam.id, fac.token)).body.error.code, 'none').to.equal('FORBIDDEN');
        await c.ok('checkin:sharing', { with: 'partners' });
        expect((await trend(groupId, sam.id, fac.token)).body.error.code, 'partners').to.equal('FORBIDDEN');
        await c.ok('checkin:sharing', { with: 'staff' });
        expect((await trend(groupId, sam.id, kim.token)).body.error.code, 'a participant').to.equal('FORBIDDEN');
        const otherFac = srv.user('facilitator');
        await makeGroup(srv, otherFac, [sam]);
        expect((await trend(groupId, sam.id, otherFac.token)).body.error.code, "another group's facilitator").to.equal('FORBIDDEN');
        const stranger = srv.user('participant');
        await (await connect(stranger)).ok('checkin:sharing', { with: 'staff' });
        expect((await trend(groupId, stranger.id, fac.token)).body.error.code, 'not a member').to.equal('FORBIDDEN');
        expect((await trend(groupId, sam.id, fac.token)).status).to.equal(200);
      });
    });

    describe("GET /api/partnerships/:partnershipId/checkins (the partner's trend)", () => {
      /** Sam and Kim, partners by staff pairing in a group of Fac's; Sam checks in twice. */
      async function scene(sharing: 'partners' | 'staff' | 'none') {
        const fac = srv.user('facilitator');
        const [sam, kim] = [srv.user('participant'), srv.user('participant')];
        const groupId = await makeGroup(srv, fac, [sam, kim]);
        const paired = await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [sam.id, kim.id] } });
        expect(paired.status, paired.text).to.equal(201);
        const partnershipId: string = paired.body.data.partnership.id;
        const cs = await connect(sam);
        await cs.ok('checkin:sharing', { with: sharing });
        await cs.ok('checkin:send', { mood: 4, craving: 2, used: false, clientMsgId: 'p1' });
        await cs.ok('checkin:send', { mood: 2, craving: 6, used: false, clientMsgId: 'p2' });
        return { fac, sam, kim, groupId, partnershipId, cs };
      }
      const trend = (partnershipId: string, token: string) =>
        http(srv.url, 'GET', `/api/partnerships/${partnershipId}/checkins`, { token });

      it("shows a partner the person's 14-day trend while they share with partners", async () => {
        const { kim, partnershipId } = await scene('partners');
        const res = await trend(partnershipId, kim.token);
        expect(res.status, res.text).to.equal(200);
        const today = new Date().toISOString().slice(0, 10);
        expect(res.body.data.days).to.deep.equal([{ day: today, checkins: 2, mood: 3, craving: 6, used: false }]);
      });

      it("shows the caller their partner's check-ins, never their own", async () => {
        const { sam, partnershipId } = await scene('partners');
        // Kim never checked in and shares nothing: Sam sees nothing of Kim's.
        expect((await trend(partnershipId, sam.token)).body.error.code).to.equal('FORBIDDEN');
      });

      for (const sharing of ['none', 'staff'] as const) {
        it(`is FORBIDDEN when sharing is '${sharing}'`, async () => {
          const { kim, partnershipId } = await scene(sharing);
          const res = await trend(partnershipId, kim.token);
          expect(res.status).to.equal(403);
          expect(res.body.error.code).to.equal('FORBIDDEN');
        });
      }

      it('is NOT_FOUND to anyone outside the partnership: a stranger, the staff who paired them, an admin', async () => {
        const { fac, partnershipId } = await scene('partners');
        for (const [who, token] of [
          ['a stranger', srv.user('participant').token],
          ['the facilitator', fac.token],
          ['an admin', srv.user('admin').token],
        ] as const) {
          const res = await trend(partnershipId, token);
          expect(res.body.error?.code, who).to.equal('NOT_FOUND');
        }
      });

      it('is FORBIDDEN once the partnership has ended', async () => {
        const { kim, partnershipId } = await scene('partners');
        await (await connect(kim)).ok('partner:end', { partnershipId });
        expect((await trend(partnershipId, kim.token)).body.error.code).to.equal('FORBIDDEN');
      });
    });

    describe("each group's check-in rules (GET/PUT /api/groups/:groupId/checkin-rules)", () => {
      const DEFAULTS = { craving: 8, jump: 4, used: true, silenceHours: 26 };
      const rulesOf = (groupId: string, token: string) => http(srv.url, 'GET', `/api/groups/${groupId}/checkin-rules`, { token });
      const setRules = (groupId: string, token: string, body: unknown) =>
        http(srv.url, 'PUT', `/api/groups/${groupId}/checkin-rules`, { token, body });
      const checkinAlerts = async (groupId: string) =>
        (await srv.store.reportQueue.reports(groupId, 'all')).filter((r) => r.kind === 'checkin');

      it('are the defaults until set; a PUT replaces what the group set, absent fields take the defaults again', async () => {
        const fac = srv.user('facilitator');
        const groupId = await makeGroup(srv, fac, []);
        expect((await rulesOf(groupId, fac.token)).body.data).to.deep.equal({ rules: DEFAULTS, defaults: DEFAULTS });
        const set = await setRules(groupId, fac.token, { craving: 5, jump: null, silenceHours: 0.5 });
        expect(set.status, set.text).to.equal(200);
        const custom = { craving: 5, jump: null, used: true, silenceHours: 0.5 };
        expect(set.body.data).to.deep.equal({ rules: custom, defaults: DEFAULTS });
        expect((await rulesOf(groupId, srv.user('admin').token)).body.data.rules, 'an admin reads them').to.deep.equal(custom);
        await setRules(groupId, fac.token, { used: false });
        expect((await rulesOf(groupId, fac.token)).body.data.rules).to.deep.equal({ ...DEFAULTS, used: false });
      });

      it("are for the group's facilitators and admins only; bad values are BAD_REQUEST", async () => {
        const fac = srv.user('facilitator');
        const sam = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [sam]);
        const otherFac = srv.user('facilitator');
        await makeGroup(srv, otherFac, []);
        for (const who of [sam, otherFac]) {
          expect((await rulesOf(groupId, who.token)).body.error.code).to.equal('FORBIDDEN');
          expect((await setRules(groupId, who.token, { craving: 1 })).body.error.code).to.equal('FORBIDDEN');
        }
        for (const bad of [{ craving: 11 }, { jump: 0 }, { silenceHours: 0 }, { silenceHours: 721 }, { used: 'yes' }, { craving: 2.5 }]) {
          const res = await setRules(groupId, fac.token, bad);
          expect(res.status, JSON.stringify(bad)).to.equal(400);
          expect(res.body.error.code).to.equal('BAD_REQUEST');
        }
        expect((await setRules(groupId, srv.user('admin').token, { craving: 3 })).status, 'an admin sets them').to.equal(200);
      });

      it('each change is audited as checkin_rules, ids only; a PUT that changes nothing is not', async () => {
        const fac = srv.user('facilitator');
        const groupId = await makeGroup(srv, fac, []);
        await setRules(groupId, fac.token, { craving: 6 });
        await setRules(groupId, fac.token, { craving: 6 });
        await setRules(groupId, fac.token, {});
        const { entries } = (await http(srv.url, 'GET', `/api/groups/${groupId}/audit`, { token: fac.token })).body.data;
        const changes = entries.filter((e: { action: string }) => e.action === 'checkin_rules');
        expect(changes).to.have.length(2);
        for (const e of changes) expect(e).to.have.all.keys('seq', 'groupId', 'at', 'actor', 'action');
      });

      it("a check-in is judged in each of the person's groups by that group's rules", async () => {
        const [facA, facB] = [srv.user('facilitator'), srv.user('facilitator')];
        const sam = srv.user('participant');
        const [a, b] = [await makeGroup(srv, facA, [sam]), await makeGroup(srv, facB, [sam])];
        await setRules(a, facA.token, { craving: 5, used: false });
        await setRules(b, facB.token, { craving: null, jump: 2 });
        const c = await connect(sam);
        await c.ok('checkin:sharing', { with: 'staff' });
        await c.ok('checkin:send', { mood: 3, craving: 3, used: false, clientMsgId: 'g1' });
        await c.ok('checkin:send', { mood: 2, craving: 6, used: true, clientMsgId: 'g2' });
        expect((await checkinAlerts(a)).map((r) => r.rule)).to.deep.equal(['craving']);
        expect((await checkinAlerts(b)).map((r) => r.rule).sort()).to.deep.equal(['jump', 'used']);
      });
    });

    describe('silence: no check-in from someone who opted in to daily check-ins (checkin:daily)', () => {
      /** A two-second window, set by the group (silenceHours takes decimals). */
      const WINDOW_MS = 2000;
      async function scene() {
        const fac = srv.user('facilitator');
        const people = [srv.user('participant'), srv.user('participant'), srv.user('participant'), srv.user('participant')];
        const groupId = await makeGroup(srv, fac, people);
        const set = await http(srv.url, 'PUT', `/api/groups/${groupId}/checkin-rules`, {
          token: fac.token,
          body: { silenceHours: WINDOW_MS / 3_600_000 },
        });
        expect(set.status, set.text).to.equal(200);
        const cf = await connect(fac);
        return { groupId, cf, people };
      }
      const silences = async (groupId: string) =>
        (await srv.store.reportQueue.reports(groupId, 'all')).filter((r) => r.kind === 'checkin' && r.rule === 'silence');

      it('checkin:daily is off until opted in, changeable, and read back without `on`', async () => {
        const sam = srv.user('participant');
        const c = await connect(sam);
        expect(await c.ok('checkin:daily', {})).to.deep.equal({ on: false });
        expect(await c.ok('checkin:daily', { on: true })).to.deep.equal({ on: true });
        expect(await c.ok('checkin:daily', {})).to.deep.equal({ on: true });
        expect((await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data.checkinDaily, 'in the export').to.equal(true);
        expect(await c.ok('checkin:daily', { on: false })).to.deep.equal({ on: false });
        const bad = await c.ack('checkin:daily', { on: 'yes' });
        expect(bad.ok).to.equal(false);
        if (!bad.ok) expect(bad.error.code).to.equal('BAD_REQUEST');
      });

      it("fires once after the group's window, not before, and again only after the next check-in and silence", async () => {
        const { groupId, cf, people } = await scene();
        const [sam] = people;
        const c = await connect(sam!);
        await c.ok('checkin:sharing', { with: 'staff' });
        await c.ok('checkin:daily', { on: true });
        const first = (await c.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'd1' })).checkin;
        expect(await silences(groupId), 'before the window').to.deep.equal([]);
        const live = await cf.waitEvent('alert:changed', (a) => a.rule === 'silence', 10_000);
        expect(live).to.deep.include({
          scope: 'group',
          groupId,
          kind: 'checkin',
          severity: 'report',
          userId: sam!.id,
          rule: 'silence',
          status: 'open',
        });
        expect(live, 'a silence names no check-in').not.to.have.any.keys('checkinId', 'conversation', 'messageId');
        expect(live.createdAt, 'not before the window').to.be.at.least(first.at + WINDOW_MS);
        const second = (await c.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'd2' })).checkin;
        const both = await waitFor(
          () => {
            const got = cf.received('alert:changed', (a) => a.rule === 'silence');
            return got.length >= 2 && got;
          },
          'the second silence',
          10_000,
        );
        // The first silence, then the second: none raised twice while the second was counted.
        expect(both.map((a) => a.id)).to.have.length(2);
        expect(both[1]!.createdAt).to.be.at.least(second.at + WINDOW_MS);
        expect(await silences(groupId)).to.have.length(2);
      });

      it('nothing fires for someone who does not share with staff, or did not opt in, or opted out', async () => {
        const { groupId, cf, people } = await scene();
        const [partnersOnly, notOptedIn, optedOut, sharer] = people;
        const a = await connect(partnersOnly!);
        await a.ok('checkin:sharing', { with: 'partners' });
        await a.ok('checkin:daily', { on: true });
        await a.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'x1' });
        const b = await connect(notOptedIn!);
        await b.ok('checkin:sharing', { with: 'staff' });
        await b.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'x2' });
        const o = await connect(optedOut!);
        await o.ok('checkin:sharing', { with: 'staff' });
        await o.ok('checkin:daily', { on: true });
        await o.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'x3' });
        await o.ok('checkin:daily', { on: false });
        // Someone whose silence does fire, counted after all the others: when theirs is raised,
        // the others' windows have passed too.
        const s = await connect(sharer!);
        await s.ok('checkin:sharing', { with: 'staff' });
        await s.ok('checkin:daily', { on: true });
        await s.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: 'x4' });
        await cf.waitEvent('alert:changed', (al) => al.rule === 'silence', 10_000);
        expect((await silences(groupId)).map((r) => r.userId)).to.deep.equal([sharer!.id]);
      });
    });

    describe('alert rules (craving at or above CHECKIN_CRAVING_ALERT, a jump of CHECKIN_JUMP_ALERT, used)', () => {
      /** Sam in a group with a connected facilitator, and Kim, Sam's partner, connected too. */
      async function scene(sharing: 'staff' | 'partners' | 'none' = 'staff') {
        const fac = srv.user('facilitator');
        const [sam, kim] = [srv.user('participant'), srv.user('participant')];
        const groupId = await makeGroup(srv, fac, [sam, kim]);
        const paired = await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [sam.id, kim.id] } });
        expect(paired.status, paired.text).to.equal(201);
        const [cf, cs, ck] = [await connect(fac), await connect(sam), await connect(kim)];
        await cs.ok('checkin:sharing', { with: sharing });
        return { fac, sam, kim, groupId, cf, cs, ck };
      }
      const checkinAlerts = async (groupId: string) =>
        (await srv.store.reportQueue.reports(groupId, 'all')).filter((r) => r.kind === 'checkin');

      for (const [rule, sends] of [
        ['craving', [{ mood: 2, craving: 8, used: false }]],
        [
          'jump',
          [
            { mood: 3, craving: 1, used: false },
            { mood: 2, craving: 5, used: false },
          ],
        ],
        ['used', [{ mood: 3, craving: 0, used: true }]],
      ] as const) {
        it(`'${rule}' fires once, into the staff inbox of the person's groups, never to the partner`, async () => {
          const { sam, groupId, cf, cs, ck } = await scene();
          const made: Checkin[] = [];
          for (const [i, p] of sends.entries()) made.push((await cs.ok('checkin:send', { ...p, clientMsgId: `${rule}${i}` })).checkin);
          const last = made.at(-1)!;
          const live = await cf.waitEvent('alert:changed', (a) => a.kind === 'checkin');
          expect(live).to.deep.include({
            scope: 'group',
            groupId,
            kind: 'checkin',
            severity: 'report',
            userId: sam.id,
            checkinId: last.id,
            rule,
            status: 'open',
          });
          expect(live).not.to.have.any.keys('conversation', 'messageId');
          // A resend of the same check-in raises nothing again.
          const p = sends[sends.length - 1]!;
          await cs.ok('checkin:send', { ...p, clientMsgId: `${rule}${sends.length - 1}` });
          await cf.ok('alert:list', {});
          expect((await checkinAlerts(groupId)).map((r) => [r.rule, r.checkinId])).to.deep.equal([[rule, last.id]]);
          expect(cf.received('alert:changed', (a) => a.kind === 'checkin')).to.have.length(1);
          expect((await cf.ok('alert:list', {})).alerts.filter((a) => a.kind === 'checkin')).to.have.length(1);
          await ck.ok('partner:list', {});
          expect(ck.received('alert:changed'), 'the partner').to.deep.equal([]);
          expect(ck.received('mod:alert'), 'the partner').to.deep.equal([]);
          expect((await ck.ok('alert:list', {})).alerts, 'the partner').to.deep.equal([]);
        });
      }

      it('a check-in that trips every rule raises one alert per rule', async () => {
        const { groupId, cs } = await scene();
        await cs.ok('checkin:send', { mood: 3, craving: 2, used: false, clientMsgId: 'a1' });
        await cs.ok('checkin:send', { mood: 1, craving: 9, used: true, clientMsgId: 'a2' });
        expect((await checkinAlerts(groupId)).map((r) => r.rule).sort()).to.deep.equal(['craving', 'jump', 'used']);
      });

      it('nothing fires below the thresholds: craving 7, a rise of 3, not used', async () => {
        const { groupId, cs } = await scene();
        await cs.ok('checkin:send', { mood: 3, craving: 4, used: false, clientMsgId: 'q1' });
        await cs.ok('checkin:send', { mood: 3, craving: 7, used: false, clientMsgId: 'q2' });
        expect(await checkinAlerts(groupId)).to.deep.equal([]);
      });

      for (const sharing of ['none', 'partners'] as const) {
        it(`nothing fires when sharing is '${sharing}'`, async () => {
          const { groupId, cf, cs, ck } = await scene(sharing);
          await cs.ok('checkin:send', { mood: 3, craving: 0, used: false, clientMsgId: 's1' });
          await cs.ok('checkin:send', { mood: 1, craving: 10, used: true, clientMsgId: 's2' });
          expect(await checkinAlerts(groupId)).to.deep.equal([]);
          await cf.ok('alert:list', {});
          await ck.ok('alert:list', {});
          expect(cf.received('alert:changed')).to.deep.equal([]);
          expect(ck.received('alert:changed')).to.deep.equal([]);
        });
      }
    });
  });
}
