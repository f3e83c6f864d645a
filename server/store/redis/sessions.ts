import type { Schedule, ScheduledSession } from '../../../shared/index.js';
import type { SessionCalendar } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { SessionCalendarData, SessionOverride } from '../store.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * KEYS: windows, state. ARGV: '1' with windows after it as score, member pairs, or '0' for none.
 * Replaces the windows and the state's `scheduled` flag together, so admission never reads a
 * scheduled group without its windows.
 */
const SET_WINDOWS = `
redis.call('DEL', KEYS[1])
if ARGV[1] == '0' then
  redis.call('HDEL', KEYS[2], 'scheduled')
  return 0
end
for i = 2, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[2], 'scheduled', '1')
return 1
`;

/** KEYS: announced. ARGV: state. Returns {previous} when it changed the state, else {}. */
const CLAIM_ANNOUNCEMENT = `
local previous = redis.call('GET', KEYS[1]) or ''
if previous == ARGV[1] then return {} end
redis.call('SET', KEYS[1], ARGV[1])
return {previous}
`;

/** KEYS: checks. ARGV: now, retryMs, limit. Moves each due group forward in the same script: one caller each. */
const CLAIM_CHECKS = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local next = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, groupId in ipairs(due) do redis.call('ZADD', KEYS[1], next, groupId) end
return due
`;

type Scripts = {
  bridgeSetSessionWindows(windows: string, state: string, ...args: (string | number)[]): Promise<number>;
  bridgeClaimSessionAnnouncement(announced: string, state: string): Promise<string[]>;
  bridgeClaimSessionChecks(checks: string, now: number, retryMs: number, limit: number): Promise<string[]>;
};

/** A window as the admission script reads it: start and end first, so Lua finds the end without decoding JSON. */
export function windowMember(w: ScheduledSession): string {
  return `${w.start}:${w.end}:${w.id}`;
}

export function windowFromMember(member: string): ScheduledSession {
  const [start, end, ...id] = member.split(':');
  return { id: id.join(':'), start: Number(start), end: Number(end) };
}

/** A group's calendar under its hash tag; the check queue under `{sess}`. */
export class RedisSessions implements SessionCalendar {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeSetSessionWindows: [2, SET_WINDOWS],
      bridgeClaimSessionAnnouncement: [1, CLAIM_ANNOUNCEMENT],
      bridgeClaimSessionChecks: [1, CLAIM_CHECKS],
    });
  }

  async calendar(groupId: string): Promise<SessionCalendarData> {
    const { k } = this.base;
    const [schedule, overrides] = await Promise.all([this.redis.get(k.schedule(groupId)), this.redis.hgetall(k.sessionOverrides(groupId))]);
    return {
      schedule: schedule ? (JSON.parse(schedule) as Schedule) : null,
      overrides: Object.fromEntries(Object.entries(overrides).map(([id, o]) => [id, JSON.parse(o) as SessionOverride])),
    };
  }

  async setSchedule(groupId: string, schedule: Schedule | null): Promise<void> {
    if (schedule) await this.redis.set(this.base.k.schedule(groupId), JSON.stringify(schedule));
    else await this.redis.del(this.base.k.schedule(groupId));
  }

  async setOverride(groupId: string, sessionId: string, override: SessionOverride): Promise<void> {
    await this.redis.hset(this.base.k.sessionOverrides(groupId), sessionId, JSON.stringify({ start: override.start, end: override.end }));
  }

  async forgetOverrides(groupId: string, sessionIds: string[]): Promise<void> {
    if (sessionIds.length) await this.redis.hdel(this.base.k.sessionOverrides(groupId), ...sessionIds);
  }

  async setWindows(groupId: string, windows: ScheduledSession[] | null): Promise<void> {
    const args = windows ? ['1', ...windows.flatMap((w) => [w.start, windowMember(w)])] : ['0'];
    await this.redis.bridgeSetSessionWindows(this.base.k.sessionWindows(groupId), this.base.k.state(groupId), ...args);
  }

  async windows(groupId: string): Promise<ScheduledSession[] | null> {
    const { k } = this.base;
    const [scheduled, members] = await Promise.all([
      this.redis.hget(k.state(groupId), 'scheduled'),
      this.redis.zrange(k.sessionWindows(groupId), 0, -1),
    ]);
    return scheduled === '1' ? members.map(windowFromMember) : null;
  }

  async claimAnnouncement(groupId: string, state: string): Promise<string | null> {
    const [previous] = await this.redis.bridgeClaimSessionAnnouncement(this.base.k.sessionAnnounced(groupId), state);
    return previous ?? null;
  }

  async scheduleSessionCheck(groupId: string, at: number): Promise<void> {
    await this.redis.zadd(this.base.k.sessionChecks(), at, groupId);
  }

  async claimDueSessionChecks(now: number, retryMs: number, limit: number): Promise<string[]> {
    return this.redis.bridgeClaimSessionChecks(this.base.k.sessionChecks(), now, retryMs, limit);
  }
}
