import type { Partnership } from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { facilitatorAccess } from '../groups/access.js';
import { recordAudit } from '../groups/audit.js';
import type { Stores } from '../store/ports.js';

/** Ends a partnership for `by` as when a partner ends it (PartnerService.finish): both partners are told. */
export type EndPartnership = (p: Partnership, by: string) => Promise<Partnership>;

/**
 * The pairings of a group's members as its facilitators and admins see them (§8.4): who is paired
 * with whom and since when, never what the two wrote. A pairing belongs to a group when both
 * partners are enrolled in it.
 */
export class StaffPairings {
  constructor(
    private readonly store: Pick<Stores, 'groups' | 'moderation' | 'partners' | 'auditLog'>,
    private readonly endPartnership: EndPartnership,
    private readonly access: AccessRecorder,
  ) {}

  /** Oldest first; `active` leaves out the ended ones. Access-logged about every partner listed. */
  async list(actor: Identity, groupId: string, status: 'active' | 'all'): Promise<Partnership[]> {
    await facilitatorAccess(this.store, actor, groupId);
    const members = new Set((await this.store.groups.members(groupId)).map((m) => m.userId));
    const seen = new Map<string, Partnership>();
    for (const list of await Promise.all([...members].map((u) => this.store.partners.partnershipsOf(u))))
      for (const p of list) if (p.users.every((u) => members.has(u.id))) seen.set(p.id, p);
    const found = [...seen.values()].filter((p) => status === 'all' || p.status === 'active').sort((a, b) => a.createdAt - b.createdAt);
    await this.access.record(actor, { what: 'partnerships', about: found.flatMap((p) => p.users.map((u) => u.id)), groupId });
    return found;
  }

  /** Ends a pairing of two members of the group; both partners hear it as when one of them ends it. */
  async end(actor: Identity, groupId: string, partnershipId: string): Promise<Partnership> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const p = await this.store.partners.partnership(partnershipId);
    const enrolled = p && (await Promise.all(p.users.map((u) => this.store.groups.enrolment(groupId, u.id))));
    if (!p || !enrolled?.every(Boolean)) throw new AppError('NOT_FOUND', 'no such partnership in this group');
    const ended = await this.endPartnership(p, actor.id);
    // Only the end this call made is audited: ending an ended pairing changes nothing.
    if (p.status === 'active' && ended.endedBy === actor.id)
      await recordAudit(this.store, access, actor, { action: 'end_partnership', partnershipId: p.id });
    return ended;
  }
}
