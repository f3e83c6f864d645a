import type { Schedule, ScheduledSession } from '../../../shared/index.js';
import type { SessionCalendar } from '../ports.js';
import type { SessionCalendarData, SessionOverride } from '../store.js';
import type { RoomData } from './room-data.js';
import { getOrCreate } from './util.js';

/** Schedules, overrides and claims in this process; the windows live in RoomData, where admission reads them. */
export class MemorySessions implements SessionCalendar {
  private readonly schedules = new Map<string, Schedule>();
  private readonly overrides = new Map<string, Map<string, SessionOverride>>();
  private readonly announced = new Map<string, string>();
  private readonly checks = new Map<string, number>();

  constructor(private readonly room: RoomData) {}

  async calendar(groupId: string): Promise<SessionCalendarData> {
    const schedule = this.schedules.get(groupId);
    const overrides = Object.fromEntries([...(this.overrides.get(groupId) ?? [])].map(([id, o]) => [id, { ...o }]));
    return { schedule: schedule ? structuredClone(schedule) : null, overrides };
  }

  async setSchedule(groupId: string, schedule: Schedule | null): Promise<void> {
    if (schedule) this.schedules.set(groupId, structuredClone(schedule));
    else this.schedules.delete(groupId);
  }

  async setOverride(groupId: string, sessionId: string, override: SessionOverride): Promise<void> {
    getOrCreate(this.overrides, groupId, () => new Map()).set(sessionId, { ...override });
  }

  async forgetOverrides(groupId: string, sessionIds: string[]): Promise<void> {
    for (const id of sessionIds) this.overrides.get(groupId)?.delete(id);
  }

  async setWindows(groupId: string, windows: ScheduledSession[] | null): Promise<void> {
    if (windows)
      this.room.windows.set(
        groupId,
        windows.map((w) => ({ ...w })).sort((a, b) => a.start - b.start),
      );
    else this.room.windows.delete(groupId);
  }

  async windows(groupId: string): Promise<ScheduledSession[] | null> {
    return this.room.windows.get(groupId)?.map((w) => ({ ...w })) ?? null;
  }

  async claimAnnouncement(groupId: string, state: string): Promise<string | null> {
    const previous = this.announced.get(groupId) ?? '';
    if (previous === state) return null;
    this.announced.set(groupId, state);
    return previous;
  }

  async scheduleSessionCheck(groupId: string, at: number): Promise<void> {
    this.checks.set(groupId, at);
  }

  async claimDueSessionChecks(now: number, retryMs: number, limit: number): Promise<string[]> {
    const due = [...this.checks.entries()]
      .filter(([, at]) => at <= now)
      .sort(([ga, a], [gb, b]) => a - b || (ga < gb ? -1 : 1))
      .slice(0, limit)
      .map(([groupId]) => groupId);
    for (const groupId of due) this.checks.set(groupId, now + retryMs);
    return due;
  }
}
