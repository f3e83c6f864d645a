// Admission's Lua (RedisAdmission): a group's keys share its hash tag; the rules themselves are
// generated from server/admission.ts (luaDecision), so the order lives in one place.
import { luaDecision } from '../../admission.js';
import { BUDGET_FUNCTION } from './limits.js';
import { APPEND_FUNCTIONS, DECODE } from './lua.js';

/**
 * roomFacts(members, bans, state, attending, mutes, windows, user, admin, now): the facts admission's
 * rules read (Facts in server/admission.ts), as a table: role ('admin', the enrolment's, or nil),
 * banned, locked, waitingRoom, admitted (attending this session), mute (nil, 'open' or its end, in
 * force at now), sessionOpen, slowModeSec; and enrolment (its JSON, or false) for the script's own use. A group on a schedule
 * (state's `scheduled`) has a session open when the last window starting at or before now ends
 * after it (windows never overlap; members are 'start:end:id'); else the sessionOpen setting holds.
 */
const ROOM_FACTS = `
local function roomFacts(members, bans, state, attending, mutes, windows, user, admin, now)
  local enrolment = redis.call('HGET', members, user)
  local f = {enrolment = enrolment}
  f.banned = redis.call('SISMEMBER', bans, user) == 1
  if admin then f.role = 'admin' elseif enrolment then f.role = (decode(enrolment) or {}).role or 'participant' end
  local s = redis.call('HMGET', state, 'sessionOpen', 'slowModeSec', 'locked', 'scheduled', 'waitingRoom')
  f.admitted = redis.call('SISMEMBER', attending, user) == 1
  f.locked = s[3] == '1'
  f.waitingRoom = s[5] == '1'
  if s[4] == '1' then
    local w = redis.call('ZREVRANGEBYSCORE', windows, now, '-inf', 'LIMIT', 0, 1)[1]
    f.sessionOpen = w ~= nil and tonumber(string.match(w, '^%d+:(%d+):')) > now
  else
    f.sessionOpen = not s[1] or s[1] == '1'
  end
  f.slowModeSec = tonumber(s[2] or '0') or 0
  local mute = redis.call('HGET', mutes, user)
  if mute == 'open' or (mute and tonumber(mute) > now) then f.mute = mute end
  return f
end
`;

/**
 * agreementFacts(agreement, accepts, joins, user, action): the version of the group's agreement
 * the user has yet to accept, as {version, text} (the current ones), or nil; and the current
 * version (0 when none). A join asks for the current version; a send for the one current at the
 * user's last join (KEYS joins), or the current one if they never joined.
 */
const AGREEMENT_FACTS = `
local function agreementFacts(agreement, accepts, joins, user, action)
  local a = redis.call('HMGET', agreement, 'version', 'text')
  local current = tonumber(a[1] or '0') or 0
  if current == 0 then return nil, 0 end
  local asked = current
  if action == 'send' then asked = tonumber(redis.call('HGET', joins, user) or '') or current end
  local mine = redis.call('HGET', accepts, user)
  local accepted = 0
  if mine then accepted = tonumber(string.match(mine, '^(%d+):') or '0') or 0 end
  if accepted < asked then return {version = current, text = a[2] or ''}, current end
  return nil, current
end
`;

/**
 * A group send, judged and appended in one step (RoomAdmission.sendToGroup), by admission's rules for
 * 'send' (server/admission.ts).
 * KEYS: members, bans, mutes, state, the sender's slow-mode slot, seq, log, ids, cmid, epoch,
 * attending, session windows, agreement, its acceptances, its joins, and on one Redis server the
 * sender's send budget (Bridge's own, see takeBudget). ARGV: user id, admin ('1' | '0'),
 * idempotency field, message id, the message JSON between its seq and its sender (no braces), its
 * sender's JSON up to the role's value, the epoch for seq 1, the budget: 'take' (KEYS[16]) or the
 * ms its limiter answered, points, window (ms); now (ms: mutes and session windows); the
 * Announcement's channel and its three parts, or four empty strings (published with the append:
 * parts[1], the seq, parts[2], the role, parts[3], the seq and role as MessagePack).
 * The slot holds the Redis time of the last claimed send, and the wait is measured with the
 * interval in force now, so a facilitator who shortens slow mode shortens the wait too.
 * Returns {'duplicate', json}, {'sent', seq, role} or the refusal (refusalFromReply).
 */
export const SEND_TO_GROUP = `
${APPEND_FUNCTIONS}
${DECODE}
${BUDGET_FUNCTION}
${ROOM_FACTS}
${AGREEMENT_FACTS}
local original = resent(KEYS[9], KEYS[7], ARGV[3])
if original then return {'duplicate', original} end
local budgetWaitMs
if ARGV[8] == 'take' then
  budgetWaitMs = takeBudget(KEYS[16], tonumber(ARGV[9]), tonumber(ARGV[10]))
else
  budgetWaitMs = tonumber(ARGV[8])
end
local f = roomFacts(KEYS[1], KEYS[2], KEYS[4], KEYS[11], KEYS[3], KEYS[12], ARGV[1], ARGV[2] == '1', tonumber(ARGV[11]))
f.budgetWaitMs = budgetWaitMs
f.agreementPending = agreementFacts(KEYS[13], KEYS[14], KEYS[15], ARGV[1], 'send')
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
local seq = append(KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], ARGV[3], ARGV[4], rest, ARGV[7])
if ARGV[12] ~= '' then
  redis.call('PUBLISH', ARGV[12], ARGV[13] .. cmsgpack.pack(seq) .. ARGV[14] .. cmsgpack.pack(f.role) .. ARGV[15])
end
return {'sent', seq, f.role}
`;

/**
 * A join, judged in one step (RoomAdmission.joinGroup) by admission's rules for 'join'. KEYS: members,
 * bans, state, mutes, attending, session windows, agreement, its acceptances, its joins, waiting.
 * ARGV: user id, admin ('1' | '0'), now (ms). An enrolled participant's join, admitted or not,
 * records the agreement's current version as what their sends ask for. Returns {'admitted',
 * enrolment JSON or '', mute in force or ''} (and records the user as attending, off the waiting
 * list); {'waits', since, 1 when this join put them on the list} when the waiting rule refuses them
 * with the waiting room on (and puts them on the list, keeping an earlier since); or the refusal.
 */
export const JOIN_GROUP = `
${DECODE}
${ROOM_FACTS}
${AGREEMENT_FACTS}
local f = roomFacts(KEYS[1], KEYS[2], KEYS[3], KEYS[5], KEYS[4], KEYS[6], ARGV[1], ARGV[2] == '1', tonumber(ARGV[3]))
local current
f.agreementPending, current = agreementFacts(KEYS[7], KEYS[8], KEYS[9], ARGV[1], 'join')
if f.role == 'participant' then redis.call('HSET', KEYS[9], ARGV[1], current) end
local function judge()
${luaDecision('join')}
end
local refusal = judge()
if refusal and refusal[1] == 'waiting' and refusal[2] == 1 then
  local knocked = redis.call('ZADD', KEYS[10], 'NX', ARGV[3], ARGV[1])
  return {'waits', redis.call('ZSCORE', KEYS[10], ARGV[1]), knocked}
end
if refusal then return refusal end
redis.call('ZREM', KEYS[10], ARGV[1])
if not f.admitted then redis.call('SADD', KEYS[5], ARGV[1]) end
return {'admitted', f.enrolment or '', f.mute or ''}
`;

/**
 * Lets people in from the waiting list (RoomModeration.admitWaiting). KEYS: waiting, attending. ARGV:
 * the user ids, or none for everyone waiting. Returns id, since, id, since… of those who were
 * waiting (now attending).
 */
export const ADMIT_WAITING = `
local ids = ARGV
if #ids == 0 then ids = redis.call('ZRANGE', KEYS[1], 0, -1) end
local admitted = {}
for _, id in ipairs(ids) do
  local since = redis.call('ZSCORE', KEYS[1], id)
  if since then
    redis.call('ZREM', KEYS[1], id)
    redis.call('SADD', KEYS[2], id)
    admitted[#admitted + 1] = id
    admitted[#admitted + 1] = since
  end
end
return admitted
`;

/** Takes one person off the waiting list (RoomModeration.leaveWaiting). KEYS: waiting. ARGV: user id. Returns since, or nil. */
export const LEAVE_WAITING = `
local since = redis.call('ZSCORE', KEYS[1], ARGV[1])
if since then redis.call('ZREM', KEYS[1], ARGV[1]) end
return since
`;
