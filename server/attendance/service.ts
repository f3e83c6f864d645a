import type { AttendanceRecord, AttendanceResult, AttendanceSession, AttendanceSettings, AttendanceStatus } from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { facilitatorAccess } from '../groups/access.js';
import { recordAudit } from '../groups/audit.js';
import type { Logger } from '../logger.js';
import { sessionWindows } from '../sessions/schedule.js';
import type { Stores } from '../store/ports.js';
import type { RoomConnection } from '../store/store.js';
import { DEFAULT_ATTENDANCE_SETTINGS, minutesOf, recordTimes, statusOf } from './records.js';
import { repeat } from '../repeat.js';

/**
 * How long this node trusts its last look at whether a group needs a session by hand started: in
 * a join storm one look per node and group, not one per join.
 */
const HAND_CHECK_MS = 10_000;
/** Joins on one node within this long go to the store together, in one step per shard. */
const ENTER_BATCH_MS = 10;
/** How far back the session list reaches, and how many it lists. */
const LISTED_DAYS = 90;
const LISTED = 100;

export type AttendanceOptions = {
  /** As presence's: how long a room connection counts without its node refreshing it. */
  ttlMs: number;
};

/**
 * Attendance (§5.8). Keeps who is in each room as time, the way presence keeps who is online: this
 * node's room connections are refreshed in the store every ttl/3 and everyone's expired ones are
 * swept as often, so a dead node's members leave at the moment the sweep notices. Reads a
 * session's records for facilitators, computed when asked from the time in the room, the
 * session's window and the group's thresholds; corrections are kept beside them and audited.
 */
export class AttendanceService {
  /** This node's sockets in rooms: connection id → user id and group ids. */
  private readonly local = new Map<string, { userId: string; groupIds: Set<string> }>();
  /** group id → when this node last made sure an open group without a schedule has a session by hand */
  private readonly handChecked = new Map<string, number>();
  /** Sockets admitted to rooms and not yet written, and the write that will take them. */
  private entering: RoomConnection[] = [];
  private enterWrite: Promise<void> | undefined;
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'attendance' | 'auditLog' | 'groups' | 'moderation' | 'room' | 'sessions'>,
    private readonly log: Logger,
    private readonly options: AttendanceOptions,
    private readonly access: AccessRecorder,
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.tick(), Math.max(100, Math.floor(this.options.ttlMs / 3)));
  }

  stop(): void {
    this.stopTimer();
  }

  /**
   * A socket was admitted to a group's room. A group without a schedule that is open and has no
   * session by hand yet (it has been open since it was made) starts one now. Never throws: an
   * attendance failure must not fail the join.
   */
  async entered(groupId: string, userId: string, connId: string): Promise<void> {
    const mine = this.local.get(connId) ?? { userId, groupIds: new Set<string>() };
    mine.groupIds.add(groupId);
    this.local.set(connId, mine);
    this.entering.push({ groupId, userId, connId });
    // A join storm is one store step per ENTER_BATCH_MS and shard, not one per join.
    this.enterWrite ??= new Promise((resolve) => setTimeout(resolve, ENTER_BATCH_MS)).then(() => this.writeEntering());
    try {
      await Promise.all([this.enterWrite, this.ensureHandSession(groupId, Date.now())]);
    } catch (err) {
      this.failed(err, 'attendance enter failed');
    }
  }

  private async writeEntering(): Promise<void> {
    const conns = this.entering;
    this.entering = [];
    this.enterWrite = undefined;
    await this.store.attendance.refreshRoomConnections(conns, Date.now(), this.options.ttlMs);
  }

  private async ensureHandSession(groupId: string, now: number): Promise<void> {
    if (now - (this.handChecked.get(groupId) ?? -Infinity) < HAND_CHECK_MS) return;
    this.handChecked.set(groupId, now);
    for (const [id, at] of this.handChecked) if (now - at >= HAND_CHECK_MS) this.handChecked.delete(id);
    const state = await this.store.room.roomState(groupId, now);
    if (state.sessionOpen && !state.session) await this.store.attendance.openHandSession(groupId, { id: `m${now}`, start: now });
  }

  /** A socket left a group's room (however: the adapter reports it); nothing when it was never counted in. */
  async left(groupId: string, connId: string): Promise<void> {
    const mine = this.local.get(connId);
    if (!mine?.groupIds.delete(groupId)) return;
    if (!mine.groupIds.size) this.local.delete(connId);
    // Its entry may still wait for its batch: the leave goes after it (once sent, the store keeps the order).
    await this.enterWrite?.catch(() => {});
    await this.leave({ groupId, userId: mine.userId, connId });
  }

  /**
   * The waiting room reports a stretch a member spent waiting to be admitted to the group's room
   * (kept apart from time in the room: it shows as waitingMinutes).
   */
  async waited(groupId: string, userId: string, start: number, end: number): Promise<void> {
    if (end > start) await this.store.attendance.addWaitingTime(groupId, userId, { start, end });
  }

  /** A session by hand was opened (mod:session on a group without a schedule). */
  async handOpened(groupId: string, now: number): Promise<void> {
    await this.store.attendance.openHandSession(groupId, { id: `m${now}`, start: now });
  }

  async handClosed(groupId: string, now: number): Promise<void> {
    await this.store.attendance.closeHandSession(groupId, now);
  }

  /** The group's sessions that have started, newest first, and its thresholds (facilitators and admins). */
  async sessions(actor: Identity, groupId: string): Promise<{ sessions: AttendanceSession[]; settings: AttendanceSettings }> {
    await facilitatorAccess(this.store, actor, groupId);
    const [sessions, settings] = await Promise.all([this.sessionsOf(groupId, Date.now()), this.settingsOf(groupId)]);
    return { sessions, settings };
  }

  /** One session's records: every enrolled participant, absent ones included, by name. */
  async attendance(actor: Identity, groupId: string, sessionId: string): Promise<AttendanceResult> {
    await facilitatorAccess(this.store, actor, groupId);
    const result = await this.read(groupId, sessionId);
    // Who came to a session is about each participant listed: a read for the access log (§8.8).
    await this.access.record(actor, { what: 'attendance', about: result.records.map((r) => r.userId), groupId, detail: { sessionId } });
    return result;
  }

  /** A facilitator's correction of one record (e.g. an excused absence). Audited with the status, never the note. */
  async correct(
    actor: Identity,
    groupId: string,
    sessionId: string,
    userId: string,
    body: { status: AttendanceStatus; note?: string },
  ): Promise<AttendanceRecord> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.session(groupId, sessionId);
    const member = await this.store.groups.enrolment(groupId, userId);
    if (member?.role !== 'participant') throw new AppError('NOT_FOUND', 'no such participant in this group');
    await this.store.attendance.correctAttendance(groupId, sessionId, userId, {
      ...body,
      by: { id: actor.id, name: actor.name },
      at: Date.now(),
    });
    await recordAudit(this.store, access, actor, { action: 'attendance_correct', targetUserId: userId, sessionId, status: body.status });
    const { records } = await this.read(groupId, sessionId, [userId]);
    return records[0]!;
  }

  /** Replaces the group's thresholds. Audited. */
  async setSettings(actor: Identity, groupId: string, settings: AttendanceSettings): Promise<{ settings: AttendanceSettings }> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.store.attendance.setAttendanceSettings(groupId, settings);
    await recordAudit(this.store, access, actor, { action: 'attendance_settings' });
    return { settings };
  }

  private async read(groupId: string, sessionId: string, only?: string[]): Promise<AttendanceResult> {
    const now = Date.now();
    const [session, settings, members, corrections] = await Promise.all([
      this.session(groupId, sessionId),
      this.settingsOf(groupId),
      this.store.groups.members(groupId),
      this.store.attendance.attendanceCorrections(groupId, sessionId),
    ]);
    const participants = members
      .filter((m) => m.role === 'participant' && (!only || only.includes(m.userId)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
    const ids = participants.map((p) => p.userId);
    const [time, waiting] = await Promise.all([
      this.store.attendance.roomIntervals(groupId, ids),
      this.store.attendance.waitingIntervals(groupId, ids),
    ]);
    const records = participants.map((p): AttendanceRecord => {
      const t = recordTimes(time.get(p.userId) ?? [], session, now);
      const computedStatus = statusOf(t, session, settings, now);
      const corrected = corrections.get(p.userId);
      const record: AttendanceRecord = {
        userId: p.userId,
        name: p.name,
        firstJoined: t.firstJoined,
        lastLeft: t.lastLeft,
        minutes: minutesOf(t.ms),
        stretches: t.stretches,
        waitingMinutes: minutesOf(recordTimes(waiting.get(p.userId) ?? [], session, now).ms),
        status: corrected?.status ?? computedStatus,
        computedStatus,
      };
      if (corrected) record.corrected = corrected;
      return record;
    });
    return { session, settings, records };
  }

  private async session(groupId: string, sessionId: string): Promise<AttendanceSession> {
    const session = (await this.sessionsOf(groupId, Date.now())).find((s) => s.id === sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'no such session in this group');
    return session;
  }

  /**
   * Sessions that have started, newest first: a schedule's (computed from it and the
   * facilitators' changes, as the room follows them) and those opened by hand without one.
   */
  private async sessionsOf(groupId: string, now: number): Promise<AttendanceSession[]> {
    const [{ schedule, overrides }, hand] = await Promise.all([
      this.store.sessions.calendar(groupId),
      this.store.attendance.handSessions(groupId),
    ]);
    const scheduled =
      schedule || Object.keys(overrides).length ? sessionWindows(schedule, overrides, now - LISTED_DAYS * 86_400_000, now + 1) : [];
    return [...scheduled.filter((w) => w.start <= now).map((w) => ({ ...w, end: w.end > now ? null : w.end })), ...hand]
      .sort((a, b) => b.start - a.start)
      .slice(0, LISTED);
  }

  private async settingsOf(groupId: string): Promise<AttendanceSettings> {
    return { ...DEFAULT_ATTENDANCE_SETTINGS, ...(await this.store.attendance.attendanceSettings(groupId)) };
  }

  private async leave(conn: RoomConnection): Promise<void> {
    try {
      await this.store.attendance.roomLeft(conn, Date.now());
    } catch (err) {
      this.failed(err, 'attendance leave failed');
    }
  }

  private async tick(): Promise<void> {
    try {
      const conns = [...this.local].flatMap(([connId, { userId, groupIds }]) =>
        [...groupIds].map((groupId) => ({ groupId, userId, connId })),
      );
      const now = Date.now();
      await this.store.attendance.refreshRoomConnections(conns, now, this.options.ttlMs);
      const ended = await this.store.attendance.sweepRoomConnections(now);
      if (ended) this.log.info({ ended }, 'room connections of a stopped node expired');
    } catch (err) {
      this.failed(err, 'attendance refresh failed');
    }
  }

  private failed(err: unknown, what: string): void {
    this.log.warn({ err: err instanceof Error ? err.name : typeof err }, what);
  }
}
