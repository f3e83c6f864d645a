import type { CrisisResource, Message, Partnership } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import type { Logger } from '../logger.js';
import type { ReportService } from '../moderation/reports.js';

/**
 * The crisis safety net (§7): a message whose text matches a crisis phrase is never blocked or
 * held back (it has gone out before this runs); its sender privately gets the resources, and the
 * group's facilitators get a `crisis` alert that also waits in the report queue.
 */
export class SafetyService {
  constructor(
    private readonly matches: (text: string) => boolean,
    private readonly resources: CrisisResource[],
    private readonly reports: ReportService,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
  ) {}

  /** Runs after a group message went out; never throws (a failure here must not fail the send). */
  async afterGroupMessage(message: Message): Promise<void> {
    if (message.conversation.kind !== 'group') return;
    const groupId = message.conversation.id;
    await this.check(message, () => this.reports.crisis([groupId], message));
  }

  /** A partner's message or check-in note: the facilitators of every group the two share are alerted. */
  async afterPartnerMessage(message: Message, partnership: Partnership): Promise<void> {
    await this.check(message, async () => this.reports.crisis(await this.reports.sharedGroups(partnership), message, partnership.id));
  }

  private async check(message: Message, raise: () => Promise<unknown[]>): Promise<void> {
    if (!this.matches(message.text)) return;
    this.broadcast.toUser(message.sender.id, 'safety:resources', { resources: this.resources });
    try {
      const alerts = await raise();
      this.log.info({ messageId: message.id, alerts: alerts.length }, 'crisis alert raised');
    } catch (err) {
      this.log.error({ messageId: message.id, err: err instanceof Error ? err.name : typeof err }, 'crisis alert could not be queued');
    }
  }
}
