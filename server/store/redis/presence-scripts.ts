// Presence's Lua (RedisPresence): a presence shard's keys share its `{pr:<n>}` hash tag.

/**
 * expireWithLast(key, now): sets a user's presence key to expire with its longest-lived
 * connection (never sooner), so one connection with a short ttl cannot take the user's other
 * connections with it.
 */
const EXPIRE_WITH_LAST = `
local function expireWithLast(key, now)
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if last[2] then
    local ttl = math.ceil(tonumber(last[2]) - now)
    if ttl > 0 then redis.call('PEXPIRE', key, ttl) else redis.call('DEL', key) end
  end
end
`;

/**
 * KEYS: the user's presence, every node's connections. ARGV: now, ttl, connection id, the
 * connection's entry in the second key. Returns 1 when the user was offline.
 */
export const CONNECTION_UP = `
${EXPIRE_WITH_LAST}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local before = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
expireWithLast(KEYS[1], tonumber(ARGV[1]))
if before == 0 then return 1 end
return 0
`;

/**
 * Extends (or sets) the expiry of many connections of one presence shard. KEYS: the shard's
 * index of every node's connections, then each connection's user presence key. ARGV: now, ttl,
 * then per connection its id and its entry in the index.
 */
export const REFRESH_CONNECTIONS = `
${EXPIRE_WITH_LAST}
local now = tonumber(ARGV[1])
local expires = now + tonumber(ARGV[2])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], expires, ARGV[2 * i - 1])
  redis.call('ZADD', KEYS[1], expires, ARGV[2 * i])
  expireWithLast(KEYS[i], now)
end
return #KEYS - 1
`;

/** KEYS as CONNECTION_UP. ARGV: now, connection id, entry. Returns 1 when no live connection is left. */
export const CONNECTION_DOWN = `
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
return 0
`;

/**
 * KEYS: a presence shard's index of every node's connections. ARGV: now, the prefix of that
 * shard's presence keys, the most
 * entries to take. Removes connections whose node stopped refreshing them (it died); an entry
 * is removed by exactly one sweeping node. Returns the users left with no live connection.
 */
export const SWEEP_CONNECTIONS = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local offline, seen = {}, {}
for _, entry in ipairs(expired) do
  if redis.call('ZREM', KEYS[1], entry) == 1 then
    local sep = string.find(entry, '\\n', 1, true)
    local user = string.sub(entry, 1, sep - 1)
    local key = ARGV[2] .. user
    redis.call('ZREM', key, string.sub(entry, sep + 1))
    redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[1])
    if redis.call('ZCARD', key) == 0 and not seen[user] then
      seen[user] = true
      offline[#offline + 1] = user
    end
  end
end
return offline
`;
