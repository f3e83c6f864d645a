import type { CrisisResource, Message } from '../../shared/index.js';
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
    if (message.conversation.kind !== 'group' || !this.matches(message.text)) return;
    this.broadcast.toUser(message.sender.id, 'safety:resources', { resources: this.resources });
    try {
      const alert = await this.reports.crisis(message.conversation.id, message);
      this.log.info({ groupId: alert.groupId, reportId: alert.id, messageId: message.id }, 'crisis alert raised');
    } catch (err) {
      this.log.error({ messageId: message.id, err: err instanceof Error ? err.name : typeof err }, 'crisis alert could not be queued');
    }
  }
}
