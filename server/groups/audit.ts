import type { AttendanceStatus, AuditAction, GroupRole } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Stores } from '../store/ports.js';
import type { GroupAccess } from './access.js';

export type Audited = {
  action: AuditAction;
  targetUserId?: string;
  messageId?: string;
  reportId?: string;
  reason?: string;
  sessionId?: string;
  value?: number;
  role?: GroupRole;
  status?: AttendanceStatus;
  partnershipId?: string;
};

/** Appends one moderation action or enrolment change to the group's audit log (append-only: nothing edits it). */
export async function recordAudit(store: Pick<Stores, 'auditLog'>, access: GroupAccess, actor: Identity, what: Audited): Promise<void> {
  const details = Object.fromEntries(Object.entries(what).filter(([, v]) => v !== undefined)) as Audited;
  await store.auditLog.appendAudit(access.groupId, {
    groupId: access.groupId,
    at: Date.now(),
    actor: { id: actor.id, name: actor.name, role: access.role === 'admin' ? 'admin' : 'facilitator' },
    ...details,
  });
}
