import type { AuditAction, GroupRole } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Store } from '../store/store.js';
import type { GroupAccess } from './access.js';

export type Audited = { action: AuditAction; targetUserId?: string; messageId?: string; reportId?: string; reason?: string; value?: number; role?: GroupRole };

/** Appends one moderation action or enrolment change to the group's audit log (append-only: nothing edits it). */
export async function recordAudit(store: Store, access: GroupAccess, actor: Identity, what: Audited): Promise<void> {
  const details = Object.fromEntries(Object.entries(what).filter(([, v]) => v !== undefined)) as Audited;
  await store.appendAudit(access.groupId, {
    groupId: access.groupId,
    at: Date.now(),
    actor: { id: actor.id, name: actor.name, role: access.role === 'admin' ? 'admin' : 'facilitator' },
    ...details,
  });
}
