// Lua functions several ports' scripts share, spliced into each script that uses them.

/**
 * decode(raw): a stored record as a table, or nil when it is not JSON. JSON.stringify writes a
 * lone surrogate as its \uXXXX escape, which cjson refuses; a record like that (stored before
 * payloads were checked for them) is read with U+FFFD in its place, so it can still be erased,
 * reacted to and trimmed, and the script that rewrites it heals it. Scripts that read a record
 * decode with this, never cjson.decode, so one bad record never fails a script.
 */
export const DECODE = `
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
 * settle(raw, from, fields): the record `raw` moved out of status `from` by `fields` (a field set
 * to false is removed), as JSON; or nil and why: 'missing' (no record, or not JSON) or
 * 'unchanged' (its status is not `from`). Ending a partnership, settling an invite and resolving
 * a report or alert are this one step; each script stores the result where it found the record.
 * Needs DECODE before it.
 */
export const SETTLE = `
local function settle(raw, from, fields)
  if not raw then return nil, 'missing' end
  local record = decode(raw)
  if not record then return nil, 'missing' end
  if record.status ~= from then return nil, 'unchanged' end
  for k, v in pairs(fields) do
    if v == false then record[k] = nil else record[k] = v end
  end
  return cjson.encode(record)
end
`;

/**
 * Lua functions the append scripts share. resent(): the JSON of the message a sender already
 * sent under this idempotency field ('' for none), or nil. append(): the next seq, the log line
 * (`{"seq":N,` and `rest`, the message JSON after its seq, so the line is written once, never
 * decoded and re-encoded), the id and idempotency indexes, and the log's epoch at seq 1.
 */
export const APPEND_FUNCTIONS = `
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
