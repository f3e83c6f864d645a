import type { QueuedReport, StaffAlert } from '../../shared/index.js';

type Lifecycle = Pick<QueuedReport, 'status' | 'acknowledgedBy' | 'acknowledgedAt' | 'resolvedBy' | 'resolvedAt' | 'resolutionNote'>;

/**
 * The lifecycle part of an alert as staff see it: stored records stay `open` until resolved and
 * carry `acknowledgedBy` once someone took them on, which staff see as `acknowledged`.
 */
export function lifecycleView(r: Lifecycle): Pick<StaffAlert, keyof Lifecycle> {
  const status = r.status === 'open' && r.acknowledgedBy !== undefined ? 'acknowledged' : r.status;
  const { acknowledgedBy, acknowledgedAt, resolvedBy, resolvedAt, resolutionNote } = r;
  return dropUndefined({ status, acknowledgedBy, acknowledgedAt, resolvedBy, resolvedAt, resolutionNote });
}

/** A group's queued report or crisis alert in the staff inbox: ids and lifecycle, never the reporter's note. */
export function groupAlert(r: QueuedReport): StaffAlert {
  const crisis = r.kind === 'crisis' || r.reason === 'crisis';
  return dropUndefined({
    id: r.id,
    scope: 'group' as const,
    groupId: r.groupId,
    kind: r.kind,
    severity: crisis ? ('crisis' as const) : ('report' as const),
    conversation: r.conversation,
    messageId: r.messageId,
    userId: r.userId,
    checkinId: r.checkinId,
    rule: r.rule,
    reason: r.reason,
    createdAt: r.createdAt,
    ...lifecycleView(r),
  });
}

/** Crisis first, then oldest first. */
export function inboxOrder(a: StaffAlert, b: StaffAlert): number {
  return Number(b.severity === 'crisis') - Number(a.severity === 'crisis') || a.createdAt - b.createdAt;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
