import type { Checkin, CheckinSharing } from '../../../shared/index.js';
import type { CheckinLog } from '../ports.js';
import { getOrCreate } from './util.js';

type PersonLog = { entries: Checkin[]; byClientId: Map<string, Checkin> };

/** Each person's check-ins in this process; hands out copies. */
export class MemoryCheckins implements CheckinLog {
  private readonly logs = new Map<string, PersonLog>();
  private readonly sharing = new Map<string, CheckinSharing>();
  private readonly daily = new Set<string>();

  async appendCheckin(userId: string, checkin: Checkin): Promise<{ checkin: Checkin; duplicate: boolean }> {
    const log = getOrCreate(this.logs, userId, () => ({ entries: [], byClientId: new Map() }));
    const original = log.byClientId.get(checkin.clientMsgId);
    if (original) return { checkin: structuredClone(original), duplicate: true };
    const stored = structuredClone(checkin);
    log.entries.push(stored);
    log.entries.sort((a, b) => a.at - b.at);
    log.byClientId.set(stored.clientMsgId, stored);
    return { checkin: structuredClone(stored), duplicate: false };
  }

  async checkinsOf(userId: string, since: number): Promise<Checkin[]> {
    return (this.logs.get(userId)?.entries ?? []).filter((c) => c.at >= since).map((c) => structuredClone(c));
  }

  async sharingOf(userId: string): Promise<CheckinSharing> {
    return this.sharing.get(userId) ?? 'none';
  }

  async setSharing(userId: string, sharing: CheckinSharing): Promise<void> {
    this.sharing.set(userId, sharing);
  }

  async dailyOf(userId: string): Promise<boolean> {
    return this.daily.has(userId);
  }

  async setDaily(userId: string, on: boolean): Promise<void> {
    if (on) this.daily.add(userId);
    else this.daily.delete(userId);
  }

  async eraseCheckins(userId: string): Promise<number> {
    const n = this.logs.get(userId)?.entries.length ?? 0;
    this.logs.delete(userId);
    this.sharing.delete(userId);
    this.daily.delete(userId);
    return n;
  }

  async trimCheckinsBefore(cutoff: number): Promise<{ removed: number; failed: string[] }> {
    let removed = 0;
    for (const log of this.logs.values()) {
      const old = log.entries.filter((c) => c.at < cutoff);
      for (const c of old) log.byClientId.delete(c.clientMsgId);
      log.entries = log.entries.filter((c) => c.at >= cutoff);
      removed += old.length;
    }
    return { removed, failed: [] };
  }
}
