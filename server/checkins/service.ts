import type { Checkin, CheckinSharing, CheckinTrendDay, Payload } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { newId } from '../conversation/ids.js';
import { AppError } from '../errors.js';
import { facilitatorAccess } from '../groups/access.js';
import type { FloodControl } from '../limits/flood.js';
import type { Stores } from '../store/ports.js';

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
    private readonly store: Pick<Stores, 'checkins' | 'groups' | 'moderation'>,
    private readonly flood: FloodControl,
  ) {}

  async send(actor: Identity, { mood, craving, used, note, clientMsgId }: Payload<'checkin:send'>): Promise<Checkin> {
    await this.flood.take('send', actor.id);
    const entry: Checkin = { id: newId(), clientMsgId, at: Date.now(), mood, craving, used, ...(note ? { note } : {}) };
    return (await this.store.checkins.appendCheckin(actor.id, entry)).checkin;
  }

  async setSharing(actor: Identity, sharing: CheckinSharing): Promise<CheckinSharing> {
    await this.store.checkins.setSharing(actor.id, sharing);
    return sharing;
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
    const today = Math.floor(now / DAY_MS);
    const entries = await this.store.checkins.checkinsOf(userId, (today - TREND_DAYS + 1) * DAY_MS);
    return trendOf(entries);
  }
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
