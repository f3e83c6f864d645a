import type { GroupState, ScheduledSession } from '../../../shared/index.js';
import type { WaitingFacts } from '../../admission.js';
import type { Mute, RoomSettings } from '../store.js';
import { DEFAULT_ROOM_STATE, sessionState } from '../store.js';
import { memberKey } from './util.js';

/**
 * What a group's room keeps in this process, shared by the memory room, moderation and admission
 * ports: admission reads settings, bans, mutes and attendance in the same synchronous step as
 * its decision and append, so they live in one object rather than behind three ports' awaits.
 */
export class RoomData {
  readonly settings = new Map<string, RoomSettings>();
  /** group id → user ids with a raised hand, first raised first */
  readonly hands = new Map<string, string[]>();
  /** memberKey → mute */
  readonly mutes = new Map<string, Mute>();
  /** memberKeys of the banned */
  readonly bans = new Set<string>();
  /** group id → user ids attending this session */
  readonly attending = new Map<string, Set<string>>();
  /** group id → user id → since when they wait to be let in (in the order they came) */
  readonly waiting = new Map<string, Map<string, number>>();
  /** group id → its session windows (a group on a schedule; SessionCalendar.setWindows) */
  readonly windows = new Map<string, ScheduledSession[]>();

  settingsOf(groupId: string): RoomSettings {
    return this.settings.get(groupId) ?? DEFAULT_ROOM_STATE;
  }

  /** A copy of the member's mute, or null when none is in force at `now` (a timed mute past its end is none). */
  muteInForce(groupId: string, userId: string, now: number): Mute | null {
    const mute = this.mutes.get(memberKey(groupId, userId));
    return mute && (mute.until === null || mute.until > now) ? { ...mute } : null;
  }

  /** The session fields of the group's state at `now` (a schedule's windows, else the setting). */
  sessionState(groupId: string, now: number): Pick<GroupState, 'sessionOpen' | 'session' | 'nextSessionStart'> {
    return sessionState(this.windows.get(groupId) ?? null, this.settingsOf(groupId).sessionOpen, now);
  }

  waitingFacts(groupId: string, userId: string): WaitingFacts {
    const { locked, waitingRoom } = this.settingsOf(groupId);
    return { locked, waitingRoom, admitted: this.attending.get(groupId)?.has(userId) ?? false };
  }
}
