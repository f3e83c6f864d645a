import type { Checkin, CheckinRule, CheckinRules, CheckinSharing, CheckinTrendDay, Payload } from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import { newId } from '../conversation/ids.js';
import { AppError } from '../errors.js';
import { facilitatorAccess } from '../groups/access.js';
import type { FloodControl } from '../limits/flood.js';
import type { ReportService } from '../moderation/reports.js';
import type { Stores } from '../store/ports.js';
import type { CheckinRuleBook } from './rules.js';
import type { CheckinSilence } from './silence.js';

/** How many days a member's trend covers, today included (§8.2). */
export const TREND_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A person's own check-ins, outside any partnership (§6.1): they keep a log, choose whom it is
 * shared with, and staff they share with see a trend. Check-ins are personal health data: nothing
 * here logs them, and errors name ids only.
 */
export class CheckinService {
  constructor(
    private readonly store: Pick<Stores, 'checkins' | 'groups' | 'moderation' | 'partners'>,
    private readonly flood: FloodControl,
    private readonly reports: Pick<ReportService, 'checkinAlert'>,
    private readonly rules: Pick<CheckinRuleBook, 'rulesOf'>,
    private readonly silence: Pick<CheckinSilence, 'arm' | 'disarm'>,
    private readonly access: AccessRecorder,
  ) {}

  async send(actor: Identity, { mood, craving, used, note, clientMsgId }: Payload<'checkin:send'>): Promise<Checkin> {
    await this.flood.take('send', actor.id);
    const entry: Checkin = { id: newId(), clientMsgId, at: Date.now(), mood, craving, used, ...(note ? { note } : {}) };
    const { checkin } = await this.store.checkins.appendCheckin(actor.id, entry);
    // Also on a resend: alerts are filed once per check-in and rule, so a resend after a failure
    // here raises what the first attempt could not, and raises nothing twice.
    await this.raiseAlerts(actor.id, checkin);
    if (await this.store.checkins.dailyOf(actor.id)) await this.silence.arm(actor.id, checkin.at);
    return checkin;
  }

  /**
   * The alert rules (§6.1), only for someone who shares with staff: each rule the check-in trips,
   * by the rules of each group they are enrolled in, raises a `checkin` alert in that group's
   * staff inbox. Partners are never alerted.
   */
  private async raiseAlerts(userId: string, checkin: Checkin): Promise<void> {
    const [sharing, groupIds] = await Promise.all([this.store.checkins.sharingOf(userId), this.store.groups.groupIdsOf(userId)]);
    if (sharing !== 'staff' || !groupIds.length) return;
    const previous = await this.previous(userId, checkin);
    await Promise.all(
      groupIds.map(async (groupId) => {
        const rules = tripped(checkin, previous, await this.rules.rulesOf(groupId));
        await Promise.all(rules.map((rule) => this.reports.checkinAlert([groupId], { userId, rule, checkinId: checkin.id })));
      }),
    );
  }

  /** The check-in made just before this one, if any. */
  private async previous(userId: string, checkin: Checkin): Promise<Checkin | undefined> {
    const log = await this.store.checkins.checkinsOf(userId, 0);
    const i = log.findIndex((c) => c.id === checkin.id);
    return i > 0 ? log[i - 1] : undefined;
  }

  /**
   * Sets the caller's choice, or with none given reads it. Starting to share with staff starts
   * the count of a daily check-in's silence (the staff could not miss what they did not see).
   */
  async sharing(actor: Identity, sharing?: CheckinSharing): Promise<CheckinSharing> {
    const before = await this.store.checkins.sharingOf(actor.id);
    if (!sharing) return before;
    await this.store.checkins.setSharing(actor.id, sharing);
    if (sharing === 'staff' && before !== 'staff' && (await this.store.checkins.dailyOf(actor.id)))
      await this.silence.arm(actor.id, Date.now());
    return sharing;
  }

  /** Opts the caller in to (or out of) daily check-ins, or with `on` absent reads the choice. Opting in starts the count. */
  async daily(actor: Identity, on?: boolean): Promise<boolean> {
    const before = await this.store.checkins.dailyOf(actor.id);
    if (on === undefined || on === before) return before;
    await this.store.checkins.setDaily(actor.id, on);
    if (on) await this.silence.arm(actor.id, Date.now());
    else await this.silence.disarm(actor.id);
    return on;
  }

  /**
   * The member's last TREND_DAYS days, oldest first, one row per day with a check-in: the day's
   * mean mood and highest craving, and whether they used. For facilitators of the group (admins
   * too) when the member is enrolled and shares with staff; FORBIDDEN otherwise, the same answer
   * whichever of those fails, so the answer tells nothing of the person's choice.
   */
  async trend(actor: Identity, groupId: string, userId: string, now = Date.now()): Promise<CheckinTrendDay[]> {
    await facilitatorAccess(this.store, actor, groupId);
    const [member, sharing] = await Promise.all([this.store.groups.enrolment(groupId, userId), this.store.checkins.sharingOf(userId)]);
    if (!member || sharing !== 'staff') throw new AppError('FORBIDDEN', "this member's check-ins are not shared with you");
    const days = await this.recentTrend(userId, now);
    await this.access.record(actor, { what: 'checkins', about: [userId], groupId });
    return days;
  }

  /**
   * The caller's partner's trend, as trend() gives staff, while the partnership is active and the
   * partner shares with partners; FORBIDDEN otherwise (one answer for both). Anyone outside the
   * partnership, staff and admins included, gets NOT_FOUND, as for everything about it (§6).
   */
  async partnerTrend(actor: Identity, partnershipId: string, now = Date.now()): Promise<CheckinTrendDay[]> {
    const p = await this.store.partners.partnership(partnershipId);
    const partner = p?.users.find((u) => u.id !== actor.id);
    if (!p || !partner || !p.users.some((u) => u.id === actor.id)) throw new AppError('NOT_FOUND', 'no such partnership');
    const sharing = await this.store.checkins.sharingOf(partner.id);
    if (p.status !== 'active' || sharing !== 'partners')
      throw new AppError('FORBIDDEN', "your partner's check-ins are not shared with you");
    return this.recentTrend(partner.id, now);
  }

  private async recentTrend(userId: string, now: number): Promise<CheckinTrendDay[]> {
    const today = Math.floor(now / DAY_MS);
    return trendOf(await this.store.checkins.checkinsOf(userId, (today - TREND_DAYS + 1) * DAY_MS));
  }
}

/** The rules a check-in trips, given the one before it and the group's rules (null: off). */
function tripped(c: Checkin, prev: Checkin | undefined, rules: CheckinRules): Exclude<CheckinRule, 'silence'>[] {
  const out: Exclude<CheckinRule, 'silence'>[] = [];
  if (rules.craving !== null && c.craving >= rules.craving) out.push('craving');
  if (prev && rules.jump !== null && c.craving - prev.craving >= rules.jump) out.push('jump');
  if (rules.used && c.used) out.push('used');
  return out;
}

/** Check-ins grouped by UTC day. */
function trendOf(entries: Checkin[]): CheckinTrendDay[] {
  const days = new Map<string, Checkin[]>();
  for (const c of entries) {
    const day = new Date(c.at).toISOString().slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), c]);
  }
  return [...days].map(([day, cs]) => ({
    day,
    checkins: cs.length,
    mood: Math.round((cs.reduce((sum, c) => sum + c.mood, 0) / cs.length) * 10) / 10,
    craving: Math.max(...cs.map((c) => c.craving)),
    used: cs.some((c) => c.used),
  }));
}
