import type {
  AuditAction,
  CheckinRule,
  Conversation,
  Message,
  Partnership,
  Payload,
  QueuedReport,
  ReportWithMessage,
  StaffAlert,
} from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { newId } from '../conversation/ids.js';
import { AppError } from '../errors.js';
import { facilitatorAccess, groupAccess } from '../groups/access.js';
import { recordAudit } from '../groups/audit.js';
import type { FloodControl } from '../limits/flood.js';
import { groupAlert } from './alert-view.js';
import type { Stores } from '../store/ports.js';

/**
 * The group's queue of reports and crisis alerts: filed by members (`report`) or by the safety
 * check, pushed live to the group's facilitators as `mod:alert`, and kept until a facilitator
 * resolves them over HTTP, so none is lost when no facilitator is online.
 */
export class ReportService {
  constructor(
    private readonly store: Pick<Stores, 'auditLog' | 'groups' | 'log' | 'moderation' | 'partners' | 'reportQueue'>,
    private readonly broadcast: Broadcaster,
    private readonly flood: FloodControl,
    private readonly access: AccessRecorder,
    /** Told of each new alert and the group's facilitators (escalation, §7.1); never fails a filing. */
    private readonly onFiled: (alert: StaffAlert, facilitators: string[]) => Promise<void> = async () => {},
  ) {}

  /**
   * A member reports a message they can see; reporting it again returns the same report. A
   * partner's message goes to the queues of the groups the two partners share.
   */
  async report(actor: Identity, { conversation, messageId, reason, note }: Payload<'report'>): Promise<string> {
    const groupIds = await this.queuesFor(actor, conversation);
    const [message] = await Promise.all([this.store.log.findMessage(conversation, messageId), this.flood.take('report', actor.id)]);
    if (!message) throw new AppError('NOT_FOUND', 'no such message');
    if (!groupIds.length) throw new AppError('FORBIDDEN', 'you and your partner share no group whose facilitators could receive this');
    const filed = await Promise.all(
      groupIds.map((groupId) => {
        const draft: QueuedReport = {
          id: newId(),
          groupId,
          kind: 'report',
          conversation,
          messageId,
          userId: message.sender.id,
          reporterId: actor.id,
          reason,
          createdAt: Date.now(),
          status: 'open',
        };
        if (note) draft.note = note;
        return this.file(draft, `report:${actor.id}:${messageId}`, conversation.kind === 'partner' ? conversation.id : undefined);
      }),
    );
    return filed[0]!.report.id;
  }

  /**
   * The safety check found crisis wording: queue it once per group and alert its facilitators.
   * `facilitators` is how many the groups have (0: nobody was told, or will be from these queues).
   */
  async crisis(groupIds: string[], message: Message, partnershipId?: string): Promise<{ reports: QueuedReport[]; facilitators: number }> {
    const filed = await Promise.all(
      groupIds.map((groupId) =>
        this.file(
          {
            id: newId(),
            groupId,
            kind: 'crisis',
            conversation: message.conversation,
            messageId: message.id,
            userId: message.sender.id,
            createdAt: Date.now(),
            status: 'open',
          },
          `crisis:${message.id}`,
          partnershipId,
        ),
      ),
    );
    return { reports: filed.map((f) => f.report), facilitators: filed.reduce((n, f) => n + f.facilitators.length, 0) };
  }

  /**
   * A check-in shared with staff tripped a rule (§6.1): one alert per group and check-in and rule,
   * or for 'silence' per group and silence (named by when it started: no check-in to name),
   * announced to the group's staff inbox only (no mod:alert: there is no message to show).
   */
  async checkinAlert(
    groupIds: string[],
    alert: { userId: string } & ({ rule: Exclude<CheckinRule, 'silence'>; checkinId: string } | { rule: 'silence'; since: number }),
  ): Promise<QueuedReport[]> {
    const { userId, rule } = alert;
    const [named, dedupeKey] =
      alert.rule === 'silence'
        ? [{}, `silence:${userId}:${alert.since}`]
        : [{ checkinId: alert.checkinId }, `checkin:${alert.checkinId}:${rule}`];
    const filed = await Promise.all(
      groupIds.map((groupId) =>
        this.file({ id: newId(), groupId, kind: 'checkin', userId, ...named, rule, createdAt: Date.now(), status: 'open' }, dedupeKey),
      ),
    );
    return filed.map((f) => f.report);
  }

  /** The groups both partners are enrolled in. */
  async sharedGroups(p: Partnership): Promise<string[]> {
    const [a, b] = await Promise.all([this.store.groups.groupIdsOf(p.users[0].id), this.store.groups.groupIdsOf(p.users[1].id)]);
    return a.filter((g) => b.includes(g));
  }

  /** Where a report about this conversation goes, if the actor may see it (else NOT_FOUND/FORBIDDEN). */
  private async queuesFor(actor: Identity, conversation: Conversation): Promise<string[]> {
    if (conversation.kind === 'group') {
      await groupAccess(this.store, actor, conversation.id);
      return [conversation.id];
    }
    const p = await this.store.partners.partnership(conversation.id);
    if (!p || (p.users[0].id !== actor.id && p.users[1].id !== actor.id)) throw new AppError('NOT_FOUND', 'no such message');
    return this.sharedGroups(p);
  }

  async list(actor: Identity, groupId: string, status: 'open' | 'all'): Promise<ReportWithMessage[]> {
    await facilitatorAccess(this.store, actor, groupId);
    const reports = await this.store.reportQueue.reports(groupId, status);
    // Partners' messages stay between the two: staff see who needs them, not what was written.
    const messages = await Promise.all(
      reports.map((r) =>
        r.conversation?.kind === 'group' && r.messageId ? this.store.log.findMessage(r.conversation, r.messageId) : Promise.resolve(null),
      ),
    );
    await this.access.record(actor, { what: 'reports', about: peopleIn(reports), groupId });
    return reports.map((r, i) => ({ ...r, message: messages[i] ?? null }));
  }

  /**
   * Resolves a report or alert (`resolve_report` from the group's queue over HTTP, `resolve_alert`
   * from the staff inbox, with the resolver's note). Resolving twice keeps the first resolution;
   * only the one that resolved it is audited and announced.
   */
  async resolve(
    actor: Identity,
    groupId: string,
    reportId: string,
    { note, action = 'resolve_report' }: { note?: string; action?: Extract<AuditAction, 'resolve_report' | 'resolve_alert'> } = {},
  ): Promise<QueuedReport> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const at = Date.now();
    const report = await this.store.reportQueue.resolveReport(groupId, reportId, actor.id, at, note);
    if (!report) throw new AppError('NOT_FOUND', 'no such report');
    if (report.resolvedBy === actor.id && report.resolvedAt === at) {
      await recordAudit(this.store, access, actor, { action, reportId, messageId: report.messageId, reason: note });
      await this.announce(report);
    }
    return report;
  }

  /** A facilitator takes the alert on: the first acknowledgement stays, and only it is audited and announced. */
  async acknowledge(actor: Identity, groupId: string, reportId: string): Promise<StaffAlert> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const at = Date.now();
    const report = await this.store.reportQueue.acknowledgeReport(groupId, reportId, actor.id, at);
    if (!report) throw new AppError('NOT_FOUND', 'no such alert');
    if (report.acknowledgedBy === actor.id && report.acknowledgedAt === at) {
      await recordAudit(this.store, access, actor, { action: 'acknowledge_alert', reportId, messageId: report.messageId });
      await this.announce(report);
    }
    return groupAlert(report);
  }

  /** `alert:changed` to the group's facilitators and the admins, on every node, wherever they are in the app. */
  private async announce(report: QueuedReport, facilitators?: string[]): Promise<void> {
    const staff = facilitators ?? facilitatorsOf(await this.store.groups.members(report.groupId));
    this.broadcast.toStaff(staff, 'alert:changed', groupAlert(report));
  }

  private async file(
    draft: QueuedReport,
    dedupeKey: string,
    partnershipId?: string,
  ): Promise<{ report: QueuedReport; facilitators: string[] }> {
    const [{ report, duplicate }, members] = await Promise.all([
      this.store.reportQueue.fileReport(draft, dedupeKey),
      this.store.groups.members(draft.groupId),
    ]);
    const facilitators = facilitatorsOf(members);
    if (duplicate) return { report, facilitators };
    const { kind, messageId } = report;
    // A check-in alert concerns no message: the staff inbox (alert:changed) is where it goes.
    if (kind !== 'checkin' && messageId) {
      const alert = { groupId: report.groupId, kind, reportId: report.id, messageId, userId: report.userId };
      this.broadcast.toUsers(facilitators, 'mod:alert', partnershipId ? { ...alert, partnershipId } : alert);
    }
    await this.announce(report, facilitators);
    await this.onFiled(groupAlert(report), facilitators);
    return { report, facilitators };
  }
}

function facilitatorsOf(members: { userId: string; role: string }[]): string[] {
  return members.filter((m) => m.role === 'facilitator').map((m) => m.userId);
}

/** Whom a list of reports and alerts is about: the people they concern and who reported them. */
export function peopleIn(reports: { userId: string; reporterId?: string }[]): string[] {
  return reports.flatMap((r) => (r.reporterId ? [r.userId, r.reporterId] : [r.userId]));
}
