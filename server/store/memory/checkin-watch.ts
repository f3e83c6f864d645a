import type { CheckinRulesSet } from '../../../shared/index.js';
import type { CheckinWatch, WatchedSilence } from '../ports.js';

const refOf = (groupId: string, userId: string) => `${groupId}:${userId}`;

/** Groups' check-in rules and silences' due times in this process: claims are synchronous, so each goes to one caller. */
export class MemoryCheckinWatch implements CheckinWatch {
  private readonly rules = new Map<string, CheckinRulesSet>();
  private readonly due = new Map<string, { silence: WatchedSilence; at: number }>();

  async checkinRules(groupId: string): Promise<CheckinRulesSet> {
    return structuredClone(this.rules.get(groupId) ?? {});
  }

  async setCheckinRules(groupId: string, rules: CheckinRulesSet): Promise<void> {
    this.rules.set(groupId, structuredClone(rules));
  }

  async watchSilence(silence: WatchedSilence, dueAt: number): Promise<void> {
    this.due.set(refOf(silence.groupId, silence.userId), { silence: { ...silence }, at: dueAt });
  }

  async claimDueSilences(now: number, retryMs: number, limit: number): Promise<WatchedSilence[]> {
    const due = [...this.due.entries()]
      .filter(([, d]) => d.at <= now)
      .sort(([ra, a], [rb, b]) => a.at - b.at || (ra < rb ? -1 : 1))
      .slice(0, limit);
    return due.map(([, d]) => {
      d.at = now + retryMs;
      return { ...d.silence };
    });
  }

  async endSilence(silence: WatchedSilence): Promise<void> {
    const ref = refOf(silence.groupId, silence.userId);
    if (this.due.get(ref)?.silence.since === silence.since) this.due.delete(ref);
  }

  async unwatchSilence(groupId: string, userId: string): Promise<void> {
    this.due.delete(refOf(groupId, userId));
  }
}
