import type { Message, Payload, QueuedReport } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { AppError } from '../errors.js';
import { facilitatorAccess, groupAccess } from '../groups/access.js';
import { newId } from '../groups/service.js';
import type { Store } from '../store/store.js';
import { recordAudit } from './audit.js';
import type { FloodControl } from './flood.js';

export type ReportWithMessage = QueuedReport & { message: Message | null };

/**
 * The group's queue of reports and crisis alerts: filed by members (`report`) or by the safety
 * check, pushed live to the group's facilitators as `mod:alert`, and kept until a facilitator
 * resolves them over HTTP, so none is lost when no facilitator is online.
 */
export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly broadcast: Broadcaster,
    private readonly flood: FloodControl,
  ) {}

  /** A member reports a message they can see; reporting it again returns the same report. */
  async report(actor: Identity, { conversation, messageId, reason, note }: Payload<'report'>): Promise<string> {
    // Partnership messages are reported once partnerships exist; until then none can be seen.
    if (conversation.kind !== 'group') throw new AppError('NOT_FOUND', 'no such message');
    await groupAccess(this.store, actor, conversation.id);
    const [message] = await Promise.all([this.store.findMessage(conversation, messageId), this.flood.take('report', actor.id)]);
    if (!message) throw new AppError('NOT_FOUND', 'no such message');
    const draft: QueuedReport = {
      id: newId(), groupId: conversation.id, kind: 'report', conversation, messageId, userId: message.sender.id,
      reporterId: actor.id, reason, createdAt: Date.now(), status: 'open',
    };
    if (note) draft.note = note;
    return (await this.file(draft, `report:${actor.id}:${messageId}`)).id;
  }

  /** The safety check found crisis wording in a group message: queue it once and alert. */
  async crisis(groupId: string, message: Message): Promise<QueuedReport> {
    return this.file({
      id: newId(), groupId, kind: 'crisis', conversation: message.conversation, messageId: message.id,
      userId: message.sender.id, createdAt: Date.now(), status: 'open',
    }, `crisis:${message.id}`);
  }

  async list(actor: Identity, groupId: string, status: 'open' | 'all'): Promise<ReportWithMessage[]> {
    await facilitatorAccess(this.store, actor, groupId);
    const reports = await this.store.reports(groupId, status);
    const messages = await Promise.all(reports.map((r) => this.store.findMessage(r.conversation, r.messageId)));
    return reports.map((r, i) => ({ ...r, message: messages[i] ?? null }));
  }

  async resolve(actor: Identity, groupId: string, reportId: string): Promise<QueuedReport> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const report = await this.store.resolveReport(groupId, reportId, actor.id, Date.now());
    if (!report) throw new AppError('NOT_FOUND', 'no such report');
    await recordAudit(this.store, access, actor, { action: 'resolve_report', reportId, messageId: report.messageId });
    return report;
  }

  private async file(draft: QueuedReport, dedupeKey: string): Promise<QueuedReport> {
    const { report, duplicate } = await this.store.fileReport(draft, dedupeKey);
    if (!duplicate) {
      const facilitators = (await this.store.members(report.groupId)).filter((m) => m.role === 'facilitator').map((m) => m.userId);
      this.broadcast.toUsers(facilitators, 'mod:alert', {
        groupId: report.groupId, kind: report.kind, reportId: report.id, messageId: report.messageId, userId: report.userId,
      });
    }
    return report;
  }
}
