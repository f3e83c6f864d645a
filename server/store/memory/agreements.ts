import type { Acceptance, Agreement, AgreementTerms } from '../../../shared/index.js';
import type { GroupAgreements } from '../ports.js';
import { byAcceptance } from '../store.js';
import { getOrCreate } from './util.js';

/**
 * Each group's agreement and acceptances in this process. MemoryAdmission reads them in the same
 * synchronous step as its decision (pendingFor, recordJoin), as the Redis scripts do.
 */
export class MemoryAgreements implements GroupAgreements {
  private readonly current = new Map<string, Agreement>();
  /** group id → user id → their latest acceptance */
  private readonly accepted = new Map<string, Map<string, Acceptance>>();
  /** group id → user id → the version current at their last join */
  private readonly joinedUnder = new Map<string, Map<string, number>>();

  async setAgreement(groupId: string, text: string, by: string, at: number): Promise<Agreement> {
    const agreement = { version: (this.current.get(groupId)?.version ?? 0) + 1, text, at, by };
    this.current.set(groupId, agreement);
    return { ...agreement };
  }

  async agreement(groupId: string): Promise<Agreement | null> {
    const agreement = this.current.get(groupId);
    return agreement ? { ...agreement } : null;
  }

  async acceptAgreement(
    groupId: string,
    userId: string,
    version: number,
    at: number,
  ): Promise<{ accepted: Acceptance } | { changed: Agreement | null }> {
    const current = this.current.get(groupId);
    if (current?.version !== version) return { changed: current ? { ...current } : null };
    const mine = getOrCreate(this.accepted, groupId, () => new Map<string, Acceptance>());
    const before = mine.get(userId);
    if (before?.version !== version) mine.set(userId, { userId, version, at });
    return { accepted: { ...mine.get(userId)! } };
  }

  async acceptances(groupId: string): Promise<Acceptance[]> {
    return [...(this.accepted.get(groupId)?.values() ?? [])].map((a) => ({ ...a })).sort(byAcceptance);
  }

  async forgetAcceptance(groupId: string, userId: string): Promise<void> {
    this.accepted.get(groupId)?.delete(userId);
    this.joinedUnder.get(groupId)?.delete(userId);
  }

  /**
   * The version the user has yet to accept before a join (the current one) or a send (the one
   * current at their last join, else the current one), with the current text; null when none.
   */
  pendingFor(groupId: string, userId: string, action: 'join' | 'send'): AgreementTerms | null {
    const current = this.current.get(groupId);
    if (!current) return null;
    const asked = action === 'send' ? (this.joinedUnder.get(groupId)?.get(userId) ?? current.version) : current.version;
    const accepted = this.accepted.get(groupId)?.get(userId)?.version ?? 0;
    return accepted < asked ? { version: current.version, text: current.text } : null;
  }

  /** A participant's join: from now on their sends ask for the current version. */
  recordJoin(groupId: string, userId: string): void {
    getOrCreate(this.joinedUnder, groupId, () => new Map<string, number>()).set(userId, this.current.get(groupId)?.version ?? 0);
  }
}
