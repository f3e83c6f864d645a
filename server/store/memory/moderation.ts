import type { WaitingFacts } from '../../admission.js';
import type { RoomModeration } from '../ports.js';
import type { Mute, MuteEntry, WaitingEntry } from '../store.js';
import type { RoomData } from './room-data.js';
import { getOrCreate, memberKey, userOf } from './util.js';

/** Mutes, bans, attendance and the waiting list in this process. */
export class MemoryModeration implements RoomModeration {
  constructor(private readonly data: RoomData) {}

  async setMute(groupId: string, userId: string, mute: Mute): Promise<void> {
    this.data.mutes.set(memberKey(groupId, userId), { ...mute });
  }

  async clearMute(groupId: string, userId: string): Promise<boolean> {
    return this.data.mutes.delete(memberKey(groupId, userId));
  }

  async muteOf(groupId: string, userId: string, now: number): Promise<Mute | null> {
    return this.data.muteInForce(groupId, userId, now);
  }

  async setBan(groupId: string, userId: string, banned: boolean): Promise<boolean> {
    const key = memberKey(groupId, userId);
    if (banned === this.data.bans.has(key)) return false;
    if (banned) this.data.bans.add(key);
    else this.data.bans.delete(key);
    return true;
  }

  async isBanned(groupId: string, userId: string): Promise<boolean> {
    return this.data.bans.has(memberKey(groupId, userId));
  }

  async mutes(groupId: string, now: number): Promise<MuteEntry[]> {
    return [...this.data.mutes.keys()].flatMap((key) => {
      const userId = userOf(groupId, key);
      const mute = userId === undefined ? null : this.data.muteInForce(groupId, userId, now);
      return userId !== undefined && mute ? [{ userId, ...mute }] : [];
    });
  }

  async bans(groupId: string): Promise<string[]> {
    return [...this.data.bans].flatMap((key) => userOf(groupId, key) ?? []);
  }

  async waitingFacts(groupId: string, userId: string): Promise<WaitingFacts> {
    return this.data.waitingFacts(groupId, userId);
  }

  async waitingList(groupId: string): Promise<WaitingEntry[]> {
    const waiting = [...(this.data.waiting.get(groupId) ?? [])].map(([userId, since]) => ({ userId, since }));
    return waiting.sort((a, b) => a.since - b.since);
  }

  async admitWaiting(groupId: string, userIds: string[] | 'all'): Promise<WaitingEntry[]> {
    const candidates = userIds === 'all' ? [...(this.data.waiting.get(groupId)?.keys() ?? [])] : [...new Set(userIds)];
    const admitted = candidates.flatMap((userId) => {
      const since = this.takeWaiting(groupId, userId);
      return since === null ? [] : [{ userId, since }];
    });
    const attending = getOrCreate(this.data.attending, groupId, () => new Set());
    for (const { userId } of admitted) attending.add(userId);
    return admitted;
  }

  async leaveWaiting(groupId: string, userId: string): Promise<number | null> {
    return this.takeWaiting(groupId, userId);
  }

  private takeWaiting(groupId: string, userId: string): number | null {
    const waiting = this.data.waiting.get(groupId);
    const since = waiting?.get(userId);
    if (since === undefined) return null;
    waiting!.delete(userId);
    return since;
  }

  async attendAll(groupId: string, userIds: string[]): Promise<boolean> {
    const attending = this.data.attending.get(groupId);
    return userIds.every((u) => attending?.has(u));
  }

  async forgetAttending(groupId: string, userId?: string): Promise<void> {
    if (userId === undefined) this.data.attending.delete(groupId);
    else this.data.attending.get(groupId)?.delete(userId);
  }
}
