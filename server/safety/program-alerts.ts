import type { Message, ProgramAlert, ProgramAlertView, StaffAlert } from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { newId } from '../conversation/ids.js';
import { AppError } from '../errors.js';
import { lifecycleView } from '../moderation/alert-view.js';
import type { Stores } from '../store/ports.js';

/**
 * The program's queue of crisis alerts that no facilitator could receive (§7): pushed live to
 * every admin online as `mod:alert` with `scope: 'program'`, and kept until an admin resolves
 * it over HTTP, so none is lost while no admin is online (as a group's queue waits for its
 * facilitators). Like a group's crisis report it holds ids, never what was written.
 */
export class ProgramAlertService {
  constructor(
    private readonly store: Pick<Stores, 'alertQueue' | 'groups' | 'log' | 'partners'>,
    private readonly broadcast: Broadcaster,
    private readonly access: AccessRecorder,
    /** Told of each new alert (escalation, §7.1). */
    private readonly onFiled: (alert: StaffAlert) => Promise<void> = async () => {},
  ) {}

  /** Queues the alert once per message and tells the admins who are online. */
  async raise(message: Message, reason: ProgramAlert['reason']): Promise<ProgramAlert> {
    const draft: ProgramAlert = {
      id: newId(),
      kind: 'crisis',
      conversation: message.conversation,
      messageId: message.id,
      userId: message.sender.id,
      reason,
      createdAt: Date.now(),
      status: 'open',
    };
    const { alert, duplicate } = await this.store.alertQueue.fileProgramAlert(draft, `crisis:${message.id}`);
    if (!duplicate) {
      const live = { scope: 'program', kind: alert.kind, reportId: alert.id, messageId: alert.messageId, userId: alert.userId } as const;
      this.broadcast.toAdmins(
        'mod:alert',
        alert.conversation.kind === 'partner' ? { ...live, partnershipId: alert.conversation.id } : live,
      );
      this.broadcast.toAdmins('alert:changed', programAlertView(alert));
      await this.onFiled(programAlertView(alert));
    }
    return alert;
  }

  async list(actor: Identity, status: 'open' | 'all'): Promise<ProgramAlertView[]> {
    adminOnly(actor);
    const alerts = await this.store.alertQueue.programAlerts(status);
    const names = await Promise.all(alerts.map((a) => this.nameOf(a)));
    await this.access.record(actor, { what: 'alerts', about: alerts.map((a) => a.userId) });
    return alerts.map((a, i) => ({ ...a, userName: names[i] ?? null }));
  }

  /**
   * A program alert belongs to no group, so no audit log records its steps: who acknowledged and
   * resolved it, when, and the note stay on the alert itself (`?status=all` lists them).
   */
  async resolve(actor: Identity, alertId: string, note?: string): Promise<ProgramAlert> {
    adminOnly(actor);
    const at = Date.now();
    const alert = await this.store.alertQueue.resolveProgramAlert(alertId, actor.id, at, note);
    if (!alert) throw new AppError('NOT_FOUND', 'no such alert');
    if (alert.resolvedBy === actor.id && alert.resolvedAt === at) this.broadcast.toAdmins('alert:changed', programAlertView(alert));
    return alert;
  }

  async acknowledge(actor: Identity, alertId: string): Promise<StaffAlert> {
    adminOnly(actor);
    const at = Date.now();
    const alert = await this.store.alertQueue.acknowledgeProgramAlert(alertId, actor.id, at);
    if (!alert) throw new AppError('NOT_FOUND', 'no such alert');
    const view = programAlertView(alert);
    if (alert.acknowledgedBy === actor.id && alert.acknowledgedAt === at) this.broadcast.toAdmins('alert:changed', view);
    return view;
  }

  /** The open program alerts for the staff inbox (admins only; anyone else has none). */
  async open(actor: Identity): Promise<StaffAlert[]> {
    if (actor.role !== 'admin') return [];
    return (await this.store.alertQueue.programAlerts('open')).map(programAlertView);
  }

  /**
   * An admin needs to know whom to reach: the name the message was sent under, or once retention
   * took the message, the name the group or partnership knows them by.
   */
  private async nameOf(a: ProgramAlert): Promise<string | null> {
    const sent = await this.store.log.findMessage(a.conversation, a.messageId);
    if (sent) return sent.sender.name;
    if (a.conversation.kind === 'group') return (await this.store.groups.enrolment(a.conversation.id, a.userId))?.name ?? null;
    return (await this.store.partners.partnership(a.conversation.id))?.users.find((u) => u.id === a.userId)?.name ?? null;
  }
}

function adminOnly(actor: Identity): void {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN', "only the program's admins see its alerts");
}

/** A program alert in the staff inbox: ids and lifecycle, no group. */
export function programAlertView(a: ProgramAlert): StaffAlert {
  const { id, kind, conversation, messageId, userId, reason, createdAt } = a;
  return { id, scope: 'program', kind, severity: 'crisis', conversation, messageId, userId, reason, createdAt, ...lifecycleView(a) };
}
