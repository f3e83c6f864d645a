// Who may join, send, raise a hand or react in a group room, and why not: the one home of the
// refusal vocabulary, of the order in which the rules are decided, and of their wire errors.
// The memory store's admission port runs decide() (the reference); the Redis one runs the same
// rules in the same order inside its Lua scripts (store/redis/admission-scripts.ts), generated
// below from the same table (luaDecision); RoomGate runs decide()
// for hands and reactions and maps every refusal to its wire error (refusalError).
// test/store-contract/admission-cases.ts holds one case list run against both stores.
import type { AgreementTerms, GlobalRole } from '../shared/index.js';
import { AppError } from './errors.js';

/** What a person asks to do in a group room. */
export type Action = 'join' | 'send' | 'hand' | 'react';

/** Why an action was refused. */
export type Refusal =
  | { refused: 'banned' | 'not-enrolled' | 'session-closed' }
  | { refused: 'agreement-pending'; agreement: AgreementTerms }
  /** Not admitted to this session while the room is locked or its waiting room is on (`waitingRoom`). */
  | { refused: 'waiting'; waitingRoom: boolean }
  | { refused: 'muted'; until: number | null }
  | { refused: 'rate-limited'; retryAfterMs: number }
  | { refused: 'slow-mode'; retryAfterMs: number; slowModeSec: number };
export type RefusalKind = Refusal['refused'];

/** Everything the rules look at, read at one moment (in Redis: inside one script). */
export type Facts = {
  /** 'admin' for an admin (by token, enrolled or not), else their enrolment's role; null when not enrolled. */
  role: GlobalRole | null;
  banned: boolean;
  /**
   * The version of the group's agreement (and its text) this person has yet to accept, or null.
   * A join asks for the current version; a send for the version that was current at their last
   * admitted join (the current one if they never joined), so a new version never stops someone
   * mid-session: it applies from their next join.
   */
  agreementPending: AgreementTerms | null;
  /** The room is locked (a participant not admitted is refused ROOM_LOCKED). */
  locked: boolean;
  /** The room's waiting room is on (a participant not admitted waits to be let in). */
  waitingRoom: boolean;
  /** Admitted to this session: attending it (an admitted join, or a facilitator's mod:admit records it). */
  admitted: boolean;
  /** The mute in force now, if any. */
  mute: { until: number | null } | null;
  /** 0 when this action's point of the person's budget was taken, else the ms until one is free. */
  budgetWaitMs: number;
  sessionOpen: boolean;
  slowModeSec: number;
  /** The ms left of the person's slow-mode slot, measured with the interval in force now; 0 when free. */
  slowModeWaitMs: number;
};

/**
 * The order of the rules for each action; the first rule that refuses decides. Hands and
 * reactions come after group access (groupAccess already refused banned and unenrolled callers),
 * and their budget point is taken before the other reads answer, so it refuses first.
 */
export const ORDER = {
  join: ['banned', 'not-enrolled', 'agreement-pending', 'waiting'],
  send: ['banned', 'not-enrolled', 'agreement-pending', 'waiting', 'muted', 'rate-limited', 'session-closed', 'slow-mode'],
  hand: ['rate-limited', 'waiting', 'muted'],
  react: ['rate-limited', 'waiting', 'muted'],
} as const satisfies Record<Action, readonly RefusalKind[]>;

/** The facts the waiting rule reads (RoomModeration.waitingFacts reads them for hands and reactions). */
export type WaitingFacts = Pick<Facts, 'locked' | 'waitingRoom' | 'admitted'>;

/** The facts each action's rules read. */
export type FactsFor = {
  join: Pick<Facts, 'role' | 'banned' | 'agreementPending'> & WaitingFacts;
  send: Facts;
  hand: Pick<Facts, 'role' | 'mute' | 'budgetWaitMs'> & WaitingFacts;
  react: Pick<Facts, 'role' | 'mute' | 'budgetWaitMs'> & WaitingFacts;
};

/**
 * Each rule in TypeScript and, beside it, in Lua over a table `f` with the same fields (mute is
 * nil, 'open' or the end in ms; role nil when not enrolled; agreementPending nil or {version, text})
 * returning the script's refusal reply. Facilitators and admins never wait, nor are they held to
 * closed sessions, slow mode or the group's agreement (they set it).
 */
const RULES: { [K in RefusalKind]: { ts: (f: Facts) => Refusal | null; lua: string } } = {
  banned: {
    ts: (f) => (f.banned && f.role !== 'admin' ? { refused: 'banned' } : null),
    lua: `if f.banned and f.role ~= 'admin' then return {'banned'} end`,
  },
  'not-enrolled': {
    ts: (f) => (f.role === null ? { refused: 'not-enrolled' } : null),
    lua: `if f.role == nil then return {'not-enrolled'} end`,
  },
  'agreement-pending': {
    ts: (f) => (f.role === 'participant' && f.agreementPending ? { refused: 'agreement-pending', agreement: f.agreementPending } : null),
    lua: `if f.role == 'participant' and f.agreementPending then return {'agreement-pending', f.agreementPending.version, f.agreementPending.text} end`,
  },
  waiting: {
    ts: (f) =>
      f.role === 'participant' && !f.admitted && (f.locked || f.waitingRoom) ? { refused: 'waiting', waitingRoom: f.waitingRoom } : null,
    lua: `if f.role == 'participant' and not f.admitted and (f.locked or f.waitingRoom) then return {'waiting', f.waitingRoom and 1 or 0} end`,
  },
  muted: {
    ts: (f) => (f.mute ? { refused: 'muted', until: f.mute.until } : null),
    lua: `if f.mute then return {'muted', f.mute} end`,
  },
  'rate-limited': {
    ts: (f) => (f.budgetWaitMs > 0 ? { refused: 'rate-limited', retryAfterMs: f.budgetWaitMs } : null),
    lua: `if f.budgetWaitMs > 0 then return {'rate-limited', f.budgetWaitMs} end`,
  },
  'session-closed': {
    ts: (f) => (f.role === 'participant' && !f.sessionOpen ? { refused: 'session-closed' } : null),
    lua: `if f.role == 'participant' and not f.sessionOpen then return {'session-closed'} end`,
  },
  'slow-mode': {
    ts: (f) =>
      f.role === 'participant' && f.slowModeWaitMs > 0
        ? { refused: 'slow-mode', retryAfterMs: f.slowModeWaitMs, slowModeSec: f.slowModeSec }
        : null,
    lua: `if f.role == 'participant' and f.slowModeWaitMs > 0 then return {'slow-mode', f.slowModeWaitMs, f.slowModeSec} end`,
  },
};

/** The first refusal of the action's rules, in ORDER, or null when it may go ahead. */
export function decide<A extends Action>(action: A, facts: FactsFor[A]): Refusal | null {
  for (const rule of ORDER[action]) {
    const refusal = RULES[rule].ts(facts as Facts);
    if (refusal) return refusal;
  }
  return null;
}

/** The action's rules as Lua statements, in ORDER, for a script that has gathered the facts into `f`. */
export function luaDecision(action: Action): string {
  return ORDER[action].map((rule) => RULES[rule].lua).join('\n');
}

/** A refusal as a script replied it (see RULES' Lua). */
export function refusalFromReply([kind, a, b]: [string, (string | number)?, (string | number)?]): Refusal {
  switch (kind) {
    case 'muted':
      return { refused: 'muted', until: a === 'open' ? null : Number(a) };
    case 'rate-limited':
      return { refused: 'rate-limited', retryAfterMs: Number(a) };
    case 'slow-mode':
      return { refused: 'slow-mode', retryAfterMs: Number(a), slowModeSec: Number(b) };
    case 'agreement-pending':
      return { refused: 'agreement-pending', agreement: { version: Number(a), text: String(b) } };
    case 'waiting':
      return { refused: 'waiting', waitingRoom: Number(a) === 1 };
    case 'banned':
    case 'not-enrolled':
    case 'session-closed':
      return { refused: kind };
    default:
      throw new Error(`unknown refusal from a script: ${kind}`);
  }
}

/**
 * The wire error of a refusal. `groupExists` tells an unenrolled caller FORBIDDEN from NOT_FOUND;
 * `action` names the spent budget.
 */
export function refusalError(action: Action, refusal: Refusal, groupExists: boolean): AppError {
  switch (refusal.refused) {
    case 'banned':
      return bannedError();
    case 'not-enrolled':
      return unenrolledError(groupExists);
    case 'agreement-pending':
      return new AppError('AGREEMENT_REQUIRED', "accept the group's agreement to take part", { agreement: refusal.agreement });
    case 'waiting':
      // A join into a waiting room is answered with a waiting state instead (GroupService.join).
      return refusal.waitingRoom
        ? new AppError('ROOM_LOCKED', 'you are waiting to be let in by a facilitator')
        : new AppError('ROOM_LOCKED', 'the facilitator has locked this room');
    case 'muted':
      if (refusal.until === null) return new AppError('MUTED', 'a facilitator has muted you in this group');
      return new AppError('MUTED', 'a facilitator has muted you in this group for now', { retryAfterMs: refusal.until - Date.now() });
    case 'rate-limited':
      return floodError(action, refusal.retryAfterMs);
    case 'session-closed':
      return new AppError('SESSION_CLOSED', 'the session is closed; you can read but not send');
    case 'slow-mode':
      return new AppError('SLOW_MODE', `slow mode: one message every ${refusal.slowModeSec} s`, { retryAfterMs: refusal.retryAfterMs });
  }
}

export function bannedError(): AppError {
  return new AppError('BANNED', 'you are banned from this group');
}

/** For a caller with no enrolment: NOT_FOUND when the group does not exist, else FORBIDDEN. */
export function unenrolledError(groupExists: boolean): AppError {
  return groupExists ? new AppError('FORBIDDEN', 'you are not enrolled in this group') : new AppError('NOT_FOUND', 'no such group');
}

/** RATE_LIMITED for a spent budget of any action (the flood limit). */
export function floodError(action: string, retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', `too many ${action} actions; try again shortly`, { retryAfterMs });
}
