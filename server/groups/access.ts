import type { Enrolment, GlobalRole, Group } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { bannedError, unenrolledError } from '../admission.js';
import { AppError } from '../errors.js';
import type { Stores } from '../store/ports.js';

/** What the caller is in one group: their enrolment (if any) and the role that decides what they may do. */
export type GroupAccess = { groupId: string; enrolment: Enrolment | null; role: GlobalRole };

/**
 * The caller's standing in a group. Roles come only from enrolment (and the token's `admin`),
 * never from a payload. Banned callers are BANNED; unknown groups are NOT_FOUND; known groups the
 * caller is not enrolled in are FORBIDDEN (admins may act everywhere).
 */
export async function groupAccess(store: Pick<Stores, 'groups' | 'moderation'>, actor: Identity, groupId: string): Promise<GroupAccess> {
  const [enrolment, banned] = await Promise.all([store.groups.enrolment(groupId, actor.id), store.moderation.isBanned(groupId, actor.id)]);
  if (banned && actor.role !== 'admin') throw bannedError();
  if (enrolment) return { groupId, enrolment, role: actor.role === 'admin' ? 'admin' : enrolment.role };
  const exists = (await store.groups.getGroup(groupId)) !== null;
  if (actor.role !== 'admin' || !exists) throw unenrolledError(exists);
  return { groupId, enrolment: null, role: 'admin' };
}

/** Facilitators of the group and admins; everyone else FORBIDDEN. */
export async function facilitatorAccess(
  store: Pick<Stores, 'groups' | 'moderation'>,
  actor: Identity,
  groupId: string,
): Promise<GroupAccess> {
  const access = await groupAccess(store, actor, groupId);
  if (access.role === 'participant') throw new AppError('FORBIDDEN', 'only a facilitator of this group may do that');
  return access;
}

/**
 * Changing or removing a facilitator's enrolment is for admins: co-facilitators are peers, and a
 * demotion would open one to the other's moderation (a ban). The same holds for the caller's own
 * enrolment, so that stepping down is an admin's act and a group does not lose its facilitator
 * unseen. Moderation of a facilitator (mute, remove, ban) follows the same rule.
 */
export function refuseFacilitatorTarget(access: GroupAccess, target: Enrolment | null): void {
  if (target?.role === 'facilitator' && access.role !== 'admin')
    throw new AppError('FORBIDDEN', 'only an admin may do that to a facilitator');
}

/**
 * The first seq the caller may read: participants of a group whose earlier messages are private
 * (the default) see only what came after their enrolment; facilitators and admins see all.
 */
export function visibleFrom(access: GroupAccess, group: Group | null): number {
  if (access.role !== 'participant' || group?.earlierMessages === 'shared') return 1;
  return access.enrolment?.fromSeq ?? 1;
}
