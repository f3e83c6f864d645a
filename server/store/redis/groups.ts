import type { Enrolment, Group } from '../../../shared/index.js';
import type { GroupDirectory } from '../ports.js';
import type { GroupEdit } from '../store.js';
import { withScripts, type RedisBase } from './base.js';
import { DECODE } from './lua.js';

/** KEYS: the group record. ARGV: the edit as JSON. The record with the edit's fields set, or nil when there is none. */
const UPDATE_GROUP = `
${DECODE}
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local group = decode(raw)
if not group then return nil end
for k, v in pairs(cjson.decode(ARGV[1])) do group[k] = v end
local out = cjson.encode(group)
redis.call('SET', KEYS[1], out)
return out
`;

type Scripts = { bridgeUpdateGroup(group: string, edit: string): Promise<string | null> };

/**
 * Groups and enrolments in Redis. Group records, members and each person's groups sit in
 * different slots, so the writes that touch several are one pipeline rather than one
 * transaction; each command is idempotent, and the caller gets an error (and retries) if any failed.
 */
export class RedisGroups implements GroupDirectory {
  private readonly redis: Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeUpdateGroup: [1, UPDATE_GROUP] });
  }

  async createGroup(group: Group, creator: Enrolment): Promise<void> {
    const { client, k } = this.base;
    await Promise.all([
      client.set(k.group(group.id), JSON.stringify(group)),
      client.zadd(k.allGroups(), group.createdAt, group.id),
      this.enrol(group.id, creator),
    ]);
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const raw = await this.base.client.get(this.base.k.group(groupId));
    return raw ? (JSON.parse(raw) as Group) : null;
  }

  /** One script, so two edits at once (a name, a description) both stay. */
  async updateGroup(groupId: string, patch: GroupEdit): Promise<Group | null> {
    const raw = await this.redis.bridgeUpdateGroup(this.base.k.group(groupId), JSON.stringify(patch));
    return raw ? (JSON.parse(raw) as Group) : null;
  }

  async getGroups(groupIds: string[]): Promise<Group[]> {
    if (!groupIds.length) return [];
    const rows = await Promise.all(groupIds.map((id) => this.base.client.get(this.base.k.group(id))));
    return rows.flatMap((raw) => (raw ? [JSON.parse(raw) as Group] : []));
  }

  async allGroups(): Promise<Group[]> {
    return this.getGroups(await this.base.client.zrange(this.base.k.allGroups(), 0, -1));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.base.client.smembers(this.base.k.userGroups(userId));
  }

  async enrol(groupId: string, enrolment: Enrolment): Promise<void> {
    const { client, k } = this.base;
    await Promise.all([
      client.hset(k.members(groupId), enrolment.userId, this.base.crypto.stringify('enrolment', enrolment)),
      client.sadd(k.userGroups(enrolment.userId), groupId),
      client.srem(k.formerGroups(enrolment.userId), groupId),
    ]);
  }

  async unenrol(groupId: string, userId: string): Promise<boolean> {
    const { client, k } = this.base;
    const [removed] = await Promise.all([client.hdel(k.members(groupId), userId), client.srem(k.userGroups(userId), groupId)]);
    if (removed === 1) await client.sadd(k.formerGroups(userId), groupId);
    return removed === 1;
  }

  async formerGroupIdsOf(userId: string): Promise<string[]> {
    return this.base.client.smembers(this.base.k.formerGroups(userId));
  }

  async forgetFormerGroups(userId: string): Promise<void> {
    await this.base.client.del(this.base.k.formerGroups(userId));
  }

  async enrolment(groupId: string, userId: string): Promise<Enrolment | null> {
    const raw = await this.base.client.hget(this.base.k.members(groupId), userId);
    return raw ? this.base.crypto.parse<Enrolment>('enrolment', raw) : null;
  }

  async members(groupId: string): Promise<Enrolment[]> {
    const all = await this.base.client.hvals(this.base.k.members(groupId));
    return all.map((raw) => this.base.crypto.parse<Enrolment>('enrolment', raw));
  }
}
