import type { AttendanceCorrection, AttendanceSettings } from '../../../shared/index.js';
import { PRESENCE_SHARDS } from '../keys.js';
import type { Attendance } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { HandSession, RoomConnection, RoomInterval } from '../store.js';
import * as lua from './attendance-scripts.js';
import { withScripts, type RedisBase } from './base.js';

type Scripts = {
  bridgeRoomLeft(conns: string, index: string, time: string, now: number, connId: string, entry: string): Promise<number>;
  bridgeSweepRoomConnections(index: string, now: number, prefix: string, limit: number): Promise<[number, number]>;
  bridgeOpenHandSession(sessions: string, open: string, id: string, start: number): Promise<number>;
  bridgeCloseHandSession(sessions: string, open: string, end: number): Promise<number>;
};

const SWEEP_BATCH = 500;
const REFRESH_BATCH = 250;

/** An entry of a shard's index: ids never contain a newline. */
const entryOf = (c: RoomConnection) => `${c.groupId}\n${c.userId}\n${c.connId}`;

/** `start:end` (or `start:` while it lasts) as an interval. */
function span(raw: string): RoomInterval {
  const [start, end] = raw.split(':');
  return { start: Number(start), end: end ? Number(end) : null };
}

/** Attendance in Redis: room connections and time by attendance shard, the rest under the group's tag. */
export class RedisAttendance implements Attendance {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeRoomLeft: [3, lua.ROOM_LEFT],
      bridgeSweepRoomConnections: [1, lua.SWEEP_ROOM_CONNECTIONS],
      bridgeOpenHandSession: [2, lua.OPEN_HAND_SESSION],
      bridgeCloseHandSession: [2, lua.CLOSE_HAND_SESSION],
    });
  }

  async roomLeft(c: RoomConnection, now: number): Promise<boolean> {
    const [conns, index, time] = this.keys(c);
    return (await this.redis.bridgeRoomLeft(conns, index, time, now, c.connId, entryOf(c))) === 1;
  }

  async refreshRoomConnections(conns: RoomConnection[], now: number, ttlMs: number): Promise<void> {
    // One script per shard and batch (as presence's refresh), EVAL for its varying key count.
    const byShard = new Map<number, RoomConnection[]>();
    for (const c of conns) {
      const shard = this.base.k.attendanceShard(c.groupId);
      byShard.set(shard, [...(byShard.get(shard) ?? []), c]);
    }
    const scripts: Promise<unknown>[] = [];
    for (const [shard, all] of byShard) {
      for (let i = 0; i < all.length; i += REFRESH_BATCH) {
        const batch = all.slice(i, i + REFRESH_BATCH);
        const keys = batch.flatMap((c) => this.keys(c).filter((_, j) => j !== 1));
        const args = batch.flatMap((c) => [c.connId, entryOf(c)]);
        scripts.push(
          this.redis.eval(
            lua.REFRESH_ROOM_CONNECTIONS,
            1 + keys.length,
            this.base.k.roomConnectionIndex(shard),
            ...keys,
            now,
            ttlMs,
            ...args,
          ),
        );
      }
    }
    await Promise.all(scripts);
  }

  async sweepRoomConnections(now: number): Promise<number> {
    const shards = await Promise.all(Array.from({ length: PRESENCE_SHARDS }, (_, shard) => this.sweepShard(shard, now)));
    return shards.reduce((a, b) => a + b, 0);
  }

  async roomIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>> {
    return this.spans(userIds, (u) => this.base.k.roomIntervals(groupId, u));
  }

  async addWaitingTime(groupId: string, userId: string, stretch: { start: number; end: number }): Promise<void> {
    await this.redis.rpush(this.base.k.waitingIntervals(groupId, userId), `${stretch.start}:${stretch.end}`);
  }

  async waitingIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>> {
    return this.spans(userIds, (u) => this.base.k.waitingIntervals(groupId, u));
  }

  /** Each user's list of `start:end` at `key(user)`, as intervals. */
  private async spans(userIds: string[], key: (userId: string) => string): Promise<Map<string, RoomInterval[]>> {
    const lists = await Promise.all(userIds.map((u) => this.redis.lrange(key(u), 0, -1)));
    const out = new Map<string, RoomInterval[]>();
    userIds.forEach((u, i) => {
      if (lists[i]!.length) out.set(u, lists[i]!.map(span));
    });
    return out;
  }

  async openHandSession(groupId: string, session: { id: string; start: number }): Promise<void> {
    const k = this.base.k;
    await this.redis.bridgeOpenHandSession(k.handSessions(groupId), k.handSessionOpen(groupId), session.id, session.start);
  }

  async closeHandSession(groupId: string, end: number): Promise<void> {
    const k = this.base.k;
    await this.redis.bridgeCloseHandSession(k.handSessions(groupId), k.handSessionOpen(groupId), end);
  }

  async handSessions(groupId: string): Promise<HandSession[]> {
    const all = await this.redis.hgetall(this.base.k.handSessions(groupId));
    return Object.entries(all)
      .map(([id, raw]) => ({ id, ...span(raw) }))
      .sort((a, b) => a.start - b.start);
  }

  async attendanceSettings(groupId: string): Promise<Partial<AttendanceSettings>> {
    const raw = await this.redis.hgetall(this.base.k.attendanceSettings(groupId));
    const out: Partial<AttendanceSettings> = {};
    if (raw.lateAfterMin !== undefined) out.lateAfterMin = Number(raw.lateAfterMin);
    if (raw.earlyLeaveMin !== undefined) out.earlyLeaveMin = Number(raw.earlyLeaveMin);
    return out;
  }

  async setAttendanceSettings(groupId: string, settings: AttendanceSettings): Promise<void> {
    await this.redis.hset(this.base.k.attendanceSettings(groupId), settings);
  }

  async correctAttendance(groupId: string, sessionId: string, userId: string, correction: AttendanceCorrection): Promise<void> {
    await this.redis.hset(
      this.base.k.attendanceCorrections(groupId, sessionId),
      userId,
      this.base.crypto.stringify('attendanceCorrection', correction),
    );
  }

  async attendanceCorrections(groupId: string, sessionId: string): Promise<Map<string, AttendanceCorrection>> {
    const raw = await this.redis.hgetall(this.base.k.attendanceCorrections(groupId, sessionId));
    return new Map(Object.entries(raw).map(([u, json]) => [u, this.base.crypto.parse<AttendanceCorrection>('attendanceCorrection', json)]));
  }

  /** A connection's keys: its user's connections in the room, its shard's index, its user's time there. */
  private keys(c: RoomConnection): [string, string, string] {
    const k = this.base.k;
    return [
      k.roomConnections(c.groupId, c.userId),
      k.roomConnectionIndex(k.attendanceShard(c.groupId)),
      k.roomIntervals(c.groupId, c.userId),
    ];
  }

  private async sweepShard(shard: number, now: number): Promise<number> {
    let ended = 0;
    for (;;) {
      const [taken, n] = await this.redis.bridgeSweepRoomConnections(
        this.base.k.roomConnectionIndex(shard),
        now,
        this.base.k.attendancePrefix(shard),
        SWEEP_BATCH,
      );
      ended += n;
      if (taken < SWEEP_BATCH) return ended;
    }
  }
}
