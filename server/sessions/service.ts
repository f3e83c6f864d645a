import type { Schedule, ScheduledSession } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { AppError } from '../errors.js';
import { facilitatorAccess, type GroupAccess } from '../groups/access.js';
import { recordAudit, type Audited } from '../groups/audit.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import { BY_HAND_SESSION, sessionAt } from '../store/store.js';
import { sessionIdAt, sessionWindows } from './schedule.js';
import { repeat } from '../repeat.js';

/** How far ahead windows are computed: a group's sessions of the next two weeks. */
const HORIZON_MS = 14 * 86_400_000;
/** A group is checked at least this often, so its horizon moves on with the days. */
const REFRESH_MS = 86_400_000;
/** A check a node claimed and did not finish (it stopped) comes back after this. */
const RETRY_MS = 30_000;
const CLAIM_BATCH = 50;
/** Overrides of sessions that ended this long ago are forgotten (their occurrences are long past). */
const FORGET_AFTER_MS = 86_400_000;
/** Opening with no session due this soon starts one of its own, this long. */
const OPEN_EARLY_MS = 60 * 60_000;
const HAND_OPENED_MS = 60 * 60_000;
/** How many coming sessions the schedule route lists. */
const LISTED = 10;

/** The announced session state: the open session's id, or closed. */
const announcedState = (current: ScheduledSession | null) => (current ? `open:${current.id}` : 'closed');
const openedId = (state: string) => (state.startsWith('open:') ? state.slice(5) : null);

/**
 * Sessions on a schedule (§5.6). The store holds each group's windows (the coming sessions, with
 * facilitators' overrides applied); admission reads them at the moment it judges, so whether a
 * session is open never waits for this service. What it does: recompute the windows whenever the
 * schedule or an override changes and whenever a group's check falls due (every node polls the
 * store's check queue; a claim hands each group to one node), and announce each change once
 * (one audit entry, one `group:state`): the store's announcement claim picks the one node that
 * saw a change, however many look.
 */
export class SessionService {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'sessions' | 'room' | 'moderation' | 'auditLog' | 'groups' | 'attendance'>,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    private readonly checkMs: number,
    /** A session ended and its end was announced (here, once across nodes): what waits for it goes out (§6.2). */
    private readonly ended: (groupId: string, sessionId: string) => Promise<void> = async () => {},
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.tick(), this.checkMs);
  }

  stop(): void {
    this.stopTimer();
  }

  /** Whether the group's sessions follow a schedule (else a facilitator opens and closes them by hand). */
  async scheduled(groupId: string): Promise<boolean> {
    return (await this.store.sessions.calendar(groupId)).schedule !== null;
  }

  /** The schedule and the coming sessions (facilitators and admins). */
  async schedule(actor: Identity, groupId: string): Promise<{ schedule: Schedule | null; sessions: ScheduledSession[] }> {
    await facilitatorAccess(this.store, actor, groupId);
    return this.view(groupId);
  }

  /** Replaces the schedule; null goes back to sessions by hand. Audited. */
  async setSchedule(actor: Identity, groupId: string, schedule: Schedule | null) {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.store.sessions.setSchedule(groupId, schedule);
    // From now on the schedule's sessions are the group's: a session by hand still open ends (§5.8).
    if (schedule) await this.store.attendance.closeHandSession(groupId, Date.now());
    await this.changed(access, actor, { action: 'schedule_set' });
    return this.view(groupId);
  }

  /** Cancels one coming (or the current) occurrence. Audited. */
  async cancel(actor: Identity, groupId: string, sessionId: string) {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const { schedule } = await this.store.sessions.calendar(groupId);
    const windows = (await this.store.sessions.windows(groupId)) ?? [];
    if (!schedule || !windows.some((w) => w.id === sessionId && w.end > Date.now()))
      throw new AppError('NOT_FOUND', 'no such coming session in this group');
    // The list keeps its newest 500 (the schema's limit): older ids name sessions long past.
    const cancelled = [...schedule.cancelled.filter((id) => id !== sessionId), sessionId].slice(-500);
    await this.store.sessions.setSchedule(groupId, { ...schedule, cancelled });
    await this.changed(access, actor, { action: 'session_cancel', sessionId });
    return this.view(groupId);
  }

  /**
   * A facilitator's mod:session on a group with a schedule. Opening: the next session when it is
   * due within the hour starts now, else a session of an hour starts now; closing: the current
   * session ends now. Audited as session_open / session_close with the session's id.
   */
  async openOrClose(access: GroupAccess, actor: Identity, open: boolean): Promise<void> {
    const now = Date.now();
    const { groupId } = access;
    const { current, next } = this.around((await this.store.sessions.windows(groupId)) ?? [], now);
    if (open && !current) {
      const early = next && next.start - now <= OPEN_EARLY_MS ? next : null;
      const id = early?.id ?? sessionIdAt(now);
      await this.store.sessions.setOverride(groupId, id, { start: now, end: early?.end ?? now + HAND_OPENED_MS });
      await this.changed(access, actor, { action: 'session_open', sessionId: id });
    } else if (!open && current) {
      await this.store.sessions.setOverride(groupId, current.id, { start: current.start, end: now });
      await this.changed(access, actor, { action: 'session_close', sessionId: current.id });
    } else {
      // Already as asked: audited as today (the facilitator acted), no change to announce.
      await recordAudit(this.store, access, actor, { action: open ? 'session_open' : 'session_close', sessionId: current?.id });
    }
  }

  /** A facilitator closed the session of a group without a schedule (mod:session). */
  async closedByHand(groupId: string): Promise<void> {
    await this.ended(groupId, BY_HAND_SESSION);
  }

  /** Moves the current session's end `minutes` later. Audited. */
  async extend(actor: Identity, groupId: string, minutes: number) {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const { current } = this.around((await this.store.sessions.windows(groupId)) ?? [], Date.now());
    if (!current) throw new AppError('SESSION_CLOSED', 'no session is open to extend');
    await this.store.sessions.setOverride(groupId, current.id, { start: current.start, end: current.end + minutes * 60_000 });
    await this.changed(access, actor, { action: 'session_extend', sessionId: current.id, value: minutes });
    return this.view(groupId);
  }

  private async view(groupId: string): Promise<{ schedule: Schedule | null; sessions: ScheduledSession[] }> {
    const [{ schedule }, windows] = await Promise.all([this.store.sessions.calendar(groupId), this.store.sessions.windows(groupId)]);
    const now = Date.now();
    return { schedule, sessions: (windows ?? []).filter((w) => w.end > now).slice(0, LISTED) };
  }

  private around(windows: ScheduledSession[], now: number) {
    return { current: sessionAt(windows, now).current, next: windows.find((w) => w.start > now) ?? null };
  }

  /**
   * A facilitator changed the calendar: recompute, take the announcement (so no node announces
   * this change again), audit the act once and tell the room once.
   */
  private async changed(access: GroupAccess, actor: Identity, what: Audited): Promise<void> {
    const now = Date.now();
    const windows = await this.refresh(access.groupId, now);
    const current = windows && sessionAt(windows, now).current;
    const claimed = await this.store.sessions.claimAnnouncement(access.groupId, announcedState(current));
    if (claimed !== null && current) await this.store.moderation.forgetAttending(access.groupId);
    await recordAudit(this.store, access, actor, what);
    await this.tellRoom(access.groupId, now);
    const closed = claimed === null ? null : openedId(claimed);
    if (closed && closed !== current?.id) await this.ended(access.groupId, closed);
  }

  /** Recomputes the group's windows from its calendar and queues its next check; null without a schedule. */
  private async refresh(groupId: string, now: number): Promise<ScheduledSession[] | null> {
    const { schedule, overrides } = await this.store.sessions.calendar(groupId);
    if (!schedule) {
      await this.store.sessions.setWindows(groupId, null);
      return null;
    }
    const windows = sessionWindows(schedule, overrides, now, now + HORIZON_MS);
    await this.store.sessions.setWindows(groupId, windows);
    const stale = Object.entries(overrides).filter(([, o]) => o.end < now - FORGET_AFTER_MS);
    if (stale.length)
      await this.store.sessions.forgetOverrides(
        groupId,
        stale.map(([id]) => id),
      );
    const boundaries = windows.flatMap((w) => [w.start, w.end]).filter((t) => t > now);
    await this.store.sessions.scheduleSessionCheck(groupId, Math.min(now + REFRESH_MS, ...boundaries));
    return windows;
  }

  private async tick(): Promise<void> {
    try {
      const due = await this.store.sessions.claimDueSessionChecks(Date.now(), RETRY_MS, CLAIM_BATCH);
      await Promise.all(due.map((groupId) => this.check(groupId)));
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'session check failed');
    }
  }

  /** This node claimed the group's check: recompute, and announce what changed unless another node already did. */
  private async check(groupId: string): Promise<void> {
    const now = Date.now();
    const windows = await this.refresh(groupId, now);
    if (!windows) return;
    const current = sessionAt(windows, now).current;
    const previous = await this.store.sessions.claimAnnouncement(groupId, announcedState(current));
    if (previous === null) return;
    const closed = openedId(previous);
    if (closed) await this.systemAudit(groupId, now, 'session_closed', closed);
    if (current) {
      await this.store.moderation.forgetAttending(groupId);
      await this.systemAudit(groupId, now, 'session_opened', current.id);
    }
    // The first look at a group with nothing open has nothing to announce.
    if (closed || current) await this.tellRoom(groupId, now);
    this.log.info({ groupId, opened: current?.id, closed }, 'session change announced');
    if (closed) await this.ended(groupId, closed);
  }

  private async systemAudit(groupId: string, at: number, action: 'session_opened' | 'session_closed', sessionId: string): Promise<void> {
    await this.store.auditLog.appendAudit(groupId, {
      groupId,
      at,
      actor: { id: 'system', name: 'Bridge', role: 'system' },
      action,
      sessionId,
    });
  }

  private async tellRoom(groupId: string, now: number): Promise<void> {
    this.broadcast.toGroup(groupId, 'group:state', { groupId, state: await this.store.room.roomState(groupId, now) });
  }
}
