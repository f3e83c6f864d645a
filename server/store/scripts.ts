// Lua scripts for what must be atomic in Redis. Each conversation's keys share a hash tag.
import { APPEND_FUNCTIONS, DECODE } from './redis/lua.js';

/**
 * A group send, judged and appended in one step (Store.sendToGroup).
 * KEYS: members, bans, mutes, state, the sender's slow-mode slot, seq, log, ids, cmid, epoch,
 * attending, and on one Redis server the sender's send budget (rate-limiter-flexible's key and arithmetic, so
 * its limiter and this script share the budget).
 * ARGV: user id, admin ('1' | '0'), idempotency field, message id, the message JSON between its
 * seq and its sender (no braces), its sender's JSON up to the role's value, the epoch for seq 1,
 * the budget: 'take' (KEYS[12]) or the ms its limiter answered, points, seconds; now (ms, mutes).
 * The slot holds the Redis time of the last claimed send, and the wait is measured with the
 * interval in force now, so a facilitator who shortens slow mode shortens the wait too.
 * Returns {'duplicate', json}, {'sent', seq, role} or the refusal: {'banned'}, {'not-enrolled'},
 * {'locked-out'} (a participant not attending this session while the room is locked), {'muted', until or ''}, {'flood', ms}, {'session-closed'}, {'slow-mode', ms, seconds}.
 */
export const SEND_TO_GROUP = `
${APPEND_FUNCTIONS}
${DECODE}
local original = resent(KEYS[9], KEYS[7], ARGV[3])
if original then return {'duplicate', original} end
local floodWait
if ARGV[8] == 'take' then
  local seconds = tonumber(ARGV[10])
  redis.call('SET', KEYS[12], 0, 'EX', seconds, 'NX')
  local consumed = redis.call('INCRBY', KEYS[12], 1)
  local ttl = redis.call('PTTL', KEYS[12])
  if ttl == -1 then
    redis.call('EXPIRE', KEYS[12], seconds)
    ttl = 1000 * seconds
  end
  floodWait = 0
  if consumed > tonumber(ARGV[9]) then floodWait = math.max(1, ttl) end
else
  floodWait = tonumber(ARGV[8])
end
local admin = ARGV[2] == '1'
if not admin and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {'banned'} end
local role = 'admin'
if not admin then
  local enrolment = redis.call('HGET', KEYS[1], ARGV[1])
  if not enrolment then return {'not-enrolled'} end
  role = (decode(enrolment) or {}).role or 'participant'
end
local state
if role == 'participant' then
  state = redis.call('HMGET', KEYS[4], 'sessionOpen', 'slowModeSec', 'locked')
  if state[3] == '1' and redis.call('SISMEMBER', KEYS[11], ARGV[1]) == 0 then return {'locked-out'} end
end
local mute = redis.call('HGET', KEYS[3], ARGV[1])
if mute == 'open' then return {'muted', ''} end
if mute and tonumber(mute) > tonumber(ARGV[11]) then return {'muted', mute} end
if floodWait > 0 then return {'flood', floodWait} end
if role == 'participant' then
  if state[1] and state[1] ~= '1' then return {'session-closed'} end
  local slow = state[2] and tonumber(state[2]) or 0
  if slow > 0 then
    local interval = slow * 1000
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local last = tonumber(redis.call('GET', KEYS[5]) or '')
    if last and last + interval > now then return {'slow-mode', last + interval - now, slow} end
    redis.call('SET', KEYS[5], now, 'PX', interval)
  end
end
local rest = ARGV[5] .. ',"sender":' .. ARGV[6] .. role .. '"}}'
return {'sent', append(KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], ARGV[3], ARGV[4], rest, ARGV[7]), role}
`;

/**
 * A join, judged in one step (Store.joinGroup). KEYS: members, bans, state, mutes, attending.
 * ARGV: user id, admin ('1' | '0'). Returns {'admitted', enrolment JSON or '', mute or ''} (and
 * records the user as attending), or {'banned'}, {'not-enrolled'}, {'locked'}.
 */
export const JOIN_GROUP = `
${DECODE}
local admin = ARGV[2] == '1'
if not admin and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {'banned'} end
local enrolment = redis.call('HGET', KEYS[1], ARGV[1])
if not admin and not enrolment then return {'not-enrolled'} end
if redis.call('SISMEMBER', KEYS[5], ARGV[1]) == 0 then
  local participant = not admin and (decode(enrolment) or {}).role ~= 'facilitator'
  if participant and redis.call('HGET', KEYS[3], 'locked') == '1' then return {'locked'} end
  redis.call('SADD', KEYS[5], ARGV[1])
end
return {'admitted', enrolment or '', redis.call('HGET', KEYS[4], ARGV[1]) or ''}
`;

/**
 * KEYS: hands. ARGV: user id, '1' to raise or '0' to lower. Returns 1 when the hand changed.
 * A raised hand scores one more than the last one in the queue, so the queue is first raised
 * first even when hands go up in the same millisecond or on nodes whose clocks differ.
 */
export const SET_HAND = `
if ARGV[2] == '1' then
  if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local score = 1
  if last[2] then score = tonumber(last[2]) + 1 end
  redis.call('ZADD', KEYS[1], score, ARGV[1])
  return 1
end
return redis.call('ZREM', KEYS[1], ARGV[1])
`;

