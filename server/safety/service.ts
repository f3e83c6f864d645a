import type { Message, Partnership, SafetyResources } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import type { Logger } from '../logger.js';
import type { ReportService } from '../moderation/reports.js';
import type { ProgramAlertService } from './program-alerts.js';

/**
 * The crisis safety net (§7): a message whose text matches a crisis phrase is never blocked or
 * held back (it has gone out before this runs); its sender privately gets the resources, and the
 * group's facilitators get a `crisis` alert that also waits in the report queue. When no
 * facilitator can get it (partners who share no group, groups without a facilitator), the
 * program's admins do, through the program's alert queue.
 */
export class SafetyService {
  constructor(
    private readonly matches: (text: string) => boolean,
    private readonly resources: SafetyResources,
    private readonly reports: ReportService,
    private readonly program: ProgramAlertService,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
  ) {}

  /** Runs after a group message went out; never throws (a failure here must not fail the send). */
  async afterGroupMessage(message: Message): Promise<void> {
    if (message.conversation.kind !== 'group') return;
    const groupId = message.conversation.id;
    await this.check(message, () => this.alertStaff([groupId], message));
  }

  /** A partner's message or check-in note: the facilitators of every group the two share are alerted. */
  async afterPartnerMessage(message: Message, partnership: Partnership): Promise<void> {
    await this.check(message, async () => this.alertStaff(await this.reports.sharedGroups(partnership), message, partnership.id));
  }

  /** Queues the alert in each group for its facilitators; when these groups have none, the admins get it. */
  private async alertStaff(groupIds: string[], message: Message, partnershipId?: string): Promise<{ alerts: number; program: boolean }> {
    const { reports, facilitators } = await this.reports.crisis(groupIds, message, partnershipId);
    if (facilitators > 0) return { alerts: reports.length, program: false };
    await this.program.raise(message, groupIds.length ? 'no-facilitator' : 'no-shared-group');
    return { alerts: reports.length, program: true };
  }

  private async check(message: Message, raise: () => Promise<{ alerts: number; program: boolean }>): Promise<void> {
    if (!this.matches(message.text)) return;
    this.broadcast.toUser(message.sender.id, 'safety:resources', this.resources);
    try {
      const { alerts, program } = await raise();
      this.log.info({ messageId: message.id, alerts, program }, 'crisis alert raised');
    } catch (err) {
      this.log.error({ messageId: message.id, err: err instanceof Error ? err.name : typeof err }, 'crisis alert could not be queued');
    }
  }
}
