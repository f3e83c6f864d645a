import type { StaffAlert } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import type { EscalationConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { groupAlert } from '../moderation/alert-view.js';
import type { Stores } from '../store/ports.js';
import { programAlertView } from './program-alerts.js';
import type { EscalationWebhook } from './webhook.js';
import { repeat } from '../repeat.js';

/** How often each node asks the store what is due: the lateness of an escalation, at most. */
const POLL_MS = 1000;
const CLAIM_BATCH = 50;

/**
 * Escalation (§7.1): a crisis alert nobody acknowledges goes to the program's on-call staff
 * (`alert:escalated`) and the webhook, at once when no facilitator of its group is online or it
 * has no group (a program alert), else after ESCALATE_AFTER_SEC, and again every
 * ESCALATION_REPEAT_SEC until acknowledged or resolved. Due times are in the store and every node
 * polls it; a claim hands each step to one node, which then looks at the alert as it is now.
 */
export class EscalationService {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'escalationQueue' | 'presence' | 'reportQueue' | 'alertQueue'>,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    private readonly config: EscalationConfig,
    private readonly webhook: EscalationWebhook | undefined,
  ) {}

  /** Someone to page: without on-call staff or a webhook there is nothing to escalate to. */
  get enabled(): boolean {
    return this.config.onCall.userIds.length > 0 || this.config.onCall.admins || this.webhook !== undefined;
  }

  start(): void {
    if (!this.enabled) return;
    this.stopTimer = repeat(() => this.tick(), POLL_MS);
  }

  stop(): void {
    this.stopTimer();
    this.webhook?.stop();
  }

  /** A new alert: sets when it escalates. Never throws (raising the alert must not fail). */
  async raised(alert: StaffAlert, facilitators: string[]): Promise<void> {
    if (!this.enabled || alert.severity !== 'crisis') return;
    try {
      const online = alert.scope === 'group' && facilitators.length > 0 ? await this.store.presence.onlineUsers(facilitators) : new Set();
      const dueAt = online.size > 0 ? alert.createdAt + this.config.afterMs : Date.now();
      await this.store.escalationQueue.scheduleEscalation(refOf(alert), dueAt);
    } catch (err) {
      this.log.error({ alertId: alert.id, err: err instanceof Error ? err.name : typeof err }, 'escalation could not be scheduled');
    }
  }

  private async tick(): Promise<void> {
    try {
      const due = await this.store.escalationQueue.claimDueEscalations(Date.now(), this.config.repeatMs, CLAIM_BATCH);
      await Promise.all(due.map(({ ref, step }) => this.escalate(ref, step)));
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'escalation poll failed');
    }
  }

  /** This node claimed the step: page unless someone has acknowledged or resolved the alert since. */
  private async escalate(ref: string, step: number): Promise<void> {
    const alert = await this.current(ref);
    if (!alert || alert.status !== 'open') {
      await this.store.escalationQueue.cancelEscalation(ref);
      return;
    }
    const at = Date.now();
    const { userIds, admins } = this.config.onCall;
    const event = { alert, step, at };
    if (admins) this.broadcast.toStaff(userIds, 'alert:escalated', event);
    else this.broadcast.toUsers(userIds, 'alert:escalated', event);
    this.webhook?.deliver({
      type: 'alert.escalated',
      alertId: alert.id,
      kind: alert.kind,
      severity: alert.severity,
      ...(alert.groupId === undefined ? {} : { groupId: alert.groupId }),
      step,
      at,
      link: `/#alert=${encodeURIComponent(alert.id)}`,
    });
    this.log.info({ alertId: alert.id, step }, 'alert escalated');
  }

  private async current(ref: string): Promise<StaffAlert | undefined> {
    const [groupId, alertId] = JSON.parse(ref) as [string | null, string];
    if (groupId === null) {
      const found = (await this.store.alertQueue.programAlerts('open')).find((a) => a.id === alertId);
      return found && programAlertView(found);
    }
    const found = (await this.store.reportQueue.reports(groupId, 'open')).find((r) => r.id === alertId);
    return found && groupAlert(found);
  }
}

/** An alert's name in the escalation queue: its group (null for the program's) and id. */
function refOf(alert: StaffAlert): string {
  return JSON.stringify([alert.scope === 'group' ? (alert.groupId ?? null) : null, alert.id]);
}
