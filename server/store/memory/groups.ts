import type { Enrolment, Group } from '../../../shared/index.js';
import type { GroupDirectory } from '../ports.js';
import type { GroupEdit } from '../store.js';
import { getOrCreate } from './util.js';

/** Groups and enrolments in this process. Returns copies, so callers can never mutate what is stored. */
export class MemoryGroups implements GroupDirectory {
  private readonly groups = new Map<string, Group>();
  /** group id → user id → enrolment; admission reads it in the same step as its checks. */
  readonly enrolments = new Map<string, Map<string, Enrolment>>();
  private readonly userGroups = new Map<string, Set<string>>();
  private readonly formerGroups = new Map<string, Set<string>>();

  async createGroup(group: Group, creator: Enrolment): Promise<void> {
    this.groups.set(group.id, { ...group });
    await this.enrol(group.id, creator);
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const g = this.groups.get(groupId);
    return g ? { ...g } : null;
  }

  async updateGroup(groupId: string, patch: GroupEdit): Promise<Group | null> {
    const g = this.groups.get(groupId);
    if (!g) return null;
    Object.assign(g, patch);
    return { ...g };
  }

  async getGroups(groupIds: string[]): Promise<Group[]> {
    return groupIds.flatMap((id) => {
      const g = this.groups.get(id);
      return g ? [{ ...g }] : [];
    });
  }

  async allGroups(): Promise<Group[]> {
    // Oldest first by createdAt (as the Redis store's sorted set), not by insertion order.
    return [...this.groups.values()].sort((a, b) => a.createdAt - b.createdAt).map((g) => ({ ...g }));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return [...(this.userGroups.get(userId) ?? [])];
  }

  async enrol(groupId: string, enrolment: Enrolment): Promise<void> {
    getOrCreate(this.enrolments, groupId, () => new Map()).set(enrolment.userId, { ...enrolment });
    getOrCreate(this.userGroups, enrolment.userId, () => new Set()).add(groupId);
    this.formerGroups.get(enrolment.userId)?.delete(groupId);
  }

  async unenrol(groupId: string, userId: string): Promise<boolean> {
    this.userGroups.get(userId)?.delete(groupId);
    const removed = this.enrolments.get(groupId)?.delete(userId) ?? false;
    if (removed) getOrCreate(this.formerGroups, userId, () => new Set()).add(groupId);
    return removed;
  }

  async formerGroupIdsOf(userId: string): Promise<string[]> {
    return [...(this.formerGroups.get(userId) ?? [])];
  }

  async forgetFormerGroups(userId: string): Promise<void> {
    this.formerGroups.delete(userId);
  }

  async enrolment(groupId: string, userId: string): Promise<Enrolment | null> {
    const e = this.enrolments.get(groupId)?.get(userId);
    return e ? { ...e } : null;
  }

  async members(groupId: string): Promise<Enrolment[]> {
    return [...(this.enrolments.get(groupId)?.values() ?? [])].map((e) => ({ ...e }));
  }
}
