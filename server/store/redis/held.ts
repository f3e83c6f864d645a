import type { HeldMessages } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { MessageDraft } from '../store.js';
import { withScripts, type RedisBase } from './base.js';

/** The held-ids field of a message: its partnership, sender and clientMsgId (ids hold no newline). */
const FIELD = `local function field(d) return d.conversation.id .. '\\n' .. d.sender.id .. '\\n' .. d.clientMsgId end`;

/**
 * KEYS: queue, held ids, the group's held sessions. ARGV: session id, draft JSON. Returns the held
 * JSON, 1 when it was already held (then it is the original), and the partnership's count.
 */
const HOLD = `
${FIELD}
local d = cjson.decode(ARGV[2])
local n = 'n:' .. d.conversation.id
local original = redis.call('HGET', KEYS[2], field(d))
if original then return { original, 1, tonumber(redis.call('HGET', KEYS[2], n) or '0') } end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], field(d), ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
return { ARGV[2], 0, redis.call('HINCRBY', KEYS[2], n, 1) }
`;

/** KEYS: queue, held ids, the group's held sessions. ARGV: session id, draft id. Drops the oldest if it is that draft; 1 when dropped. */
const DROP = `
${FIELD}
local head = redis.call('LINDEX', KEYS[1], 0)
if not head then return 0 end
local d = cjson.decode(head)
if d.id ~= ARGV[2] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('HDEL', KEYS[2], field(d))
redis.call('HINCRBY', KEYS[2], 'n:' .. d.conversation.id, -1)
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[1])
end
return 1
`;

type Scripts = {
  bridgeHold(queue: string, ids: string, sessions: string, sessionId: string, json: string): Promise<[string, number, number]>;
  bridgeDropHeld(queue: string, ids: string, sessions: string, sessionId: string, draftId: string): Promise<number>;
};

/**
 * Held partner messages in Redis under the group's hash tag, so holding and dropping are one
 * script each. The index of groups that hold messages has no tag (the sweep reads it): it is
 * written before the hold, so it never misses a group that holds something.
 */
export class RedisHeldMessages implements HeldMessages {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeHold: [3, HOLD], bridgeDropHeld: [3, DROP] });
  }

  async hold(groupId: string, sessionId: string, draft: MessageDraft) {
    const k = this.base.k;
    await this.redis.sadd(k.heldGroups(), groupId);
    const [json, duplicate, count] = await this.redis.bridgeHold(
      k.held(groupId, sessionId),
      k.heldIds(groupId, sessionId),
      k.heldSessions(groupId),
      sessionId,
      this.base.crypto.stringify('message', draft),
    );
    return { draft: this.base.crypto.parse<MessageDraft>('message', json), duplicate: duplicate === 1, count };
  }

  async held(groupId: string, sessionId: string): Promise<MessageDraft[]> {
    return (await this.redis.lrange(this.base.k.held(groupId, sessionId), 0, -1)).map((raw) =>
      this.base.crypto.parse<MessageDraft>('message', raw),
    );
  }

  async dropHeld(groupId: string, sessionId: string, draftId: string): Promise<boolean> {
    const k = this.base.k;
    return (
      (await this.redis.bridgeDropHeld(
        k.held(groupId, sessionId),
        k.heldIds(groupId, sessionId),
        k.heldSessions(groupId),
        sessionId,
        draftId,
      )) === 1
    );
  }

  async heldSessions(): Promise<{ groupId: string; sessionId: string }[]> {
    const groups = await this.redis.smembers(this.base.k.heldGroups());
    const sessions = await Promise.all(groups.map((g) => this.redis.smembers(this.base.k.heldSessions(g))));
    return groups.flatMap((groupId, i) => sessions[i]!.map((sessionId) => ({ groupId, sessionId })));
  }
}
