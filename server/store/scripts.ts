// Lua scripts for what must be atomic in Redis. Each conversation's keys share a hash tag.
import { luaDecision } from '../admission.js';

/**
 * decode(raw): a stored record as a table, or nil when it is not JSON. JSON.stringify writes a
 * lone surrogate as its \uXXXX escape, which cjson refuses; a record like that (stored before
 * payloads were checked for them) is read with U+FFFD in its place, so it can still be erased,
 * reacted to and trimmed, and the script that rewrites it heals it. Scripts that read a record
 * decode with this, never cjson.decode, so one bad record never fails a script.
 */
const DECODE = `
local function decode(raw)
  local ok, value = pcall(cjson.decode, raw)
  if not ok then
    local healed = string.gsub(raw, '(\\\\+)u[dD][89a-fA-F]%x%x', function(slashes)
      if #slashes % 2 == 1 then return slashes .. 'ufffd' end
    end)
    ok, value = pcall(cjson.decode, healed)
  end
  if ok and type(value) == 'table' then return value end
  return nil
end
`;

/**
 * Lua functions the append scripts share. resent(): the JSON of the message a sender already
 * sent under this idempotency field ('' for none), or nil. append(): the next seq, the log line
 * (`{"seq":N,` and `rest`, the message JSON after its seq, so the line is written once, never
 * decoded and re-encoded), the id and idempotency indexes, and the log's epoch at seq 1.
 */
const APPEND_FUNCTIONS = `
local function resent(cmid, log, field)
  if field == '' then return nil end
  local seq = redis.call('HGET', cmid, field)
  if seq then return redis.call('HGET', log, seq) end
  return nil
end
local function append(seqKey, log, ids, cmid, epochKey, field, id, rest, epoch)
  local seq = redis.call('INCR', seqKey)
  if seq == 1 then redis.call('SET', epochKey, epoch) end
  redis.call('HSET', log, seq, '{"seq":' .. seq .. ',' .. rest)
  redis.call('HSET', ids, id, seq)
  if field ~= '' then redis.call('HSET', cmid, field, seq) end
  return seq
end
`;

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
 * takeBudget(key, points, windowMs): takes one point of a flood budget; 0 when allowed, else the
 * ms until its window ends. Bridge's own fixed window (layout and arithmetic: MemoryBudget in
 * limiter.ts): the key holds the points used, and expires with its window.
 */
const BUDGET_FUNCTION = `
local function takeBudget(key, points, windowMs)
  local used = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, windowMs)
    ttl = windowMs
  end
  if used > points then return math.max(1, ttl) end
  return 0
end
`;

/** KEYS: the budget. ARGV: points, window (ms). Returns 0 when allowed, else the ms until a point is free. */
export const TAKE_BUDGET = `
${BUDGET_FUNCTION}
return takeBudget(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
`;

/**
 * roomFacts(members, bans, state, attending, mutes, user, admin, now): the facts admission's rules
 * read (Facts in server/admission.ts), as a table: role ('admin', the enrolment's, or nil),
 * banned, lockedOut, mute (nil, 'open' or its end, in force at now), sessionOpen, slowModeSec; and
 * enrolment (its JSON, or false) and attending for the script's own use.
 */
const ROOM_FACTS = `
local function roomFacts(members, bans, state, attending, mutes, user, admin, now)
  local enrolment = redis.call('HGET', members, user)
  local f = {enrolment = enrolment}
  f.banned = redis.call('SISMEMBER', bans, user) == 1
  if admin then f.role = 'admin' elseif enrolment then f.role = (decode(enrolment) or {}).role or 'participant' end
  local s = redis.call('HMGET', state, 'sessionOpen', 'slowModeSec', 'locked')
  f.attending = redis.call('SISMEMBER', attending, user) == 1
  f.lockedOut = s[3] == '1' and not f.attending
  f.sessionOpen = not s[1] or s[1] == '1'
  f.slowModeSec = tonumber(s[2] or '0') or 0
  local mute = redis.call('HGET', mutes, user)
  if mute == 'open' or (mute and tonumber(mute) > now) then f.mute = mute end
  return f
end
`;

/**
 * A group send, judged and appended in one step (Store.sendToGroup), by admission's rules for
 * 'send' (server/admission.ts).
 * KEYS: members, bans, mutes, state, the sender's slow-mode slot, seq, log, ids, cmid, epoch,
 * attending, and on one Redis server the sender's send budget (Bridge's own, see takeBudget).
 * ARGV: user id, admin ('1' | '0'), idempotency field, message id, the message JSON between its
 * seq and its sender (no braces), its sender's JSON up to the role's value, the epoch for seq 1,
 * the budget: 'take' (KEYS[12]) or the ms its limiter answered, points, window (ms); now (ms, mutes).
 * The slot holds the Redis time of the last claimed send, and the wait is measured with the
 * interval in force now, so a facilitator who shortens slow mode shortens the wait too.
 * Returns {'duplicate', json}, {'sent', seq, role} or the refusal (refusalFromReply).
 */
export const SEND_TO_GROUP = `
${APPEND_FUNCTIONS}
${DECODE}
${BUDGET_FUNCTION}
${ROOM_FACTS}
local original = resent(KEYS[9], KEYS[7], ARGV[3])
if original then return {'duplicate', original} end
local budgetWaitMs
if ARGV[8] == 'take' then
  budgetWaitMs = takeBudget(KEYS[12], tonumber(ARGV[9]), tonumber(ARGV[10]))
else
  budgetWaitMs = tonumber(ARGV[8])
end
local f = roomFacts(KEYS[1], KEYS[2], KEYS[4], KEYS[11], KEYS[3], ARGV[1], ARGV[2] == '1', tonumber(ARGV[11]))
f.budgetWaitMs = budgetWaitMs
f.slowModeWaitMs = 0
local now
if f.slowModeSec > 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local last = tonumber(redis.call('GET', KEYS[5]) or '')
  if last then f.slowModeWaitMs = math.max(0, last + f.slowModeSec * 1000 - now) end
end
${luaDecision('send')}
if f.role == 'participant' and f.slowModeSec > 0 then redis.call('SET', KEYS[5], now, 'PX', f.slowModeSec * 1000) end
local rest = ARGV[5] .. ',"sender":' .. ARGV[6] .. f.role .. '"}}'
return {'sent', append(KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], ARGV[3], ARGV[4], rest, ARGV[7]), f.role}
`;

/**
 * A join, judged in one step (Store.joinGroup) by admission's rules for 'join'. KEYS: members,
 * bans, state, mutes, attending. ARGV: user id, admin ('1' | '0'), now (ms). Returns
 * {'admitted', enrolment JSON or '', mute in force or ''} (and records the user as attending), or
 * the refusal.
 */
export const JOIN_GROUP = `
${DECODE}
${ROOM_FACTS}
local f = roomFacts(KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[4], ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]))
${luaDecision('join')}
if not f.attending then redis.call('SADD', KEYS[5], ARGV[1]) end
return {'admitted', f.enrolment or '', f.mute or ''}
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
 * KEYS: ids, log. ARGV: message id, emoji, user id. Toggles the user in the emoji's list.
 * Returns the reactions JSON, or nil when the message is missing or deleted. Rare enough that
 * decoding the message here is fine.
 */
export const TOGGLE_REACTION = `
${DECODE}
local seq = redis.call('HGET', KEYS[1], ARGV[1])
if not seq then return false end
local raw = redis.call('HGET', KEYS[2], seq)
if not raw then return false end
local m = decode(raw)
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
 * KEYS: ids, log, cmid. ARGV: message id, '1' to forget its clientMsgId too. Erases the message
 * in place (text '', no check-in, no reactions, deleted, and no clientMsgId nor its idempotency
 * entry when asked) as eraseInPlace() does (both held to the store contract's eraseMessage cases).
 * Returns the erased JSON, or nil.
 */
export const ERASE = `
${DECODE}
local seq = redis.call('HGET', KEYS[1], ARGV[1])
if not seq then return false end
local raw = redis.call('HGET', KEYS[2], seq)
if not raw then return false end
local m = decode(raw)
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

/** KEYS: audit list. ARGV: the entry JSON without its opening brace. Returns the seq. */
export const APPEND_AUDIT = `
local seq = redis.call('LLEN', KEYS[1]) + 1
redis.call('RPUSH', KEYS[1], '{"seq":' .. seq .. ',' .. ARGV[1])
return seq
`;

/**
 * KEYS: reports, order, dedupe keys. ARGV: dedupe key, report id, report JSON.
 * Returns {1} when queued, {0, existing JSON} for a duplicate.
 */
export const FILE_REPORT = `
local prev = redis.call('HGET', KEYS[3], ARGV[1])
if prev then return {0, redis.call('HGET', KEYS[1], prev)} end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return {1}
`;

/** KEYS: reports. ARGV: report id, resolver id, time. Returns the report JSON, or nil. */
export const RESOLVE_REPORT = `
${DECODE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local r = decode(raw)
if not r then return false end
if r.status ~= 'open' then return raw end
r.status = 'resolved'
r.resolvedBy = ARGV[2]
r.resolvedAt = tonumber(ARGV[3])
local out = cjson.encode(r)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * KEYS: reports. ARGV: reporter id. Drops the note of every report that reporter filed; only
 * reports that name them are decoded. Returns how many notes went.
 */
export const FORGET_REPORT_NOTES = `
${DECODE}
local all = redis.call('HGETALL', KEYS[1])
local mark = '"reporterId":' .. cjson.encode(ARGV[1])
local dropped = 0
for i = 1, #all, 2 do
  if string.find(all[i + 1], mark, 1, true) then
    local r = decode(all[i + 1])
    if r and r.reporterId == ARGV[1] and r.note ~= nil then
      r.note = nil
      redis.call('HSET', KEYS[1], all[i], cjson.encode(r))
      dropped = dropped + 1
    end
  end
end
return dropped
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
${DECODE}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local p = decode(raw)
if not p then return false end
if p.status ~= 'active' then return raw end
p.status = 'ended'
p.endedBy = ARGV[2]
p.endedAt = tonumber(ARGV[3])
local out = cjson.encode(p)
redis.call('SET', KEYS[1], out)
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return out
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
 * note (Store.settleInvite). Returns the settled invite JSON, or nil when there is none pending.
 */
export const SETTLE_INVITE = `
${DECODE}
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local i = decode(raw)
if not i or i.status ~= 'pending' then return false end
i.status = ARGV[2]
i.note = nil
local out = cjson.encode(i)
redis.call('SET', KEYS[1], out)
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return out
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
