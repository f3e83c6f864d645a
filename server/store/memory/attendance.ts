import type { AttendanceCorrection, AttendanceSettings } from '../../../shared/index.js';
import type { Attendance } from '../ports.js';
import type { HandSession, RoomConnection, RoomInterval } from '../store.js';
import { getOrCreate } from './util.js';

/** A user's time in one room: connection id → expiry, and the intervals. */
type InRoom = { conns: Map<string, number>; intervals: RoomInterval[] };

const roomKey = (groupId: string, userId: string) => `${groupId}\n${userId}`;
const copy = <T>(v: T): T => structuredClone(v);

/** Attendance in this process. */
export class MemoryAttendance implements Attendance {
  private readonly rooms = new Map<string, InRoom>();
  private readonly waiting = new Map<string, RoomInterval[]>();
  private readonly hand = new Map<string, HandSession[]>();
  private readonly settings = new Map<string, AttendanceSettings>();
  private readonly corrections = new Map<string, Map<string, AttendanceCorrection>>();

  async roomLeft(conn: RoomConnection, now: number): Promise<boolean> {
    const room = this.rooms.get(roomKey(conn.groupId, conn.userId));
    if (!room?.conns.delete(conn.connId)) return false;
    return this.endIfEmpty(room, now);
  }

  async refreshRoomConnections(conns: RoomConnection[], now: number, ttlMs: number): Promise<void> {
    for (const c of conns) this.enter(c, now, ttlMs);
  }

  async sweepRoomConnections(now: number): Promise<number> {
    let ended = 0;
    for (const room of this.rooms.values()) {
      let expired = false;
      for (const [id, until] of room.conns) {
        if (until <= now) {
          room.conns.delete(id);
          expired = true;
        }
      }
      if (expired && this.endIfEmpty(room, now)) ended++;
    }
    return ended;
  }

  async roomIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>> {
    const out = new Map<string, RoomInterval[]>();
    for (const u of userIds) {
      const room = this.rooms.get(roomKey(groupId, u));
      if (room?.intervals.length) out.set(u, copy(room.intervals));
    }
    return out;
  }

  async addWaitingTime(groupId: string, userId: string, stretch: { start: number; end: number }): Promise<void> {
    getOrCreate(this.waiting, roomKey(groupId, userId), () => []).push({ ...stretch });
  }

  async waitingIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>> {
    const out = new Map<string, RoomInterval[]>();
    for (const u of userIds) {
      const list = this.waiting.get(roomKey(groupId, u));
      if (list?.length) out.set(u, copy(list));
    }
    return out;
  }

  async openHandSession(groupId: string, session: { id: string; start: number }): Promise<void> {
    const list = getOrCreate(this.hand, groupId, () => []);
    if (!list.some((s) => s.end === null)) list.push({ ...session, end: null });
  }

  async closeHandSession(groupId: string, end: number): Promise<void> {
    const open = this.hand.get(groupId)?.find((s) => s.end === null);
    if (open) open.end = end;
  }

  async handSessions(groupId: string): Promise<HandSession[]> {
    return copy(this.hand.get(groupId) ?? []);
  }

  async attendanceSettings(groupId: string): Promise<Partial<AttendanceSettings>> {
    return copy(this.settings.get(groupId) ?? {});
  }

  async setAttendanceSettings(groupId: string, settings: AttendanceSettings): Promise<void> {
    this.settings.set(groupId, copy(settings));
  }

  async correctAttendance(groupId: string, sessionId: string, userId: string, correction: AttendanceCorrection): Promise<void> {
    getOrCreate(this.corrections, `${groupId}\n${sessionId}`, () => new Map()).set(userId, copy(correction));
  }

  async attendanceCorrections(groupId: string, sessionId: string): Promise<Map<string, AttendanceCorrection>> {
    return copy(this.corrections.get(`${groupId}\n${sessionId}`) ?? new Map());
  }

  private enter(conn: RoomConnection, now: number, ttlMs: number): void {
    const room = getOrCreate(this.rooms, roomKey(conn.groupId, conn.userId), () => ({ conns: new Map(), intervals: [] }));
    const first = room.conns.size === 0;
    room.conns.set(conn.connId, now + ttlMs);
    const last = room.intervals.at(-1);
    if (first && (!last || last.end !== null)) room.intervals.push({ start: now, end: null });
  }

  private endIfEmpty(room: InRoom, now: number): boolean {
    const last = room.intervals.at(-1);
    if (room.conns.size > 0 || !last || last.end !== null) return false;
    last.end = Math.max(now, last.start);
    return true;
  }
}
