import type { AuditAction, AuditEntry } from '../../shared/index.js';
import type { Stores } from '../store/ports.js';

export type AuditQuery = { limit: number; beforeSeq?: number; action?: AuditAction; person?: string };

/** How many entries one store read takes while looking for matches. */
const SLICE = 200;

/**
 * A page of a group's audit log, newest first, of the entries that match `action` and `person`
 * (who acted, or whom it concerned). Without either it is the store's page as it is; with them the
 * log is read back in slices until `limit` matches and one more are found, or it runs out, so
 * `hasMore` says exactly whether older matches exist. A group's log is small enough to scan.
 */
export async function filteredAudit(
  store: Pick<Stores, 'auditLog'>,
  groupId: string,
  { limit, beforeSeq, action, person }: AuditQuery,
): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
  if (!action && !person) return store.auditLog.audit(groupId, { limit, beforeSeq });
  const matches = (e: AuditEntry) => (!action || e.action === action) && (!person || e.actor.id === person || e.targetUserId === person);
  const found: AuditEntry[] = [];
  for (let cursor = beforeSeq; ;) {
    const page = await store.auditLog.audit(groupId, { limit: SLICE, beforeSeq: cursor });
    found.push(...page.entries.filter(matches));
    if (found.length > limit) return { entries: found.slice(0, limit), hasMore: true };
    const last = page.entries.at(-1);
    if (!page.hasMore || !last) return { entries: found, hasMore: false };
    cursor = last.seq;
  }
}
