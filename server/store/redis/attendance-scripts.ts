// Attendance's Lua (RedisAttendance): an attendance shard's keys share its `{at:<n>}` hash tag; a
// user's time in a room is a list of `start:end`, the last one `start:` while it lasts.

/** enter(conns, index, time, now, expires, connId, entry): 1 when the user's time in the room starts. */
const ENTER = `
local function enter(conns, index, time, now, expires, connId, entry)
  local before = redis.call('ZCARD', conns)
  redis.call('ZADD', conns, expires, connId)
  redis.call('ZADD', index, expires, entry)
  if before > 0 then return 0 end
  local last = redis.call('LINDEX', time, -1)
  if last and string.sub(last, -1) == ':' then return 0 end
  redis.call('RPUSH', time, now .. ':')
  return 1
end
`;

/** endIfEmpty(conns, time, now): ends the open interval when no connection is left; 1 when it did. */
const END_IF_EMPTY = `
local function endIfEmpty(conns, time, now)
  if redis.call('ZCARD', conns) > 0 then return 0 end
  local last = redis.call('LINDEX', time, -1)
  if not last or string.sub(last, -1) ~= ':' then return 0 end
  local start = tonumber(string.sub(last, 1, -2))
  redis.call('LSET', time, -1, start .. ':' .. math.max(now, start))
  return 1
end
`;

/** KEYS: the user's room connections, the shard's index, the user's time. ARGV: now, connection id, entry. 1 when it was the last connection. */
export const ROOM_LEFT = `
${END_IF_EMPTY}
if redis.call('ZREM', KEYS[1], ARGV[2]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[3])
return endIfEmpty(KEYS[1], KEYS[3], tonumber(ARGV[1]))
`;

/**
 * KEYS: the shard's index, then per connection its room connections and the user's time. ARGV:
 * now, ttl, then per connection its id and entry.
 */
export const REFRESH_ROOM_CONNECTIONS = `
${ENTER}
local now = tonumber(ARGV[1])
local expires = now + tonumber(ARGV[2])
for i = 2, #KEYS, 2 do
  enter(KEYS[i], KEYS[1], KEYS[i + 1], now, expires, ARGV[i + 1], ARGV[i + 2])
end
return (#KEYS - 1) / 2
`;

/**
 * KEYS: a shard's index. ARGV: now, the shard's key prefix, the most entries to take. Removes the
 * expired connections (each by exactly one sweeping node) and ends the time of users left with
 * none at now. Returns {entries taken, intervals ended}.
 */
export const SWEEP_ROOM_CONNECTIONS = `
${END_IF_EMPTY}
local now = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
local ended = 0
for _, entry in ipairs(expired) do
  if redis.call('ZREM', KEYS[1], entry) == 1 then
    local a = string.find(entry, '\\n', 1, true)
    local b = string.find(entry, '\\n', a + 1, true)
    local room = string.sub(entry, 1, a - 1) .. ':' .. string.sub(entry, a + 1, b - 1)
    local conns = ARGV[2] .. 'room:' .. room
    redis.call('ZREM', conns, string.sub(entry, b + 1))
    ended = ended + endIfEmpty(conns, ARGV[2] .. 'time:' .. room, now)
  end
end
return {#expired, ended}
`;

/** KEYS: hand sessions, the open one's id. ARGV: id, start. */
export const OPEN_HAND_SESSION = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':')
return 1
`;

/** KEYS as OPEN_HAND_SESSION. ARGV: end. */
export const CLOSE_HAND_SESSION = `
local id = redis.call('GET', KEYS[2])
if not id then return 0 end
redis.call('DEL', KEYS[2])
local start = redis.call('HGET', KEYS[1], id)
if start then redis.call('HSET', KEYS[1], id, start .. ARGV[1]) end
return 1
`;
