import { Redis, type RedisOptions } from 'ioredis';
import type {
  Conversation, Enrolment, Group, GroupState, Message, MessagePage, ReactionEmoji, Reactions,
} from '../../shared/index.js';
import { redisKeys, type RedisKeys } from './keys.js';
import * as lua from './scripts.js';
import {
  DEFAULT_ROOM_STATE, idempotencyKey, type AppendResult, type Connection, type MessageDraft, type Store,
} from './store.js';

type Scripts = {
  bridgeAppend(seq: string, log: string, ids: string, cmid: string, field: string, id: string, tail: string): Promise<[number, number | string]>;
  bridgePage(seq: string, first: string, log: string, mode: string, bound: string, limit: number): Promise<[number, ...string[]]>;
  bridgeFind(ids: string, log: string, id: string): Promise<string | null>;
  bridgeToggleReaction(ids: string, log: string, id: string, emoji: string, userId: string): Promise<string | null>;
  bridgeSetHand(hands: string, userId: string, raised: '1' | '0'): Promise<number>;
  bridgeConnectionUp(key: string, now: number, ttl: number, connId: string): Promise<number>;
  bridgeRefreshConnection(key: string, now: number, ttl: number, connId: string): Promise<number>;
  bridgeConnectionDown(key: string, now: number, connId: string): Promise<number>;
};
type ScriptedRedis = Redis & Scripts;

/**
 * All state in Redis, so any number of nodes can share it. Every multi-key write that must not
 * tear is one Lua script or one MULTI; independent reads go out in one pipeline.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly redis: ScriptedRedis;
  private readonly k: RedisKeys;

  constructor(url: string, prefix: string, options: RedisOptions = {}) {
    this.k = redisKeys(prefix);
    this.redis = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 2, ...options }) as ScriptedRedis;
    const define = (name: string, numberOfKeys: number, lua: string) => this.redis.defineCommand(name, { numberOfKeys, lua });
    define('bridgeAppend', 4, lua.APPEND);
    define('bridgePage', 3, lua.PAGE);
    define('bridgeFind', 2, lua.FIND);
    define('bridgeToggleReaction', 2, lua.TOGGLE_REACTION);
    define('bridgeSetHand', 1, lua.SET_HAND);
    define('bridgeConnectionUp', 1, lua.CONNECTION_UP);
    define('bridgeRefreshConnection', 1, lua.REFRESH_CONNECTION);
    define('bridgeConnectionDown', 1, lua.CONNECTION_DOWN);
  }

  /** The underlying client, for errors to be observed by whoever owns the store. */
  get client(): Redis {
    return this.redis;
  }

  async createGroup(group: Group, creator: Enrolment): Promise<void> {
    await this.redis
      .multi()
      .set(this.k.group(group.id), JSON.stringify(group))
      .zadd(this.k.allGroups(), group.createdAt, group.id)
      .hset(this.k.members(group.id), creator.userId, JSON.stringify(creator))
      .sadd(this.k.userGroups(creator.userId), group.id)
      .exec();
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const raw = await this.redis.get(this.k.group(groupId));
    return raw ? (JSON.parse(raw) as Group) : null;
  }

  async getGroups(groupIds: string[]): Promise<Group[]> {
    if (!groupIds.length) return [];
    const rows = await this.redis.mget(groupIds.map((id) => this.k.group(id)));
    return rows.flatMap((raw) => (raw ? [JSON.parse(raw) as Group] : []));
  }

  async allGroups(): Promise<Group[]> {
    return this.getGroups(await this.redis.zrange(this.k.allGroups(), 0, -1));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.redis.smembers(this.k.userGroups(userId));
  }

  async enrol(groupId: string, enrolment: Enrolment): Promise<void> {
    await this.redis
      .multi()
      .hset(this.k.members(groupId), enrolment.userId, JSON.stringify(enrolment))
      .sadd(this.k.userGroups(enrolment.userId), groupId)
      .exec();
  }

  async unenrol(groupId: string, userId: string): Promise<boolean> {
    const res = await this.redis.multi().hdel(this.k.members(groupId), userId).srem(this.k.userGroups(userId), groupId).exec();
    return res?.[0]?.[1] === 1;
  }

  async enrolment(groupId: string, userId: string): Promise<Enrolment | null> {
    const raw = await this.redis.hget(this.k.members(groupId), userId);
    return raw ? (JSON.parse(raw) as Enrolment) : null;
  }

  async members(groupId: string): Promise<Enrolment[]> {
    const all = await this.redis.hvals(this.k.members(groupId));
    return all.map((raw) => JSON.parse(raw) as Enrolment);
  }

  async appendMessage(c: Conversation, draft: MessageDraft): Promise<AppendResult> {
    const field = draft.clientMsgId === undefined ? '' : idempotencyKey(draft.sender.id, draft.clientMsgId);
    const tail = JSON.stringify(draft).slice(1);
    const [isNew, value] = await this.redis.bridgeAppend(this.k.seq(c), this.k.log(c), this.k.ids(c), this.k.clientIds(c), field, draft.id, tail);
    if (isNew === 1) return { message: { seq: Number(value), ...draft }, duplicate: false };
    return { message: JSON.parse(String(value)) as Message, duplicate: true };
  }

  async history(c: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.page(c, 'before', page.beforeSeq, page.limit);
  }

  async since(c: Conversation, since: number, limit: number): Promise<MessagePage> {
    return this.page(c, 'after', since, limit);
  }

  async findMessage(c: Conversation, messageId: string): Promise<Message | null> {
    const raw = await this.redis.bridgeFind(this.k.ids(c), this.k.log(c), messageId);
    return raw ? (JSON.parse(raw) as Message) : null;
  }

  async toggleReaction(c: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null> {
    const raw = await this.redis.bridgeToggleReaction(this.k.ids(c), this.k.log(c), messageId, emoji, userId);
    return raw ? (JSON.parse(raw) as Reactions) : null;
  }

  async roomState(groupId: string): Promise<GroupState> {
    const [state, hands] = await Promise.all([
      this.redis.hgetall(this.k.state(groupId)),
      this.redis.zrange(this.k.hands(groupId), 0, -1),
    ]);
    return {
      locked: state.locked === undefined ? DEFAULT_ROOM_STATE.locked : state.locked === '1',
      slowModeSec: state.slowModeSec === undefined ? DEFAULT_ROOM_STATE.slowModeSec : Number(state.slowModeSec),
      sessionOpen: state.sessionOpen === undefined ? DEFAULT_ROOM_STATE.sessionOpen : state.sessionOpen === '1',
      pinnedMessageId: state.pinnedMessageId || DEFAULT_ROOM_STATE.pinnedMessageId,
      handQueue: hands,
    };
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    return (await this.redis.bridgeSetHand(this.k.hands(groupId), userId, raised ? '1' : '0')) === 1;
  }

  async connectionUp(conn: Connection, ttlMs: number): Promise<boolean> {
    return (await this.redis.bridgeConnectionUp(this.k.presence(conn.userId), Date.now(), ttlMs, conn.connId)) === 1;
  }

  async connectionDown(conn: Connection): Promise<boolean> {
    return (await this.redis.bridgeConnectionDown(this.k.presence(conn.userId), Date.now(), conn.connId)) === 1;
  }

  async refreshConnections(conns: Connection[], ttlMs: number): Promise<void> {
    if (!conns.length) return;
    const now = Date.now();
    // One script per connection (each user's key may sit on another slot); auto-pipelined.
    await Promise.all(conns.map((c) => this.redis.bridgeRefreshConnection(this.k.presence(c.userId), now, ttlMs, c.connId)));
  }

  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    const now = Date.now();
    const counts = await Promise.all(userIds.map((u) => this.redis.zcount(this.k.presence(u), `(${now}`, '+inf')));
    return new Set(userIds.filter((_, i) => counts[i]! > 0));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async page(c: Conversation, mode: 'after' | 'before', bound: number | undefined, limit: number): Promise<MessagePage> {
    const [more, ...rows] = await this.redis.bridgePage(this.k.seq(c), this.k.first(c), this.k.log(c), mode, bound === undefined ? '' : String(bound), limit);
    return { messages: rows.map((raw) => JSON.parse(raw) as Message), hasMore: more === 1 };
  }
}
