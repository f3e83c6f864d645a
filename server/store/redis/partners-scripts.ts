// The partner directory's Lua (RedisPartners): its keys share the `{pd}` hash tag.
import { DECODE, SETTLE } from './lua.js';

/**
 * KEYS: record, pair, active set of a, active set of b. ARGV[1]: the record's id. Stores the
 * settled record and takes it off the pair and both people's sets (a partnership that ended, an
 * invite that was answered). Needs DECODE and SETTLE before it.
 */
const SETTLE_IN_DIRECTORY = `
${DECODE}
${SETTLE}
local function settled(out)
  redis.call('SET', KEYS[1], out)
  if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('SREM', KEYS[4], ARGV[1])
  return out
end
`;

/**
 * KEYS: pair, active set of a, active set of b, partnership data, list of a, list of b, every partnership.
 * ARGV: partnership id, partnership JSON, limit of active partnerships per user.
 * Returns 'created', 'exists' (the pair already has one) or 'limit'.
 */
export const CREATE_PARTNERSHIP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
local limit = tonumber(ARGV[3])
if redis.call('SCARD', KEYS[2]) >= limit or redis.call('SCARD', KEYS[3]) >= limit then return 'limit' end
redis.call('SET', KEYS[4], ARGV[2])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('RPUSH', KEYS[5], ARGV[1])
redis.call('RPUSH', KEYS[6], ARGV[1])
redis.call('SADD', KEYS[7], ARGV[1])
return 'created'
`;

/**
 * KEYS: partnership data, pair, active set of a, active set of b. ARGV: partnership id, ended by, time.
 * Returns the partnership JSON (unchanged when it had already ended), or nil.
 */
export const END_PARTNERSHIP = `
${SETTLE_IN_DIRECTORY}
local raw = redis.call('GET', KEYS[1])
local out, why = settle(raw, 'active', { status = 'ended', endedBy = ARGV[2], endedAt = tonumber(ARGV[3]) })
if why == 'unchanged' then return raw end
if not out then return false end
return settled(out)
`;

/**
 * KEYS: pair, invite data, sender's set, recipient's set. ARGV: invite id, invite JSON.
 * Returns 'created', or 'exists' when the pair already has a pending invite.
 */
export const CREATE_INVITE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 'exists' end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 'created'
`;

/**
 * KEYS: invite data, pair, sender's set, recipient's set. ARGV: invite id, new status. Drops the
 * note (Partners.settleInvite). Returns the settled invite JSON, or nil when there is none pending.
 */
export const SETTLE_INVITE = `
${SETTLE_IN_DIRECTORY}
local out = settle(redis.call('GET', KEYS[1]), 'pending', { status = ARGV[2], note = false })
if not out then return false end
return settled(out)
`;

/** KEYS: reads. ARGV: user id, seq. Moves the user's read mark forward only; returns the mark. */
export const MARK_READ = `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local seq = tonumber(ARGV[2])
if seq > cur then
  redis.call('HSET', KEYS[1], ARGV[1], seq)
  return seq
end
return cur
`;
