import type { Payload, StaffAlert } from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import { groupAlert, inboxOrder } from '../moderation/alert-view.js';
import { peopleIn, type ReportService } from '../moderation/reports.js';
import type { Stores } from '../store/ports.js';
import { programAlertView, type ProgramAlertService } from './program-alerts.js';

/**
 * The staff alert inbox (§5.5): one list over the report queues of the groups the caller
 * facilitates (every group for admins) and, for admins, the program's alert queue; and the
 * lifecycle steps, which go to the queue the alert lives in (a group's, named by `groupId`, or
 * the program's).
 */
export class AlertInbox {
  constructor(
    private readonly store: Pick<Stores, 'groups' | 'reportQueue'>,
    private readonly reports: ReportService,
    private readonly program: ProgramAlertService,
    private readonly access: AccessRecorder,
    /** Seconds from an alert to its first acknowledgement (the `bridge_alert_ack_seconds` histogram). */
    private readonly observeAck: (seconds: number) => void = () => {},
  ) {}

  /** Open and acknowledged alerts, crisis first, then oldest first; nothing for someone who facilitates no group. */
  async list(actor: Identity): Promise<StaffAlert[]> {
    const groupIds = await this.staffedGroups(actor);
    if (groupIds.length === 0 && actor.role !== 'admin') return [];
    const [queues, program] = await Promise.all([
      Promise.all(groupIds.map((g) => this.store.reportQueue.reports(g, 'open'))),
      this.program.open(actor),
    ]);
    await this.access.record(actor, { what: 'alerts', about: [...peopleIn(queues.flat()), ...program.map((a) => a.userId)] });
    return [...queues.flat().map(groupAlert), ...program].sort(inboxOrder);
  }

  async acknowledge(actor: Identity, { groupId, alertId }: Payload<'alert:ack'>): Promise<StaffAlert> {
    const before = Date.now();
    const alert = await (groupId === undefined
      ? this.program.acknowledge(actor, alertId)
      : this.reports.acknowledge(actor, groupId, alertId));
    // Only the acknowledgement made now counts: acknowledging again answers the first one.
    if (alert.acknowledgedBy === actor.id && alert.acknowledgedAt !== undefined && alert.acknowledgedAt >= before)
      this.observeAck((alert.acknowledgedAt - alert.createdAt) / 1000);
    return alert;
  }

  async resolve(actor: Identity, { groupId, alertId, note }: Payload<'alert:resolve'>): Promise<StaffAlert> {
    if (groupId === undefined) return programAlertView(await this.program.resolve(actor, alertId, note));
    return groupAlert(await this.reports.resolve(actor, groupId, alertId, { note, action: 'resolve_alert' }));
  }

  private async staffedGroups(actor: Identity): Promise<string[]> {
    if (actor.role === 'admin') return (await this.store.groups.allGroups()).map((g) => g.id);
    const ids = await this.store.groups.groupIdsOf(actor.id);
    const enrolments = await Promise.all(ids.map((g) => this.store.groups.enrolment(g, actor.id)));
    return ids.filter((_, i) => enrolments[i]?.role === 'facilitator');
  }
}
