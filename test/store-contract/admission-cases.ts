// Admission's case list (server/admission.ts): every rule, and every pair of rules whose order
// matters, for each action. Joins and sends are decided inside the store's admission port (in
// TypeScript in memory, in Lua on Redis), hands and reactions by RoomGate from the store's reads; the
// facts are set up through the store's verbs, so both stores must answer every case alike.
// Run by the admission port's contract (admission-contract.ts), so against every store.
import { expect } from 'chai';
import type { Action, RefusalKind } from '../../server/admission.js';
import { DEFAULT_RATE_LIMITS } from '../../server/config.js';
import { AppError } from '../../server/errors.js';
import { FloodControl } from '../../server/limits/flood.js';
import { RoomGate } from '../../server/groups/gate.js';
import type { Stores } from '../../server/store/ports.js';
import type { RateLimit } from '../../server/store/store.js';
import { uid } from './fixtures.js';

/** Who acts: an enrolled participant or facilitator, an admin with no enrolment, or a stranger (neither). */
type Who = 'participant' | 'facilitator' | 'admin' | 'stranger';

type Case = {
  who: Who;
  banned?: boolean;
  /** A mute: open-ended, timed (ending in a minute) or expired (ended a second ago). */
  mute?: 'open' | 'timed' | 'expired';
  locked?: boolean;
  /** The room's waiting room is on. */
  waitingRoom?: boolean;
  /** Joined while the room was open, so a lock or a waiting room lets them back. */
  attending?: boolean;
  /** The action's budget is spent. */
  spent?: boolean;
  closed?: boolean;
  /** Slow mode is on, and a participant has just sent (their slot is claimed). */
  slow?: boolean;
  /**
   * The group has an agreement: not accepted (set last), accepted, or changed since they joined
   * having accepted the old version (v1 accepted, a join, then v2).
   */
  agreement?: 'unaccepted' | 'accepted' | 'changed';
  /** 'waits': the join is answered with a waiting state (and the person is on the waiting list). */
  expect: RefusalKind | 'ok' | 'waits';
};

const SEND: Case[] = [
  { who: 'participant', expect: 'ok' },
  { who: 'stranger', expect: 'not-enrolled' },
  { who: 'stranger', banned: true, expect: 'banned' },
  { who: 'participant', banned: true, expect: 'banned' },
  { who: 'participant', banned: true, mute: 'open', expect: 'banned' },
  { who: 'participant', banned: true, locked: true, expect: 'banned' },
  { who: 'participant', banned: true, spent: true, closed: true, slow: true, expect: 'banned' },
  { who: 'participant', agreement: 'unaccepted', expect: 'agreement-pending' },
  { who: 'participant', agreement: 'accepted', expect: 'ok' },
  { who: 'participant', agreement: 'changed', expect: 'ok' },
  { who: 'stranger', agreement: 'unaccepted', expect: 'not-enrolled' },
  { who: 'participant', banned: true, agreement: 'unaccepted', expect: 'banned' },
  {
    who: 'participant',
    agreement: 'unaccepted',
    locked: true,
    mute: 'open',
    spent: true,
    closed: true,
    slow: true,
    expect: 'agreement-pending',
  },
  { who: 'participant', locked: true, expect: 'waiting' },
  { who: 'participant', locked: true, attending: true, expect: 'ok' },
  { who: 'participant', locked: true, mute: 'open', expect: 'waiting' },
  { who: 'participant', locked: true, spent: true, expect: 'waiting' },
  { who: 'participant', locked: true, closed: true, expect: 'waiting' },
  { who: 'participant', locked: true, slow: true, expect: 'waiting' },
  { who: 'participant', waitingRoom: true, expect: 'waiting' },
  { who: 'participant', waitingRoom: true, attending: true, expect: 'ok' },
  { who: 'participant', waitingRoom: true, mute: 'open', spent: true, closed: true, expect: 'waiting' },
  { who: 'participant', waitingRoom: true, banned: true, expect: 'banned' },
  { who: 'participant', mute: 'open', expect: 'muted' },
  { who: 'participant', mute: 'timed', expect: 'muted' },
  { who: 'participant', mute: 'expired', expect: 'ok' },
  { who: 'participant', mute: 'open', spent: true, expect: 'muted' },
  { who: 'participant', mute: 'open', closed: true, expect: 'muted' },
  { who: 'participant', mute: 'open', slow: true, expect: 'muted' },
  { who: 'participant', spent: true, expect: 'rate-limited' },
  { who: 'participant', spent: true, closed: true, expect: 'rate-limited' },
  { who: 'participant', spent: true, slow: true, expect: 'rate-limited' },
  { who: 'participant', closed: true, expect: 'session-closed' },
  { who: 'participant', closed: true, slow: true, expect: 'session-closed' },
  { who: 'participant', slow: true, expect: 'slow-mode' },
  { who: 'facilitator', expect: 'ok' },
  { who: 'facilitator', banned: true, expect: 'banned' },
  { who: 'facilitator', locked: true, closed: true, slow: true, expect: 'ok' },
  { who: 'facilitator', agreement: 'unaccepted', expect: 'ok' },
  { who: 'admin', agreement: 'unaccepted', expect: 'ok' },
  { who: 'facilitator', mute: 'open', locked: true, expect: 'muted' },
  { who: 'facilitator', spent: true, closed: true, expect: 'rate-limited' },
  { who: 'admin', banned: true, locked: true, closed: true, slow: true, expect: 'ok' },
  { who: 'admin', mute: 'open', banned: true, expect: 'muted' },
  { who: 'admin', spent: true, expect: 'rate-limited' },
];

const JOIN: Case[] = [
  { who: 'participant', expect: 'ok' },
  { who: 'stranger', expect: 'not-enrolled' },
  { who: 'stranger', banned: true, expect: 'banned' },
  { who: 'participant', banned: true, expect: 'banned' },
  { who: 'participant', banned: true, locked: true, expect: 'banned' },
  { who: 'participant', agreement: 'unaccepted', expect: 'agreement-pending' },
  { who: 'participant', agreement: 'accepted', expect: 'ok' },
  { who: 'participant', agreement: 'changed', expect: 'agreement-pending' },
  { who: 'stranger', agreement: 'unaccepted', expect: 'not-enrolled' },
  { who: 'participant', banned: true, agreement: 'unaccepted', expect: 'banned' },
  { who: 'participant', agreement: 'unaccepted', locked: true, expect: 'agreement-pending' },
  { who: 'participant', agreement: 'accepted', locked: true, expect: 'waiting' },
  { who: 'participant', locked: true, expect: 'waiting' },
  { who: 'participant', locked: true, attending: true, expect: 'ok' },
  { who: 'participant', waitingRoom: true, expect: 'waits' },
  { who: 'participant', waitingRoom: true, locked: true, expect: 'waits' },
  { who: 'participant', waitingRoom: true, attending: true, expect: 'ok' },
  { who: 'participant', waitingRoom: true, banned: true, expect: 'banned' },
  { who: 'stranger', waitingRoom: true, expect: 'not-enrolled' },
  { who: 'participant', mute: 'open', closed: true, slow: true, expect: 'ok' },
  { who: 'facilitator', agreement: 'unaccepted', expect: 'ok' },
  { who: 'admin', agreement: 'unaccepted', expect: 'ok' },
  { who: 'facilitator', locked: true, expect: 'ok' },
  { who: 'facilitator', waitingRoom: true, expect: 'ok' },
  { who: 'admin', waitingRoom: true, expect: 'ok' },
  { who: 'facilitator', banned: true, expect: 'banned' },
  { who: 'admin', banned: true, locked: true, expect: 'ok' },
];

/** Hands and reactions alike, after group access (so never a stranger or a banned member). */
const MUTABLE: Case[] = [
  { who: 'participant', expect: 'ok' },
  { who: 'participant', mute: 'open', expect: 'muted' },
  { who: 'participant', mute: 'expired', expect: 'ok' },
  // Hands and reactions do not ask for the agreement: a join or a send does (a new version never stops anyone mid-session).
  { who: 'participant', agreement: 'unaccepted', expect: 'ok' },
  { who: 'participant', locked: true, expect: 'waiting' },
  { who: 'participant', locked: true, attending: true, expect: 'ok' },
  { who: 'participant', locked: true, mute: 'open', expect: 'waiting' },
  { who: 'participant', waitingRoom: true, expect: 'waiting' },
  { who: 'participant', waitingRoom: true, attending: true, expect: 'ok' },
  { who: 'facilitator', waitingRoom: true, expect: 'ok' },
  { who: 'participant', spent: true, expect: 'rate-limited' },
  { who: 'participant', spent: true, mute: 'open', expect: 'rate-limited' },
  { who: 'participant', spent: true, locked: true, expect: 'rate-limited' },
  { who: 'participant', closed: true, slow: true, expect: 'ok' },
  { who: 'facilitator', locked: true, expect: 'ok' },
  { who: 'facilitator', mute: 'open', expect: 'muted' },
  { who: 'admin', locked: true, mute: 'open', expect: 'muted' },
];

const CASES: Record<Action, Case[]> = { send: SEND, join: JOIN, hand: MUTABLE, react: MUTABLE };

/** The wire code of each refusal (the gate answers hands and reactions with it). */
const CODES: Record<RefusalKind, string> = {
  banned: 'BANNED',
  'not-enrolled': 'FORBIDDEN',
  'agreement-pending': 'AGREEMENT_REQUIRED',
  waiting: 'ROOM_LOCKED',
  muted: 'MUTED',
  'rate-limited': 'RATE_LIMITED',
  'session-closed': 'SESSION_CLOSED',
  'slow-mode': 'SLOW_MODE',
};

const ROOMY: RateLimit = { points: 1000, durationSec: 60 };
const TIGHT: RateLimit = { points: 1, durationSec: 60 };

function title(action: Action, c: Case): string {
  const facts = Object.entries(c)
    .filter(([k, v]) => k !== 'who' && k !== 'expect' && v)
    .map(([k, v]) => (v === true ? k : `${k} ${v}`));
  return `${action}: a ${c.who}${facts.length ? `, ${facts.join(', ')}` : ''} → ${c.expect}`;
}

export function describeAdmissionCases(getStore: () => Stores): void {
  let store: Stores;

  before(function () {
    store = getStore();
  });

  /** Sets the case's facts up through the store's verbs; returns the group and the actor. */
  async function arrange(action: Action, c: Case): Promise<{ g: string; u: string; admin: boolean; flood: RateLimit }> {
    const [g, u, admin] = [uid('g'), uid('u'), c.who === 'admin'];
    await store.groups.createGroup(
      { id: g, name: 'Evening IOP', createdAt: Date.now(), createdBy: u },
      { userId: uid('u'), role: 'facilitator', name: 'Fac' },
    );
    if (c.who === 'participant' || c.who === 'facilitator') await store.groups.enrol(g, { userId: u, role: c.who, name: 'Sam' });
    if (c.agreement === 'accepted' || c.agreement === 'changed') {
      await store.agreements.setAgreement(g, 'v1', uid('u'), Date.now());
      await store.agreements.acceptAgreement(g, u, 1, Date.now());
    }
    if (c.agreement === 'changed') {
      expect(await store.admission.joinGroup(g, { userId: u, admin, now: Date.now() }), 'joins under v1').to.not.have.property('refused');
      await store.agreements.setAgreement(g, 'v2', uid('u'), Date.now());
    }
    if (c.attending) expect(await store.admission.joinGroup(g, { userId: u, admin, now: Date.now() })).to.not.have.property('refused');
    if (c.slow) {
      await store.room.updateRoomState(g, { slowModeSec: 60 });
      if (c.who === 'participant')
        expect(await store.admission.sendToGroup(g, send(u, admin, ROOMY)), 'claims the slot').to.have.property('duplicate', false);
    }
    const flood = c.spent ? TIGHT : ROOMY;
    // Takes the budget's one point (on Redis the slow-mode send above may have taken it already).
    if (c.spent) await store.limits.rateLimiter(action, TIGHT)(u);
    if (c.banned) await store.moderation.setBan(g, u, true);
    const now = Date.now();
    if (c.mute) await store.moderation.setMute(g, u, { until: { open: null, timed: now + 60_000, expired: now - 1000 }[c.mute] });
    if (c.locked) await store.room.updateRoomState(g, { locked: true });
    if (c.waitingRoom) await store.room.updateRoomState(g, { waitingRoom: true });
    if (c.closed) await store.room.updateRoomState(g, { sessionOpen: false });
    if (c.agreement === 'unaccepted') await store.agreements.setAgreement(g, 'v1', uid('u'), Date.now());
    return { g, u, admin, flood };
  }

  function send(u: string, admin: boolean, flood: RateLimit) {
    return {
      draft: { id: uid('m'), sender: { id: u, name: 'Sam' }, kind: 'text' as const, text: 'hello', createdAt: Date.now() },
      admin,
      flood,
      now: Date.now(),
    };
  }

  /** The refusal, 'waits' or 'ok'. */
  async function act(action: Action, c: Case): Promise<Case['expect']> {
    const { g, u, admin, flood } = await arrange(action, c);
    if (action === 'send') {
      const result = await store.admission.sendToGroup(g, send(u, admin, flood));
      return 'refused' in result ? result.refused : 'ok';
    }
    if (action === 'join') {
      const result = await store.admission.joinGroup(g, { userId: u, admin, now: Date.now() });
      if ('waiting' in result) {
        expect(
          (await store.moderation.waitingList(g)).map((w) => w.userId),
          'on the waiting list',
        ).to.deep.equal([u]);
        return 'waits';
      }
      return 'refused' in result ? result.refused : 'ok';
    }
    const gate = new RoomGate(store, new FloodControl(store, { ...DEFAULT_RATE_LIMITS, [action]: flood }));
    const role = c.who === 'stranger' ? 'participant' : c.who;
    const access = { groupId: g, enrolment: await store.groups.enrolment(g, u), role };
    const actor = { id: u, name: 'Sam', role: admin ? ('admin' as const) : ('participant' as const), exp: 0 };
    try {
      await (action === 'hand' ? gate.admitHand(access, actor) : gate.admitReact(access, actor));
      return 'ok';
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const kind = (Object.keys(CODES) as RefusalKind[]).find((k) => CODES[k] === err.code);
      if (!kind) throw err;
      return kind;
    }
  }

  for (const action of Object.keys(CASES) as Action[]) {
    describe(`admission: ${action}`, function () {
      for (const c of CASES[action]) {
        it(title(action, c), async function () {
          expect(await act(action, c)).to.equal(c.expect);
        });
      }
    });
  }
}
