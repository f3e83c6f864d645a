// Facilitator controls over members (§5 mod:mute, mod:unmute, mod:remove, mod:ban, mod:unban) and
// who may use any mod:* event at all. Room-wide controls are in moderation-room.test.ts, the
// audit log itself in audit.test.ts.
import { expect } from 'chai';
import type { ClientEventName } from '../../shared/index.js';
import { codeOf, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

/** 'ok', or the error code of a refused ack. */
/** The events that would show a moderation action reached this client. */
const MOD_EFFECTS = ['mod:notice', 'group:state', 'group:deleted', 'group:hand'];

for (const kind of STORE_KINDS) {
  describe(`moderation of members (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, send, sent, room, closeAll } = roomClients(() => srv);
    const auditActions = async (groupId: string) => (await srv.store.auditLog.audit(groupId, { limit: 200 })).entries.map((e) => e.action);
    /** Everything a refused moderation action could have changed, read from the store itself. */
    const snapshot = async (groupId: string, userIds: string[]) => ({
      state: await srv.store.room.roomState(groupId),
      history: await srv.store.log.history({ kind: 'group', id: groupId }, { limit: 100 }),
      audit: await srv.store.auditLog.audit(groupId, { limit: 200 }),
      members: await Promise.all(
        userIds.map(async (id) => ({
          id,
          mute: await srv.store.moderation.muteOf(groupId, id, Date.now()),
          banned: await srv.store.moderation.isBanned(groupId, id),
          enrolment: await srv.store.groups.enrolment(groupId, id),
          waiting: await srv.store.moderation.waitingFacts(groupId, id),
        })),
      ),
    });

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    describe('who may moderate', () => {
      const outsiders: { who: string; make: (groupId: string, owner: TestUser) => Promise<TestUser> }[] = [
        {
          who: 'a participant of the group',
          make: async (groupId, owner) => {
            const p = srv.user();
            await enrol(srv, groupId, owner, p, 'participant', p.name);
            return p;
          },
        },
        {
          who: 'a facilitator of another group',
          make: async () => {
            const other = srv.user('facilitator');
            await makeGroup(srv, other);
            return other;
          },
        },
        { who: 'a user not enrolled in the group', make: async () => srv.user() },
      ];

      for (const { who, make } of outsiders) {
        it(`refuses every mod:* event from ${who} with FORBIDDEN and changes nothing`, async () => {
          const fac = srv.user('facilitator');
          const [b, c] = [srv.user(), srv.user()];
          const groupId = await makeGroup(srv, fac, [b, c]);
          const cf = await enter(fac, groupId);
          const cb = await enter(b, groupId);
          const first = await sent(cb, groupId, 'first share');
          const second = await sent(cb, groupId, 'second share');
          await cb.ok('group:hand', { groupId, raised: true });
          // Some state the outsider could try to undo: a pin, and c muted and banned.
          await cf.ok('mod:pin', { groupId, messageId: first.id });
          await cf.ok('mod:mute', { groupId, userId: c.id });
          await cf.ok('mod:ban', { groupId, userId: c.id });
          const attacker = await make(groupId, fac);
          const ca = await connect(attacker);
          await cb.sync(groupId);
          const before = await snapshot(groupId, [b.id, c.id, fac.id, attacker.id]);
          expect(before.state).to.deep.include({ pinnedMessageId: first.id, handQueue: [b.id] });
          const seenByB = cb.events.length;
          const seenByFac = cf.events.length;

          const attempts: [ClientEventName, unknown][] = [
            ['mod:mute', { groupId, userId: b.id }],
            ['mod:mute', { groupId, userId: b.id, minutes: 5 }],
            ['mod:unmute', { groupId, userId: c.id }],
            ['mod:remove', { groupId, userId: b.id }],
            ['mod:ban', { groupId, userId: b.id, reason: 'no reason' }],
            ['mod:unban', { groupId, userId: c.id }],
            ['mod:delete', { groupId, messageId: second.id, reason: 'no reason' }],
            ['mod:lock', { groupId, locked: true }],
            ['mod:slowmode', { groupId, seconds: 30 }],
            ['mod:pin', { groupId, messageId: second.id }],
            ['mod:pin', { groupId, messageId: null }],
            ['mod:session', { groupId, open: false }],
            ['mod:quiet', { groupId, quiet: true }],
            ['mod:lowerHand', { groupId, userId: b.id }],
          ];
          for (const [event, payload] of attempts) {
            expect(codeOf(await ca.ack(event, payload)), `${event} ${JSON.stringify(payload)}`).to.equal('FORBIDDEN');
          }

          expect(await snapshot(groupId, [b.id, c.id, fac.id, attacker.id])).to.deep.equal(before);
          await cb.sync(groupId);
          await cf.sync(groupId);
          expect(cb.events.slice(seenByB).filter((e) => MOD_EFFECTS.includes(e.event))).to.deep.equal([]);
          expect(cf.events.slice(seenByFac).filter((e) => MOD_EFFECTS.includes(e.event))).to.deep.equal([]);
          // b is still in the room, can send and still has the floor.
          const after = await sent(cf, groupId, 'still here?');
          await waitFor(() => cb.messages(groupId).some((m) => m.id === after.id), 'the facilitator message reaching b');
          expect(codeOf(await send(cb, groupId, 'yes'))).to.equal('ok');
        });
      }

      it('takes the group role from enrolment: a participant token enrolled as facilitator moderates, a facilitator token enrolled as participant does not', async () => {
        const owner = srv.user('facilitator');
        const coLead = srv.user('participant');
        const staff = srv.user('facilitator');
        const target = srv.user();
        const groupId = await makeGroup(srv, owner, [staff, target]);
        await enrol(srv, groupId, owner, coLead, 'facilitator', coLead.name);
        const cs = await enter(staff, groupId);
        const cl = await enter(coLead, groupId);
        const ct = await enter(target, groupId);

        expect(codeOf(await cs.ack('mod:mute', { groupId, userId: target.id }))).to.equal('FORBIDDEN');
        expect(codeOf(await cs.ack('mod:lock', { groupId, locked: true }))).to.equal('FORBIDDEN');
        expect(await srv.store.moderation.muteOf(groupId, target.id, Date.now())).to.equal(null);
        expect((await srv.store.room.roomState(groupId)).locked).to.equal(false);

        expect(codeOf(await cl.ack('mod:mute', { groupId, userId: target.id }))).to.equal('ok');
        await ct.waitEvent('mod:notice', (p) => p.action === 'muted');
        expect(codeOf(await send(ct, groupId))).to.equal('MUTED');
        // A participant-enrolled facilitator token is a participant here: a co-facilitator may mute them.
        expect(codeOf(await cl.ack('mod:mute', { groupId, userId: staff.id }))).to.equal('ok');
        const audit = (await srv.store.auditLog.audit(groupId, { limit: 10 })).entries;
        const byOwner = { id: owner.id, name: owner.name, role: 'facilitator' };
        expect(audit.map((e) => [e.action, e.actor, e.targetUserId])).to.deep.equal([
          ['mute', { id: coLead.id, name: coLead.name, role: 'facilitator' }, staff.id],
          ['mute', { id: coLead.id, name: coLead.name, role: 'facilitator' }, target.id],
          ['enrol', byOwner, coLead.id],
          ['enrol', byOwner, target.id],
          ['enrol', byOwner, staff.id],
        ]);
      });

      it('lets a facilitator mute, remove or ban only participants, while an admin who is not enrolled may act on a facilitator', async () => {
        const fac = srv.user('facilitator');
        const coFac = srv.user('facilitator');
        const admin = srv.user('admin');
        const groupId = await makeGroup(srv, fac);
        await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
        const cf = await enter(fac, groupId);
        const cc = await enter(coFac, groupId);
        const before = await snapshot(groupId, [coFac.id]);
        for (const [event, payload] of [
          ['mod:mute', { groupId, userId: coFac.id, minutes: 10 }],
          ['mod:unmute', { groupId, userId: coFac.id }],
          ['mod:remove', { groupId, userId: coFac.id }],
          ['mod:ban', { groupId, userId: coFac.id }],
        ] as [ClientEventName, unknown][]) {
          expect(codeOf(await cf.ack(event, payload)), event).to.equal('FORBIDDEN');
        }
        expect(await snapshot(groupId, [coFac.id])).to.deep.equal(before);
        await cc.sync(groupId);
        expect(cc.received('mod:notice')).to.deep.equal([]);

        const ca = await connect(admin);
        await ca.ok('mod:mute', { groupId, userId: coFac.id, minutes: 10 });
        const notice = await cc.waitEvent('mod:notice');
        expect(notice).to.include({ groupId, action: 'muted' });
        expect(codeOf(await send(cc, groupId))).to.equal('MUTED');
        await ca.ok('mod:unmute', { groupId, userId: coFac.id });
        expect(codeOf(await send(cc, groupId))).to.equal('ok');
        const [last] = (await srv.store.auditLog.audit(groupId, { limit: 1 })).entries;
        expect(last).to.deep.include({
          action: 'unmute',
          targetUserId: coFac.id,
          actor: { id: admin.id, name: admin.name, role: 'admin' },
        });
      });

      it("keeps a facilitator's enrolment for admins: a co-facilitator gets 403 FORBIDDEN demoting, renaming or unenrolling the group's creator (so cannot then ban them), or themselves", async () => {
        const creator = srv.user('facilitator', 'Dana (creator)');
        const coFac = srv.user('facilitator');
        const admin = srv.user('admin');
        const groupId = await makeGroup(srv, creator);
        const member = (u: TestUser) => `/api/groups/${groupId}/members/${u.id}`;
        const promote = { role: 'facilitator', name: coFac.name };
        expect((await http(srv.url, 'PUT', member(coFac), { token: creator.token, body: promote })).status).to.equal(200);
        const cc = await enter(coFac, groupId);
        const before = await snapshot(groupId, [creator.id, coFac.id]);

        for (const [method, target, body] of [
          ['PUT', creator, { role: 'participant' }],
          ['PUT', creator, { role: 'participant', name: 'Dana' }],
          ['PUT', creator, { role: 'facilitator', name: 'Not Dana' }],
          ['DELETE', creator, undefined],
          ['PUT', coFac, { role: 'participant' }],
          ['DELETE', coFac, undefined],
        ] as const) {
          const res = await http(srv.url, method, member(target), { token: coFac.token, body });
          expect(
            [res.status, res.body?.error?.code],
            `${method} ${target === creator ? 'creator' : 'self'} ${JSON.stringify(body)}`,
          ).to.deep.equal([403, 'FORBIDDEN']);
        }
        expect(codeOf(await cc.ack('mod:ban', { groupId, userId: creator.id }))).to.equal('FORBIDDEN');
        expect(await snapshot(groupId, [creator.id, coFac.id])).to.deep.equal(before);
        // Sending the promotion again changes nothing, so it is allowed (PUT stays idempotent) and not audited.
        expect((await http(srv.url, 'PUT', member(coFac), { token: creator.token, body: promote })).status).to.equal(200);
        expect(await auditActions(groupId)).to.deep.equal(['enrol']);

        // An admin may demote and unenrol a facilitator; once a participant, the co-facilitator's moderation applies.
        const demoted = await http(srv.url, 'PUT', member(creator), { token: admin.token, body: { role: 'participant' } });
        expect([demoted.status, demoted.body.data.member]).to.deep.equal([
          200,
          { userId: creator.id, role: 'participant', name: 'Dana (creator)' },
        ]);
        await cc.ok('mod:mute', { groupId, userId: creator.id });
        const out = await http(srv.url, 'DELETE', member(coFac), { token: admin.token });
        expect(out.status).to.equal(200);
        expect(await srv.store.groups.enrolment(groupId, coFac.id)).to.equal(null);
        const adminRef = { id: admin.id, name: admin.name, role: 'admin' };
        expect(
          (await srv.store.auditLog.audit(groupId, { limit: 3 })).entries.map((e) => [e.action, e.actor, e.targetUserId, e.role]),
        ).to.deep.equal([
          ['unenrol', adminRef, coFac.id, undefined],
          ['mute', { id: coFac.id, name: coFac.name, role: 'facilitator' }, creator.id, undefined],
          ['change_role', adminRef, creator.id, 'participant'],
        ]);
      });

      it('refuses anyone, facilitator or admin, who targets themselves with FORBIDDEN', async () => {
        const fac = srv.user('facilitator');
        const admin = srv.user('admin');
        const groupId = await makeGroup(srv, fac);
        await enrol(srv, groupId, fac, admin, 'participant', admin.name);
        const cf = await enter(fac, groupId);
        const ca = await enter(admin, groupId);
        for (const [c, self] of [
          [cf, fac],
          [ca, admin],
        ] as const) {
          for (const [event, payload] of [
            ['mod:mute', { groupId, userId: self.id }],
            ['mod:mute', { groupId, userId: self.id, minutes: 5 }],
            ['mod:remove', { groupId, userId: self.id }],
            ['mod:ban', { groupId, userId: self.id, reason: 'testing' }],
          ] as [ClientEventName, unknown][]) {
            expect(codeOf(await c.ack(event, payload)), `${self.role} ${event}`).to.equal('FORBIDDEN');
          }
        }
        expect(await srv.store.moderation.muteOf(groupId, fac.id, Date.now())).to.equal(null);
        expect(await srv.store.moderation.isBanned(groupId, fac.id)).to.equal(false);
        expect(await srv.store.moderation.isBanned(groupId, admin.id)).to.equal(false);
        expect(await auditActions(groupId)).to.deep.equal(['enrol']);
        expect(codeOf(await send(cf, groupId))).to.equal('ok');
      });

      it('answers NOT_FOUND for mute, unmute and remove of someone not enrolled, and for an unknown group', async () => {
        const fac = srv.user('facilitator');
        const stranger = srv.user();
        const groupId = await makeGroup(srv, fac);
        const cf = await enter(fac, groupId);
        expect(codeOf(await cf.ack('mod:mute', { groupId, userId: stranger.id }))).to.equal('NOT_FOUND');
        expect(codeOf(await cf.ack('mod:unmute', { groupId, userId: stranger.id }))).to.equal('NOT_FOUND');
        expect(codeOf(await cf.ack('mod:remove', { groupId, userId: stranger.id }))).to.equal('NOT_FOUND');
        expect(await srv.store.moderation.muteOf(groupId, stranger.id, Date.now())).to.equal(null);
        expect(await auditActions(groupId)).to.deep.equal([]);
        const admin = await connect(srv.user('admin'));
        expect(codeOf(await admin.ack('mod:mute', { groupId: 'no-such-group', userId: stranger.id }))).to.equal('NOT_FOUND');
        expect(codeOf(await cf.ack('mod:lock', { groupId: 'no-such-group', locked: true }))).to.equal('NOT_FOUND');
      });
    });

    describe('mute', () => {
      it('an open-ended mute tells the target, lowers their hand, refuses send, react and hand with MUTED without retryAfterMs, and lets them read', async () => {
        const {
          people: [a],
          groupId,
          cs: [ca, cb],
          cf,
        } = await room(2);
        const shared = await sent(cb, groupId, 'a share to react to');
        await ca.ok('group:hand', { groupId, raised: true });
        await cf.waitEvent('group:state', (s) => s.state.handQueue.includes(a.id));

        await cf.ok('mod:mute', { groupId, userId: a.id });
        expect(await ca.waitEvent('mod:notice')).to.deep.equal({ groupId, action: 'muted' });
        await cf.waitEvent('group:hand', (h) => h.userId === a.id && !h.raised);
        await cf.waitEvent('group:state', (s) => s.state.handQueue.length === 0);
        expect((await srv.store.room.roomState(groupId)).handQueue).to.deep.equal([]);
        expect(await srv.store.moderation.muteOf(groupId, a.id, Date.now())).to.deep.equal({ until: null });

        const refused = [
          await send(ca, groupId, 'can I say something'),
          await ca.ack('group:react', { groupId, messageId: shared.id, emoji: '❤️' }),
          await ca.ack('group:hand', { groupId, raised: true }),
        ];
        for (const res of refused) {
          expect(codeOf(res)).to.equal('MUTED');
          expect(res.ok === false && res.error).to.not.have.property('retryAfterMs');
        }
        expect((await srv.store.log.history({ kind: 'group', id: groupId }, { limit: 10 })).messages.map((m) => m.text)).to.deep.equal([
          'a share to react to',
        ]);
        expect((await srv.store.log.findMessage({ kind: 'group', id: groupId }, shared.id))?.reactions).to.equal(undefined);
        expect((await srv.store.room.roomState(groupId)).handQueue).to.deep.equal([]);

        // Reading still works: history, live messages, and a fresh join that says so.
        expect((await ca.ok('group:history', { groupId })).messages.map((m) => m.id)).to.deep.equal([shared.id]);
        const live = await sent(cb, groupId, 'we are still listening to you');
        await waitFor(() => ca.messages(groupId).some((m) => m.id === live.id), 'a live message reaching the muted participant');
        expect((await ca.ok('group:join', { groupId })).you).to.deep.equal({ muted: true });
        // The mute is this member's only.
        expect(codeOf(await send(cb, groupId))).to.equal('ok');
        expect(cb.received('mod:notice')).to.deep.equal([]);
        const [entry] = (await srv.store.auditLog.audit(groupId, { limit: 1 })).entries;
        expect(entry).to.deep.include({ action: 'mute', targetUserId: a.id });
        expect(entry).to.not.have.property('value');
      });

      it('a mute of 1 minute answers MUTED with retryAfterMs of about 60000 and shows mutedUntil on join', async () => {
        const {
          people: [a],
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        const t0 = Date.now();
        await cf.ok('mod:mute', { groupId, userId: a.id, minutes: 1 });
        const t1 = Date.now();
        const notice = await ca.waitEvent('mod:notice');
        expect(notice).to.have.all.keys('groupId', 'action', 'until');
        expect(notice).to.include({ groupId, action: 'muted' });
        expect(notice.until).to.be.within(t0 + 60_000, t1 + 60_000);

        const res = await send(ca, groupId);
        expect(codeOf(res)).to.equal('MUTED');
        const retry = res.ok ? undefined : res.error.retryAfterMs;
        expect(retry).to.be.a('number').within(55_000, 60_000);
        const hand = await ca.ack('group:hand', { groupId, raised: true });
        expect(codeOf(hand)).to.equal('MUTED');
        expect(hand.ok === false && hand.error.retryAfterMs).to.be.within(55_000, 60_000);
        expect((await ca.ok('group:join', { groupId })).you).to.deep.equal({ muted: true, mutedUntil: notice.until });
        const [entry] = (await srv.store.auditLog.audit(groupId, { limit: 1 })).entries;
        expect(entry).to.deep.include({ action: 'mute', targetUserId: a.id, value: 1 });
      });

      it('a timed mute ends by itself on the server clock: sends work again once its end has passed', async () => {
        const fac = srv.user('facilitator');
        const a = srv.user();
        const groupId = await makeGroup(srv, fac, [a]);
        const ca = await enter(a, groupId);
        const until = Date.now() + 1000;
        await srv.store.moderation.setMute(groupId, a.id, { until });
        const first = await send(ca, groupId, 'too soon');
        expect(codeOf(first)).to.equal('MUTED');
        expect(first.ok === false && first.error.retryAfterMs).to.be.within(1, 1000);
        expect((await ca.ok('group:join', { groupId })).you).to.deep.equal({ muted: true, mutedUntil: until });

        // Poll until the mute has run out; nobody unmutes.
        const deadline = Date.now() + 5000;
        let res = first;
        while (!res.ok) {
          expect(codeOf(res)).to.equal('MUTED');
          expect(Date.now(), 'the mute should have ended by now').to.be.below(deadline);
          await new Promise((r) => setTimeout(r, Math.min((res.ok ? 0 : res.error.retryAfterMs) ?? 50, 250)));
          res = await send(ca, groupId, 'back again');
        }
        expect(res.data.message.createdAt, 'not before the mute ended').to.be.at.least(until);
        expect((await ca.ok('group:join', { groupId })).you).to.deep.equal({ muted: false });
        expect(codeOf(await ca.ack('group:hand', { groupId, raised: true }))).to.equal('ok');
        expect(codeOf(await ca.ack('group:react', { groupId, messageId: res.data.message.id, emoji: '🙏' }))).to.equal('ok');
      });

      it('unmute tells the target and lets them send, react and raise a hand again', async () => {
        const {
          people: [a],
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        const m = await sent(cf, groupId, 'welcome');
        await cf.ok('mod:mute', { groupId, userId: a.id, minutes: 30 });
        expect(codeOf(await send(ca, groupId))).to.equal('MUTED');
        await cf.ok('mod:unmute', { groupId, userId: a.id });
        await waitFor(() => ca.received('mod:notice').length === 2, 'two notices');
        expect(ca.received('mod:notice').map((p) => p.action)).to.deep.equal(['muted', 'unmuted']);
        expect(ca.received('mod:notice')[1]).to.deep.equal({ groupId, action: 'unmuted' });
        expect(await srv.store.moderation.muteOf(groupId, a.id, Date.now())).to.equal(null);
        expect(codeOf(await send(ca, groupId, 'thank you'))).to.equal('ok');
        expect(codeOf(await ca.ack('group:react', { groupId, messageId: m.id, emoji: '🤗' }))).to.equal('ok');
        expect(codeOf(await ca.ack('group:hand', { groupId, raised: true }))).to.equal('ok');
        expect((await ca.ok('group:join', { groupId })).you).to.deep.equal({ muted: false });
        expect(await auditActions(groupId)).to.deep.equal(['unmute', 'mute', 'enrol']);
      });
    });

    describe('remove', () => {
      it('takes both tabs of the target out of the room at once, tells them, and lets them rejoin', async () => {
        const fac = srv.user('facilitator');
        const [a, b] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [a, b]);
        const tab1 = await enter(a, groupId);
        const tab2 = await enter(a, groupId);
        const cb = await enter(b, groupId);
        const cf = await enter(fac, groupId);
        const before = await sent(cb, groupId, 'before the remove');
        for (const tab of [tab1, tab2])
          await waitFor(() => tab.messages(groupId).some((m) => m.id === before.id), 'the message before the remove');
        await tab1.ok('group:hand', { groupId, raised: true });

        await cf.ok('mod:remove', { groupId, userId: a.id });
        for (const tab of [tab1, tab2]) expect(await tab.waitEvent('mod:notice')).to.deep.equal({ groupId, action: 'removed' });
        expect((await srv.store.room.roomState(groupId)).handQueue).to.deep.equal([]);
        const after = await sent(cb, groupId, 'after the remove');
        await waitFor(() => cf.messages(groupId).some((m) => m.id === after.id), 'the message reaching the facilitator');
        await tab1.sync(groupId);
        await tab2.sync(groupId);
        expect(tab1.messages(groupId).map((m) => m.id)).to.deep.equal([before.id]);
        expect(tab2.messages(groupId).map((m) => m.id)).to.deep.equal([before.id]);

        // Still enrolled and not banned: the tab may come back in.
        expect(await srv.store.groups.enrolment(groupId, a.id)).to.not.equal(null);
        const rejoined = await tab1.ok('group:join', { groupId, since: before.seq });
        expect(rejoined.messages.map((m) => m.id)).to.deep.equal([after.id]);
        const again = await sent(cb, groupId, 'welcome back');
        await waitFor(() => tab1.messages(groupId).some((m) => m.id === again.id), 'a message after rejoining');
        await tab2.sync(groupId);
        expect(
          tab2.messages(groupId).map((m) => m.id),
          'the other tab did not rejoin',
        ).to.deep.equal([before.id]);
        expect(await auditActions(groupId)).to.deep.equal(['remove', 'enrol', 'enrol']);
      });

      it('a removed participant cannot come back into a locked room, though they had joined this session', async () => {
        const {
          people: [a],
          groupId,
          cs: [ca, cb],
          cf,
        } = await room(2);
        await cf.ok('mod:lock', { groupId, locked: true });
        await cf.ok('mod:remove', { groupId, userId: a.id });
        await ca.waitEvent('mod:notice', (p) => p.action === 'removed');
        expect(codeOf(await ca.ack('group:join', { groupId }))).to.equal('ROOM_LOCKED');
        // b, who was not removed, still gets back in.
        expect(codeOf(await cb.ack('group:join', { groupId }))).to.equal('ok');
        await cf.ok('mod:lock', { groupId, locked: false });
        expect(codeOf(await ca.ack('group:join', { groupId }))).to.equal('ok');
      });
    });

    describe('ban', () => {
      it('takes both tabs out, tells the target with the reason, and refuses their join, send and history with BANNED until unbanned', async () => {
        const fac = srv.user('facilitator');
        const [a, b] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [a, b]);
        const tab1 = await enter(a, groupId);
        const tab2 = await enter(a, groupId);
        const cb = await enter(b, groupId);
        const cf = await enter(fac, groupId);
        const before = await sent(cb, groupId, 'before the ban');
        for (const tab of [tab1, tab2])
          await waitFor(() => tab.messages(groupId).some((m) => m.id === before.id), 'the message before the ban');

        await cf.ok('mod:ban', { groupId, userId: a.id, reason: 'threats to another member' });
        for (const tab of [tab1, tab2]) {
          expect(await tab.waitEvent('mod:notice')).to.deep.equal({ groupId, action: 'banned', reason: 'threats to another member' });
        }
        const after = await sent(cb, groupId, 'after the ban');
        await waitFor(() => cf.messages(groupId).some((m) => m.id === after.id), 'the message reaching the facilitator');
        for (const tab of [tab1, tab2]) {
          await tab.sync(groupId); // BANNED, but still an ordering barrier
          expect(tab.messages(groupId).map((m) => m.id)).to.deep.equal([before.id]);
        }

        const fresh = await connect(a);
        for (const c of [tab1, fresh]) {
          expect(codeOf(await c.ack('group:join', { groupId }))).to.equal('BANNED');
          expect(codeOf(await c.ack('group:join', { groupId, since: 0 }))).to.equal('BANNED');
          expect(codeOf(await send(c, groupId, 'let me back'))).to.equal('BANNED');
          expect(codeOf(await c.ack('group:history', { groupId }))).to.equal('BANNED');
          expect(codeOf(await c.ack('group:hand', { groupId, raised: true }))).to.equal('BANNED');
          expect(codeOf(await c.ack('group:react', { groupId, messageId: after.id, emoji: '❤️' }))).to.equal('BANNED');
        }
        expect((await srv.store.log.history({ kind: 'group', id: groupId }, { limit: 10 })).messages.map((m) => m.text)).to.deep.equal([
          'before the ban',
          'after the ban',
        ]);
        expect(await srv.store.moderation.isBanned(groupId, a.id)).to.equal(true);

        await cf.ok('mod:unban', { groupId, userId: a.id });
        expect(await srv.store.moderation.isBanned(groupId, a.id)).to.equal(false);
        const back = await fresh.ok('group:join', { groupId, since: before.seq });
        expect(back.messages.map((m) => m.id)).to.deep.equal([after.id]);
        expect(codeOf(await send(fresh, groupId, 'I am sorry'))).to.equal('ok');
        const audit = (await srv.store.auditLog.audit(groupId, { limit: 10 })).entries;
        expect(audit.map((e) => e.action)).to.deep.equal(['unban', 'ban', 'enrol', 'enrol']);
        expect(audit[1]).to.deep.include({ targetUserId: a.id, reason: 'threats to another member' });
      });

      it('a ban may come before someone is enrolled, and refuses them once they are', async () => {
        const fac = srv.user('facilitator');
        const newcomer = srv.user();
        const groupId = await makeGroup(srv, fac);
        const cf = await enter(fac, groupId);
        const cn = await connect(newcomer);
        await cf.ok('mod:ban', { groupId, userId: newcomer.id });
        expect(await cn.waitEvent('mod:notice')).to.deep.equal({ groupId, action: 'banned' });
        await enrol(srv, groupId, fac, newcomer, 'participant', newcomer.name);
        expect(codeOf(await cn.ack('group:join', { groupId }))).to.equal('BANNED');
        expect(codeOf(await send(cn, groupId))).to.equal('BANNED');
        await cf.ok('mod:unban', { groupId, userId: newcomer.id });
        expect(codeOf(await cn.ack('group:join', { groupId }))).to.equal('ok');
        expect(await auditActions(groupId)).to.deep.equal(['unban', 'enrol', 'ban']);
      });
    });
  });
}
