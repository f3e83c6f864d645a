import type { Invite, Partnership } from '../../../shared/index.js';
import type { Partners } from '../ports.js';
import { pairKey, type InviteSettlement } from '../store.js';
import { getOrCreate } from './util.js';

/** Partnerships, invites and read marks in this process; hands out copies. */
export class MemoryPartners implements Partners {
  private readonly partnerships = new Map<string, Partnership>();
  private readonly userPartnerships = new Map<string, string[]>();
  private readonly activePairs = new Map<string, string>();
  private readonly invites = new Map<string, Invite>();
  private readonly pendingPairs = new Map<string, string>();
  private readonly reads = new Map<string, Record<string, number>>();

  async createPartnership(p: Partnership, limit: number): Promise<'created' | 'exists' | 'limit'> {
    const [a, b] = p.users.map((u) => u.id) as [string, string];
    if (this.activePairs.has(pairKey(a, b))) return 'exists';
    if ([a, b].some((u) => this.activeCount(u) >= limit)) return 'limit';
    this.partnerships.set(p.id, structuredClone(p));
    this.activePairs.set(pairKey(a, b), p.id);
    for (const u of [a, b]) getOrCreate(this.userPartnerships, u, () => []).push(p.id);
    return 'created';
  }

  async partnership(partnershipId: string): Promise<Partnership | null> {
    const p = this.partnerships.get(partnershipId);
    return p ? structuredClone(p) : null;
  }

  async partnershipsOf(userId: string): Promise<Partnership[]> {
    return (this.userPartnerships.get(userId) ?? []).map((id) => structuredClone(this.partnerships.get(id)!));
  }

  async activePartnershipBetween(a: string, b: string): Promise<Partnership | null> {
    const id = this.activePairs.get(pairKey(a, b));
    return id ? structuredClone(this.partnerships.get(id)!) : null;
  }

  async endPartnership(partnershipId: string, by: string, at: number): Promise<Partnership | null> {
    const p = this.partnerships.get(partnershipId);
    if (!p) return null;
    if (p.status === 'active') {
      Object.assign(p, { status: 'ended', endedAt: at, endedBy: by });
      this.activePairs.delete(pairKey(p.users[0].id, p.users[1].id));
    }
    return structuredClone(p);
  }

  async createInvite(invite: Invite): Promise<'created' | 'exists'> {
    const key = pairKey(invite.from.id, invite.to.id);
    if (this.pendingPairs.has(key)) return 'exists';
    this.invites.set(invite.id, structuredClone(invite));
    this.pendingPairs.set(key, invite.id);
    return 'created';
  }

  async invite(inviteId: string): Promise<Invite | null> {
    const i = this.invites.get(inviteId);
    return i ? structuredClone(i) : null;
  }

  async pendingInvitesOf(userId: string): Promise<Invite[]> {
    return [...this.pendingPairs.values()]
      .map((id) => this.invites.get(id)!)
      .filter((i) => i.from.id === userId || i.to.id === userId)
      .sort((x, y) => x.createdAt - y.createdAt)
      .map((i) => structuredClone(i));
  }

  async settleInvite(inviteId: string, status: InviteSettlement): Promise<Invite | null> {
    const i = this.invites.get(inviteId);
    if (!i || i.status !== 'pending') return null;
    i.status = status;
    delete i.note;
    this.pendingPairs.delete(pairKey(i.from.id, i.to.id));
    return structuredClone(i);
  }

  async markRead(partnershipId: string, userId: string, seq: number): Promise<number> {
    const marks = getOrCreate(this.reads, partnershipId, (): Record<string, number> => ({}));
    // As the Redis store: only a mark past the current one is written, so marking 0 records
    // nothing (users who never read stay absent from readMarks).
    if (seq > (marks[userId] ?? 0)) marks[userId] = seq;
    return marks[userId] ?? 0;
  }

  async readMarks(partnershipId: string): Promise<Record<string, number>> {
    return { ...(this.reads.get(partnershipId) ?? {}) };
  }

  private activeCount(userId: string): number {
    return (this.userPartnerships.get(userId) ?? []).filter((id) => this.partnerships.get(id)?.status === 'active').length;
  }
}
