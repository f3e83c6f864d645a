import type { Acceptance, Agreement, Payload } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import type { Stores } from '../store/ports.js';
import { facilitatorAccess, groupAccess } from './access.js';
import { recordAudit } from './audit.js';

/**
 * A group's agreement (its ground rules): facilitators set it, each change a new version; members
 * read it and accept the current version. Admission (server/admission.ts) refuses a participant's
 * join until they have accepted the version it asks for; this service only keeps the records.
 */
export class AgreementService {
  constructor(private readonly store: Pick<Stores, 'agreements' | 'auditLog' | 'groups' | 'moderation'>) {}

  /** The current version, for any member (the text is the group's rules, not personal data). */
  async current(actor: Identity, groupId: string): Promise<Agreement | null> {
    await groupAccess(this.store, actor, groupId);
    return this.store.agreements.agreement(groupId);
  }

  /** A new version, audited as 'set_agreement' with the version (not the text: the agreement itself keeps that). */
  async set(actor: Identity, groupId: string, text: string): Promise<Agreement> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const agreement = await this.store.agreements.setAgreement(groupId, text, actor.id, Date.now());
    await recordAudit(this.store, access, actor, { action: 'set_agreement', value: agreement.version });
    return agreement;
  }

  async acceptances(actor: Identity, groupId: string): Promise<Acceptance[]> {
    await facilitatorAccess(this.store, actor, groupId);
    return this.store.agreements.acceptances(groupId);
  }

  /**
   * Accepts the current version (again: the first acceptance stands). Another version is refused
   * AGREEMENT_CHANGED with the current one, so the client can show it; none at all NOT_FOUND.
   */
  async agree(actor: Identity, { groupId, version }: Payload<'group:agree'>): Promise<{ version: number; at: number }> {
    await groupAccess(this.store, actor, groupId);
    const result = await this.store.agreements.acceptAgreement(groupId, actor.id, version, Date.now());
    if ('accepted' in result) return { version: result.accepted.version, at: result.accepted.at };
    if (!result.changed) throw new AppError('NOT_FOUND', 'this group has no agreement');
    const { version: current, text } = result.changed;
    throw new AppError('AGREEMENT_CHANGED', `the group's agreement is now version ${current}`, { agreement: { version: current, text } });
  }
}
