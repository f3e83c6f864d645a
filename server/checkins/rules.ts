import type { CheckinRules, CheckinRulesSet } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { CheckinAlertRules } from '../config.js';
import { facilitatorAccess } from '../groups/access.js';
import { recordAudit } from '../groups/audit.js';
import type { Stores } from '../store/ports.js';

export type CheckinRulesView = { rules: CheckinRules; defaults: CheckinRules };

/**
 * Each group's check-in alert rules (§6.1): what its facilitators set, over the configured
 * defaults. Only the group's staff read or set them; each change is audited, ids only.
 */
export class CheckinRuleBook {
  constructor(
    private readonly store: Pick<Stores, 'checkinWatch' | 'groups' | 'moderation' | 'auditLog'>,
    private readonly defaults: CheckinAlertRules,
  ) {}

  /** The rules in force in the group. */
  async rulesOf(groupId: string): Promise<CheckinRules> {
    return { ...this.defaults, ...(await this.store.checkinWatch.checkinRules(groupId)) };
  }

  async get(actor: Identity, groupId: string): Promise<CheckinRulesView> {
    await facilitatorAccess(this.store, actor, groupId);
    return { rules: await this.rulesOf(groupId), defaults: this.defaults };
  }

  /** Replaces what the group set: an absent field goes back to the default. Audited when it changed anything. */
  async set(actor: Identity, groupId: string, rules: CheckinRulesSet): Promise<CheckinRulesView> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const set = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)) as CheckinRulesSet;
    const before = await this.store.checkinWatch.checkinRules(groupId);
    if (!sameRules(before, set)) {
      await this.store.checkinWatch.setCheckinRules(groupId, set);
      await recordAudit(this.store, access, actor, { action: 'checkin_rules' });
    }
    return { rules: { ...this.defaults, ...set }, defaults: this.defaults };
  }
}

function sameRules(a: CheckinRulesSet, b: CheckinRulesSet): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof CheckinRulesSet)[]);
  return [...keys].every((k) => a[k] === b[k]);
}
