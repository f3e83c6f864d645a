import type { Logger } from '../logger.js';
import type { ReportService } from '../moderation/reports.js';
import type { Stores, WatchedSilence } from '../store/ports.js';
import type { CheckinRuleBook } from './rules.js';
import { repeat } from '../repeat.js';

/** How often each node asks the store which silences are due: the lateness of a silence alert, at most. */
const POLL_MS = 1000;
const CLAIM_BATCH = 50;
/** A claimed silence whose alert could not be raised (or whose node stopped) comes due again after this. */
const RETRY_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * The silence rule (§6.1): someone who opted in to daily check-ins and shares with staff, and has
 * not checked in for their group's silence window, raises one `checkin` alert (rule 'silence') in
 * that group, and no other until they check in again and fall silent again. A check-in (or the
 * opt-in) starts the count in each of their groups; due times are in the store and every node
 * sweeps it; a claim hands each silence to one node, which judges it as things are now.
 */
export class CheckinSilence {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'checkins' | 'checkinWatch' | 'groups'>,
    private readonly rules: Pick<CheckinRuleBook, 'rulesOf'>,
    private readonly reports: Pick<ReportService, 'checkinAlert'>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.sweep(), POLL_MS);
  }

  stop(): void {
    this.stopTimer();
  }

  /** Counts the person's silence from `since` (a check-in, or their opt-in) in each group they are enrolled in. */
  async arm(userId: string, since: number): Promise<void> {
    const groupIds = await this.store.groups.groupIdsOf(userId);
    await Promise.all(
      groupIds.map(async (groupId) => {
        const { silenceHours } = await this.rules.rulesOf(groupId);
        if (silenceHours === null) await this.store.checkinWatch.unwatchSilence(groupId, userId);
        else await this.store.checkinWatch.watchSilence({ groupId, userId, since }, since + silenceHours * HOUR_MS);
      }),
    );
  }

  /** The person opted out: no silence of theirs is watched in their groups any more. */
  async disarm(userId: string): Promise<void> {
    const groupIds = await this.store.groups.groupIdsOf(userId);
    await Promise.all(groupIds.map((groupId) => this.store.checkinWatch.unwatchSilence(groupId, userId)));
  }

  /** Raises the alert of every silence due now; returns how many were raised. */
  async sweep(now = Date.now()): Promise<number> {
    try {
      const due = await this.store.checkinWatch.claimDueSilences(now, RETRY_MS, CLAIM_BATCH);
      const raised = await Promise.all(due.map((s) => this.judge(s, now)));
      return raised.filter(Boolean).length;
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'check-in silence sweep failed');
      return 0;
    }
  }

  /** A claimed silence, as things are now: raised, ended without an alert, or moved to its new due time. */
  private async judge(s: WatchedSilence, now: number): Promise<boolean> {
    const { groupId, userId, since } = s;
    try {
      const [daily, sharing, member, rules, later] = await Promise.all([
        this.store.checkins.dailyOf(userId),
        this.store.checkins.sharingOf(userId),
        this.store.groups.enrolment(groupId, userId),
        this.rules.rulesOf(groupId),
        this.store.checkins.checkinsOf(userId, since + 1),
      ]);
      if (!daily || sharing !== 'staff' || !member || rules.silenceHours === null || later.length) {
        await this.store.checkinWatch.endSilence(s);
        return false;
      }
      const dueAt = since + rules.silenceHours * HOUR_MS;
      if (dueAt > now) {
        // The group lengthened its window since this silence was counted.
        await this.store.checkinWatch.watchSilence(s, dueAt);
        return false;
      }
      await this.reports.checkinAlert([groupId], { userId, rule: 'silence', since });
      await this.store.checkinWatch.endSilence(s);
      return true;
    } catch (err) {
      // Stays claimed: it comes due again after RETRY_MS, and the alert's dedupe key keeps it one.
      this.log.error({ userId, groupId, err: err instanceof Error ? err.name : typeof err }, 'check-in silence alert could not be raised');
      return false;
    }
  }
}
