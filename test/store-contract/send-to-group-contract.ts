// The `sendToGroup` part of the `Store` contract: a group send judged and appended in one step.
// It must refuse exactly what the separate reads (isBanned, enrolment, muteOf, roomState, the
// 'send' rate limiter) say, first reason first, and store what appendMessage would. Called from
// describeStoreContract (contract.ts), so it runs against every implementation.
import { expect } from 'chai';
import type { GroupRole } from '../../shared/index.js';
import type { GroupSend, RateLimit, Store } from '../../server/store/store.js';
import { range, sleep, uid } from './contract.js';

const ROOMY: RateLimit = { points: 1000, durationSec: 60 };

export function describeSendToGroupContract(getStore: () => Store): void {
  let store: Store;

  before(function () {
    store = getStore();
  });

  const send = (userId: string, opts: { admin?: boolean; flood?: RateLimit; now?: number; clientMsgId?: string; name?: string; text?: string } = {}): GroupSend => ({
    draft: {
      id: uid('m'), sender: { id: userId, name: opts.name ?? 'Sam' }, kind: 'text', text: opts.text ?? 'hello', createdAt: Date.now(),
      ...(opts.clientMsgId === undefined ? {} : { clientMsgId: opts.clientMsgId }),
    },
    admin: opts.admin ?? false,
    flood: opts.flood ?? ROOMY,
    now: opts.now ?? Date.now(),
  });

  async function member(role: GroupRole = 'participant', g = uid('g')): Promise<[string, string]> {
    const u = uid('u');
    await store.enrol(g, { userId: u, role, name: 'Sam' });
    return [g, u];
  }

  it('stores a member\'s message with their group role, the next seq and an epoch, as history and lookups serve it', async function () {
    const [g, fac] = await member('facilitator');
    const [, pat] = await member('participant', g);
    const name = 'Sam "the" \\ 🙂 Ünïcode';
    const first = await store.sendToGroup(g, send(fac, { clientMsgId: 'c1', name, text: 'line one\n"quoted" \u2028' }));
    const second = await store.sendToGroup(g, send(pat));
    expect(first).to.have.property('duplicate', false);
    expect(second).to.have.property('duplicate', false);
    if ('refused' in first || 'refused' in second) throw new Error('refused');
    expect(first.message).to.deep.include({ seq: 1, conversation: { kind: 'group', id: g }, sender: { id: fac, name, role: 'facilitator' }, text: 'line one\n"quoted" \u2028', clientMsgId: 'c1' });
    expect(second.message).to.deep.include({ seq: 2, sender: { id: pat, name: 'Sam', role: 'participant' } });
    expect(second.message).to.not.have.property('clientMsgId');
    const c = { kind: 'group', id: g } as const;
    expect((await store.history(c, { limit: 10 })).messages).to.deep.equal([first.message, second.message]);
    expect(await store.messageByClientId(c, fac, 'c1')).to.deep.equal(first.message);
    expect(await store.findMessage(c, second.message.id)).to.deep.equal(second.message);
    expect(await store.logEpoch(c)).to.be.a('string').and.not.equal('');
  });

  it('lets an admin send without an enrolment, as admin, even when banned', async function () {
    const [g] = await member('facilitator');
    const admin = uid('u');
    await store.setBan(g, admin, true);
    const result = await store.sendToGroup(g, send(admin, { admin: true }));
    if ('refused' in result) throw new Error(`refused: ${result.refused}`);
    expect(result.message.sender).to.deep.equal({ id: admin, name: 'Sam', role: 'admin' });
  });

  it('refuses someone not enrolled, and a banned one as banned first', async function () {
    const [g] = await member('facilitator');
    const stranger = uid('u');
    expect(await store.sendToGroup(g, send(stranger))).to.deep.equal({ refused: 'not-enrolled' });
    await store.setBan(g, stranger, true);
    expect(await store.sendToGroup(g, send(stranger))).to.deep.equal({ refused: 'banned' });
    expect(await store.lastSeq({ kind: 'group', id: g })).to.equal(0);
  });

  it('refuses first reason first: banned, muted, over the budget, session closed, slow mode; and stores only what passes', async function () {
    const [g, u] = await member();
    // Two sends a second, every attempt counted: the waits let the budget refill.
    const flood = { points: 2, durationSec: 1 };
    await store.setBan(g, u, true);
    await store.setMute(g, u, { until: null });
    await store.updateRoomState(g, { sessionOpen: false, slowModeSec: 60 });
    expect(await store.sendToGroup(g, send(u, { flood }))).to.deep.equal({ refused: 'banned' });
    await store.setBan(g, u, false);
    expect(await store.sendToGroup(g, send(u, { flood }))).to.deep.equal({ refused: 'muted', until: null }, 'muted comes before the spent budget');
    await store.clearMute(g, u);
    const spent = await store.sendToGroup(g, send(u, { flood }));
    expect(spent).to.have.property('refused', 'rate-limited');
    expect((spent as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
    await sleep(1100);
    expect(await store.sendToGroup(g, send(u, { flood }))).to.deep.equal({ refused: 'session-closed' });
    await store.updateRoomState(g, { sessionOpen: true });
    expect(await store.sendToGroup(g, send(u, { flood }))).to.have.property('duplicate', false);
    await sleep(1100);
    const slow = await store.sendToGroup(g, send(u, { flood }));
    expect(slow).to.deep.include({ refused: 'slow-mode', slowModeSec: 60 });
    expect((slow as { retryAfterMs: number }).retryAfterMs).to.be.within(57_000, 60_000);
    expect(await store.lastSeq({ kind: 'group', id: g })).to.equal(1);
  });

  it('holds facilitators to mutes and the budget but not to a closed session or slow mode', async function () {
    const [g, fac] = await member('facilitator');
    const flood = { points: 2, durationSec: 60 };
    await store.updateRoomState(g, { sessionOpen: false, slowModeSec: 60 });
    expect(await store.sendToGroup(g, send(fac, { flood }))).to.have.property('duplicate', false);
    expect(await store.sendToGroup(g, send(fac, { flood }))).to.have.property('duplicate', false);
    expect(await store.sendToGroup(g, send(fac, { flood }))).to.have.property('refused', 'rate-limited');
    await store.setMute(g, fac, { until: null });
    expect(await store.sendToGroup(g, send(fac, { flood }))).to.deep.equal({ refused: 'muted', until: null });
  });

  it('counts a timed mute until its end, as muteOf does', async function () {
    const [g, u] = await member();
    const now = Date.now();
    await store.setMute(g, u, { until: now + 60_000 });
    expect(await store.sendToGroup(g, send(u, { now }))).to.deep.equal({ refused: 'muted', until: now + 60_000 });
    expect(await store.sendToGroup(g, send(u, { now: now + 60_000 }))).to.have.property('duplicate', false);
  });

  it('refuses a participant not attending this session while the room is locked, as locked-out after banned and before muted; never facilitators or admins', async function () {
    const [g, u] = await member();
    const [, fac] = await member('facilitator', g);
    const admin = uid('u');
    await store.updateRoomState(g, { locked: true });
    await store.setMute(g, u, { until: null });
    await store.setBan(g, u, true);
    expect(await store.sendToGroup(g, send(u))).to.deep.equal({ refused: 'banned' });
    await store.setBan(g, u, false);
    expect(await store.sendToGroup(g, send(u)), 'locked-out comes before muted').to.deep.equal({ refused: 'locked-out' });
    await store.clearMute(g, u);
    expect(await store.sendToGroup(g, send(u))).to.deep.equal({ refused: 'locked-out' });
    expect(await store.sendToGroup(g, send(fac))).to.have.property('duplicate', false);
    expect(await store.sendToGroup(g, send(admin, { admin: true }))).to.have.property('duplicate', false);
    // A join while the room was open makes them attending: the lock lets them go on, until a remove forgets them.
    await store.updateRoomState(g, { locked: false });
    expect(await store.joinGroup(g, { userId: u, admin: false, now: Date.now() })).to.not.have.property('refused');
    await store.updateRoomState(g, { locked: true });
    expect(await store.sendToGroup(g, send(u))).to.have.property('duplicate', false);
    await store.forgetAttending(g, u);
    expect(await store.sendToGroup(g, send(u))).to.deep.equal({ refused: 'locked-out' });
    await store.updateRoomState(g, { locked: false });
    expect(await store.sendToGroup(g, send(u)), 'an open room asks no attendance').to.have.property('duplicate', false);
    expect(await store.lastSeq({ kind: 'group', id: g })).to.equal(4);
  });

  it('answers a resend with the original and stores nothing, whatever refuses the sender now', async function () {
    const [g, u] = await member();
    const original = await store.sendToGroup(g, send(u, { clientMsgId: 'once', text: 'first' }));
    if ('refused' in original) throw new Error('refused');
    await store.setBan(g, u, true);
    await store.setMute(g, u, { until: null });
    await store.unenrol(g, u);
    await store.updateRoomState(g, { sessionOpen: false, locked: true });
    const again = await store.sendToGroup(g, send(u, { clientMsgId: 'once', text: 'second', flood: { points: 1, durationSec: 60 } }));
    expect(again).to.deep.equal({ message: original.message, duplicate: true });
    expect(await store.lastSeq({ kind: 'group', id: g })).to.equal(1);
  });

  it('shares the send budget with the store\'s "send" rate limiter', async function () {
    const [g, u] = await member();
    const limit = { points: 3, durationSec: 60 };
    const take = store.rateLimiter('send', limit);
    expect([await take(u), await take(u)]).to.deep.equal([0, 0]);
    expect(await store.sendToGroup(g, send(u, { flood: limit }))).to.have.property('duplicate', false);
    expect(await store.sendToGroup(g, send(u, { flood: limit }))).to.have.property('refused', 'rate-limited');
    expect(await take(u)).to.be.greaterThan(0);
  });

  describe('slow mode', function () {
    it('once the interval has passed the next send goes again, and a refused send does not extend it', async function () {
      const [g, u] = await member();
      await store.updateRoomState(g, { slowModeSec: 1 });
      expect(await store.sendToGroup(g, send(u))).to.have.property('duplicate', false);
      const refused = await store.sendToGroup(g, send(u));
      expect((refused as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
      await sleep(1100);
      expect(await store.sendToGroup(g, send(u))).to.have.property('duplicate', false);
      expect(await store.sendToGroup(g, send(u))).to.have.property('refused', 'slow-mode');
    });

    it('measures the wait with the interval in force now, so shortening slow mode shortens it', async function () {
      const [g, u] = await member();
      await store.updateRoomState(g, { slowModeSec: 60 });
      expect(await store.sendToGroup(g, send(u))).to.have.property('duplicate', false);
      await store.updateRoomState(g, { slowModeSec: 1 });
      const refused = await store.sendToGroup(g, send(u));
      expect(refused).to.deep.include({ refused: 'slow-mode', slowModeSec: 1 });
      expect((refused as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
    });

    it('keeps a slot per member and per group', async function () {
      const g1 = uid('g');
      const [, u1] = await member('participant', g1);
      const [, u2] = await member('participant', g1);
      const g2 = uid('g');
      await store.enrol(g2, { userId: u1, role: 'participant', name: 'Sam' });
      for (const g of [g1, g2]) await store.updateRoomState(g, { slowModeSec: 60 });
      for (const [g, u] of [[g1, u1], [g1, u2], [g2, u1]] as const) expect(await store.sendToGroup(g, send(u))).to.have.property('duplicate', false);
      expect(await store.sendToGroup(g1, send(u1))).to.have.property('refused', 'slow-mode');
    });

    it('of 20 concurrent sends by one member stores exactly one', async function () {
      const [g, u] = await member();
      await store.updateRoomState(g, { slowModeSec: 60 });
      const results = await Promise.all(range(1, 20).map(() => store.sendToGroup(g, send(u))));
      expect(results.filter((r) => 'message' in r)).to.have.length(1);
      expect(results.filter((r) => 'refused' in r && r.refused === 'slow-mode')).to.have.length(19);
      expect(await store.lastSeq({ kind: 'group', id: g })).to.equal(1);
    });
  });
}
