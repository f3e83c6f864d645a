// The conversation log's Lua (RedisLog). Each conversation's keys share a hash tag.
import { APPEND_FUNCTIONS, DECODE } from './lua.js';

/**
 * KEYS: seq, log, ids, cmid, epoch. ARGV: idempotency field ('' for none), message id, the
 * message JSON without its opening brace, the epoch to record if this is seq 1.
 * Returns {1, seq} for a new message, {0, json} for a duplicate.
 */
export const APPEND = `
${APPEND_FUNCTIONS}
local original = resent(KEYS[4], KEYS[2], ARGV[1])
if original then return {0, original} end
return {1, append(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], ARGV[2], ARGV[3], ARGV[4])}
`;

/**
 * KEYS: seq, first, log. ARGV: mode ('after' | 'before'), bound ('' for none), limit.
 * Returns {hasMore, json…}, oldest first; same window arithmetic as pageWindow() in store.ts, the
 * two held together by the case list in test/store-contract/paging-cases.ts.
 */
export const PAGE = `
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local first = tonumber(redis.call('GET', KEYS[2]) or '1')
local limit = tonumber(ARGV[3])
local from, to, more
if ARGV[1] == 'after' then
  from = math.max(tonumber(ARGV[2]) + 1, first)
  to = math.min(last, from + limit - 1)
  more = to < last
else
  local before = last + 1
  if ARGV[2] ~= '' then before = tonumber(ARGV[2]) end
  to = math.min(before - 1, last)
  from = math.max(first, to - limit + 1)
  more = from > first
end
local out = {more and 1 or 0}
if to < from then return out end
local fields = {}
for s = from, to do fields[#fields + 1] = s end
local rows = redis.call('HMGET', KEYS[3], unpack(fields))
for i = 1, #rows do
  if rows[i] then out[#out + 1] = rows[i] end
end
return out
`;

/** KEYS: an index (message ids, or idempotency keys), log. ARGV: the index field. Returns the message JSON or nil. */
export const FIND = `
local seq = redis.call('HGET', KEYS[1], ARGV[1])
if not seq then return false end
return redis.call('HGET', KEYS[2], seq)
`;

/**
 * stored(ids, log, id): a message's seq and its record decoded, or nil when the id is unknown, its
 * log line is gone or the line is not JSON.
 */
const STORED_FUNCTION = `
${DECODE}
local function stored(ids, log, id)
  local seq = redis.call('HGET', ids, id)
  if not seq then return nil end
  local raw = redis.call('HGET', log, seq)
  if not raw then return nil end
  return seq, decode(raw)
end
`;

/**
 * KEYS: ids, log. ARGV: message id, emoji, user id. Toggles the user in the emoji's list.
 * Returns the reactions JSON, or nil when the message is missing or deleted. Rare enough that
 * decoding the message here is fine.
 */
export const TOGGLE_REACTION = `
${STORED_FUNCTION}
local seq, m = stored(KEYS[1], KEYS[2], ARGV[1])
if not m or m.deleted then return false end
local r = m.reactions
if type(r) ~= 'table' then r = {} end
local users = r[ARGV[2]]
if type(users) ~= 'table' then users = {} end
local kept, found = {}, false
for _, u in ipairs(users) do
  if u == ARGV[3] then found = true else kept[#kept + 1] = u end
end
if not found then kept[#kept + 1] = ARGV[3] end
if #kept > 0 then r[ARGV[2]] = kept else r[ARGV[2]] = nil end
if next(r) == nil then m.reactions = nil else m.reactions = r end
redis.call('HSET', KEYS[2], seq, cjson.encode(m))
if next(r) == nil then return '{}' end
return cjson.encode(r)
`;

/**
 * KEYS: ids, log, cmid. ARGV: message id, '1' to forget its clientMsgId too. Erases the message
 * in place (text '', no check-in, no reactions, deleted, and no clientMsgId nor its idempotency
 * entry when asked) as eraseInPlace() does (both held to the store contract's eraseMessage cases).
 * Returns the erased JSON, or nil.
 */
export const ERASE = `
${STORED_FUNCTION}
local seq, m = stored(KEYS[1], KEYS[2], ARGV[1])
if not m then return false end
m.text = ''
m.deleted = true
m.checkin = nil
m.reactions = nil
if ARGV[2] == '1' and type(m.clientMsgId) == 'string' then
  if type(m.sender) == 'table' and type(m.sender.id) == 'string' then redis.call('HDEL', KEYS[3], m.sender.id .. '\\n' .. m.clientMsgId) end
  m.clientMsgId = nil
end
local out = cjson.encode(m)
redis.call('HSET', KEYS[2], seq, out)
return out
`;

/**
 * KEYS: seq, first, log, ids, cmid. ARGV: cutoff (epoch ms), the most messages to remove.
 * Retention: removes messages created before the cutoff from the oldest end of the log, with
 * their id and idempotency entries, and moves `first` past them (seq numbers are never reused).
 * Returns how many were removed.
 */
export const TRIM = `
${DECODE}
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local first = tonumber(redis.call('GET', KEYS[2]) or '1')
local cutoff = tonumber(ARGV[1])
local removed, max = 0, tonumber(ARGV[2])
while first <= last and removed < max do
  local raw = redis.call('HGET', KEYS[3], first)
  if raw then
    if tonumber(string.match(raw, '"createdAt":(%d+)') or '0') >= cutoff then break end
    local m = decode(raw)
    redis.call('HDEL', KEYS[3], first)
    if m and type(m.id) == 'string' then redis.call('HDEL', KEYS[4], m.id) end
    if m and type(m.clientMsgId) == 'string' and type(m.sender) == 'table' and type(m.sender.id) == 'string' then
      redis.call('HDEL', KEYS[5], m.sender.id .. '\\n' .. m.clientMsgId)
    end
    removed = removed + 1
  end
  first = first + 1
end
redis.call('SET', KEYS[2], first)
return removed
`;
