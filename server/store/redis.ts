import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Conversation, Enrolment, GroupState, Message, UserRef } from '../../shared/index.js';
import { toRateLimiter } from './limiter.js';
import type { Limits, RoomAdmission, RoomModeration, RoomState } from './ports.js';
import type { RedisClient } from './redis-client.js';
import { withScripts, type RedisBase } from './redis/base.js';
import * as lua from './scripts.js';
import {
  DEFAULT_ROOM_STATE, idempotencyKey, newEpoch, type AppendResult, type GroupSend, type JoinAdmission, type JoinRefusal, type Mute,
  type RateLimit, type RateLimiter, type RoomSettings, type SendRefusal,
} from './store.js';

type Scripts = {
  bridgeSetHand(hands: string, userId: string, raised: '1' | '0'): Promise<number>;
  /** Twelve keys on one Redis server, the last the send budget; eleven on a Cluster (the limiter takes it). */
  bridgeSendToGroup(...keysThenArgs: (string | number)[]): Promise<[string, (string | number)?, (string | number)?]>;
  bridgeJoinGroup(members: string, bans: string, state: string, mutes: string, attending: string, userId: string, admin: string):
    Promise<['admitted', string, string] | ['banned' | 'not-enrolled' | 'locked']>;
  bridgeSendToGroupInCluster(...keysThenArgs: (string | number)[]): Promise<[string, (string | number)?, (string | number)?]>;
};

/** Room settings from the state hash; a field never written is its default. */
function settingsOf(state: Record<string, string>): RoomSettings {
  return {
    locked: state.locked === undefined ? DEFAULT_ROOM_STATE.locked : state.locked === '1',
    slowModeSec: state.slowModeSec === undefined ? DEFAULT_ROOM_STATE.slowModeSec : Number(state.slowModeSec),
    sessionOpen: state.sessionOpen === undefined ? DEFAULT_ROOM_STATE.sessionOpen : state.sessionOpen === '1',
    pinnedMessageId: state.pinnedMessageId || DEFAULT_ROOM_STATE.pinnedMessageId,
  };
}

/** A mutes-hash value: 'open' (until lifted) or the end in ms; a timed mute past its end is none. */
function muteFrom(raw: string | null, now: number): Mute | null {
  if (raw === null) return null;
  if (raw === 'open') return { until: null };
  const until = Number(raw);
  return until > now ? { until } : null;
}

/**
 * A group's room in Redis: its settings and hands, its moderation, the admission of sends and
 * joins (one script over the group's keys and its log's), and the flood budgets.
 */
export class RedisRoom implements RoomState, RoomModeration, RoomAdmission, Limits {
  private readonly redis: RedisClient & Scripts;
  private readonly k: RedisBase['k'];
  /** On a Redis Cluster the send budget sits in another slot than a group's keys. */
  private readonly cluster: boolean;
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(base: RedisBase) {
    this.k = base.k;
    this.cluster = base.cluster;
    this.redis = withScripts<Scripts>(base.client, {
      bridgeSetHand: { keys: 1, lua: lua.SET_HAND },
      // A fixed key count each: ioredis finds a Cluster command's slot from its first key.
      bridgeSendToGroup: { keys: 12, lua: lua.SEND_TO_GROUP },
      bridgeSendToGroupInCluster: { keys: 11, lua: lua.SEND_TO_GROUP },
      bridgeJoinGroup: { keys: 5, lua: lua.JOIN_GROUP },
    });
  }

  async roomState(groupId: string): Promise<GroupState> {
    const [state, hands] = await Promise.all([
      this.redis.hgetall(this.k.state(groupId)),
      this.redis.zrange(this.k.hands(groupId), 0, -1),
    ]);
    return { ...settingsOf(state), handQueue: hands };
  }

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    const field = rest.clientMsgId === undefined ? '' : idempotencyKey(sender.id, rest.clientMsgId);
    const keys = [this.k.members(groupId), this.k.bans(groupId), this.k.mutes(groupId), this.k.state(groupId), this.k.sendSlot(groupId, sender.id),
      this.k.seq(c), this.k.log(c), this.k.ids(c), this.k.clientIds(c), this.k.epoch(c), this.k.attending(groupId)];
    // One Redis server: the budget is one more key of the script. A Cluster keeps it in another
    // slot, so its limiter answers first (a resend then costs a point too).
    let flood = 'take';
    if (this.cluster) flood = String(await this.rateLimiter('send', send.flood)(sender.id));
    else keys.push(`${this.k.rateLimit('send')}:${sender.id}`);
    const body = JSON.stringify({ ...rest, conversation: c }).slice(1, -1);
    const senderUpToRole = `${JSON.stringify(sender).slice(0, -1)},"role":"`;
    const script = this.cluster ? this.redis.bridgeSendToGroupInCluster : this.redis.bridgeSendToGroup;
    const [outcome, a, b] = await script.call(this.redis, ...keys, sender.id, send.admin ? '1' : '0', field, rest.id, body, senderUpToRole,
      newEpoch(), flood, send.flood.points, send.flood.durationSec, send.now);
    switch (outcome) {
      case 'sent':
        return { message: { seq: Number(a), ...rest, conversation: c, sender: { ...sender, role: b as UserRef['role'] } }, duplicate: false };
      case 'duplicate':
        return { message: JSON.parse(String(a)) as Message, duplicate: true };
      case 'muted':
        return { refused: 'muted', until: a === '' ? null : Number(a) };
      case 'flood':
        return { refused: 'flood', retryAfterMs: Number(a) };
      case 'slow-mode':
        return { refused: 'slow-mode', retryAfterMs: Number(a), slowModeSec: Number(b) };
      default:
        return { refused: outcome as 'banned' | 'not-enrolled' | 'locked-out' | 'session-closed' };
    }
  }

  async joinGroup(groupId: string, join: { userId: string; admin: boolean; now: number }): Promise<JoinAdmission | JoinRefusal> {
    const [outcome, enrolment, mute] = await this.redis.bridgeJoinGroup(this.k.members(groupId), this.k.bans(groupId), this.k.state(groupId),
      this.k.mutes(groupId), this.k.attending(groupId), join.userId, join.admin ? '1' : '0');
    if (outcome !== 'admitted') return { refused: outcome };
    return { enrolment: enrolment ? (JSON.parse(enrolment) as Enrolment) : null, mute: muteFrom(mute || null, join.now) };
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    return (await this.redis.bridgeSetHand(this.k.hands(groupId), userId, raised ? '1' : '0')) === 1;
  }

  async updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    const fields: Record<string, string> = {};
    if (patch.locked !== undefined) fields.locked = patch.locked ? '1' : '0';
    if (patch.sessionOpen !== undefined) fields.sessionOpen = patch.sessionOpen ? '1' : '0';
    if (patch.slowModeSec !== undefined) fields.slowModeSec = String(patch.slowModeSec);
    if (patch.pinnedMessageId !== undefined) fields.pinnedMessageId = patch.pinnedMessageId ?? '';
    if (Object.keys(fields).length) await this.redis.hset(this.k.state(groupId), fields);
    return this.roomState(groupId);
  }

  async setMute(groupId: string, userId: string, mute: Mute): Promise<void> {
    await this.redis.hset(this.k.mutes(groupId), userId, mute.until === null ? 'open' : String(mute.until));
  }

  async clearMute(groupId: string, userId: string): Promise<boolean> {
    return (await this.redis.hdel(this.k.mutes(groupId), userId)) === 1;
  }

  async muteOf(groupId: string, userId: string, now: number): Promise<Mute | null> {
    return muteFrom(await this.redis.hget(this.k.mutes(groupId), userId), now);
  }

  async setBan(groupId: string, userId: string, banned: boolean): Promise<boolean> {
    const key = this.k.bans(groupId);
    return (banned ? await this.redis.sadd(key, userId) : await this.redis.srem(key, userId)) === 1;
  }

  async isBanned(groupId: string, userId: string): Promise<boolean> {
    return (await this.redis.sismember(this.k.bans(groupId), userId)) === 1;
  }

  async lockedOut(groupId: string, userId: string): Promise<boolean> {
    // Two reads in one auto-pipeline (one slot on a Cluster): one round trip, no script needed.
    const [locked, attending] = await Promise.all([this.redis.hget(this.k.state(groupId), 'locked'), this.redis.sismember(this.k.attending(groupId), userId)]);
    return locked === '1' && attending === 0;
  }

  async forgetAttending(groupId: string, userId?: string): Promise<void> {
    if (userId === undefined) await this.redis.del(this.k.attending(groupId));
    else await this.redis.srem(this.k.attending(groupId), userId);
  }

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    const id = `${name}\n${limit.points}\n${limit.durationSec}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = toRateLimiter(new RateLimiterRedis({ storeClient: this.redis, keyPrefix: this.k.rateLimit(name), points: limit.points, duration: limit.durationSec }));
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
