import type { AccessEntry, Disclosure } from '../../../shared/index.js';
import type { AccessLog, DisclosureRecords } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { accessMatches, NO_LINK, type AccessQuery, type ChainLink } from '../store.js';
import { withScripts, type RedisBase } from './base.js';
import { DECODE } from './lua.js';

/**
 * KEYS: entries, head, index. ARGV: seq, prev, mac, at, entry JSON, index members…
 * The compare-and-append: writes only onto the head the MAC was computed against; else returns
 * the head as it stands ({0, seq, mac, at}).
 */
const APPEND_ACCESS = `
local head = redis.call('HMGET', KEYS[2], 'seq', 'mac', 'at')
local seq, mac = tonumber(head[1] or '0'), head[2] or ''
if seq + 1 ~= tonumber(ARGV[1]) or mac ~= ARGV[2] then return {0, tostring(seq), mac, head[3] or '0'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
redis.call('HSET', KEYS[2], 'seq', ARGV[1], 'mac', ARGV[3], 'at', ARGV[4])
for i = 6, #ARGV do redis.call('ZADD', KEYS[3], 0, ARGV[i]) end
return {1}
`;

/**
 * KEYS: entries, anchor, index. ARGV: cutoff, most to remove. Removes entries older than the
 * cutoff from the oldest on, with their index members, and moves the anchor to the last one.
 * An entry that is not JSON stops the trim (verification reports it).
 */
const TRIM_ACCESS = `${DECODE}
local a = redis.call('HMGET', KEYS[2], 'seq')
local seq = tonumber(a[1] or '0')
local n = 0
while n < tonumber(ARGV[2]) do
  local raw = redis.call('HGET', KEYS[1], tostring(seq + 1))
  if not raw then break end
  local e = decode(raw)
  if not e or type(e.at) ~= 'number' or e.at >= tonumber(ARGV[1]) then break end
  seq = seq + 1
  local padded = string.format('%012d', seq)
  if type(e.about) == 'table' then
    for _, u in ipairs(e.about) do redis.call('ZREM', KEYS[3], 'p:' .. tostring(u) .. ':' .. padded) end
  end
  if type(e.actor) == 'table' then redis.call('ZREM', KEYS[3], 'a:' .. tostring(e.actor.id) .. ':' .. padded) end
  redis.call('HDEL', KEYS[1], tostring(seq))
  redis.call('HSET', KEYS[2], 'seq', seq, 'mac', tostring(e.mac), 'at', e.at)
  n = n + 1
end
return n
`;

/** KEYS: records, order, the alert's list. ARGV: id, recordedAt, JSON. Written once: a known id is left as it is. */
const ADD_DISCLOSURE = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[1])
return 1
`;

type AccessScripts = {
  bridgeAppendAccess(entries: string, head: string, index: string, ...argv: string[]): Promise<[number, string?, string?, string?]>;
  bridgeTrimAccess(entries: string, anchor: string, index: string, cutoff: number, most: number): Promise<number>;
};
type DisclosureScripts = {
  bridgeAddDisclosure(records: string, order: string, alert: string, id: string, at: number, json: string): Promise<number>;
};

const BATCH = 200;
const TRIM_BATCH = 1000;
const pad = (seq: number) => String(seq).padStart(12, '0');
/** A stored entry, or null when it is missing or not JSON (someone wrote to Redis by hand). */
function parsed(raw: string | null): AccessEntry | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as AccessEntry;
  } catch {
    return null;
  }
}
const link = (h: (string | null)[]): ChainLink => (h[0] ? { seq: Number(h[0]), mac: h[1] ?? '', at: Number(h[2] ?? 0) } : { ...NO_LINK });

/**
 * The access log in Redis, all under the `{al}` hash tag: entries (a hash by seq), the head and
 * the anchor (hashes), and one index (a sorted set of `p:<person>:<seq>` and `a:<actor>:<seq>`
 * members, read by lexical range) that the filters walk instead of the whole log.
 */
export class RedisAccessLog implements AccessLog {
  private readonly redis: RedisClient & AccessScripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<AccessScripts>(base.client, {
      bridgeAppendAccess: [3, APPEND_ACCESS],
      bridgeTrimAccess: [3, TRIM_ACCESS],
    });
  }

  async accessHead(): Promise<ChainLink> {
    return link(await this.redis.hmget(this.base.k.accessHead(), 'seq', 'mac', 'at'));
  }

  async appendAccess(entry: AccessEntry): Promise<{ appended: true } | { appended: false; head: ChainLink }> {
    const k = this.base.k;
    const index = [...new Set(entry.about)].map((u) => `p:${u}:${pad(entry.seq)}`).concat(`a:${entry.actor.id}:${pad(entry.seq)}`);
    const [ok, seq, mac, at] = await this.redis.bridgeAppendAccess(
      k.accessEntries(),
      k.accessHead(),
      k.accessIndex(),
      String(entry.seq),
      entry.prev,
      entry.mac,
      String(entry.at),
      JSON.stringify(entry),
      ...index,
    );
    return ok === 1 ? { appended: true } : { appended: false, head: link([seq!, mac!, at!]) };
  }

  async accessEntries(q: AccessQuery): Promise<{ entries: AccessEntry[]; hasMore: boolean }> {
    const out: AccessEntry[] = [];
    const by = q.person !== undefined ? `p:${q.person}:` : q.actor !== undefined ? `a:${q.actor}:` : undefined;
    const [head, anchor] = await Promise.all([this.accessHead(), this.accessAnchor()]);
    let below = Math.min(q.beforeSeq ?? Infinity, head.seq + 1);
    for (;;) {
      const seqs = by === undefined ? this.seqsBelow(below, anchor.seq) : await this.indexedBelow(by, below);
      if (seqs.length === 0) return { entries: out, hasMore: false };
      const rows = await this.redis.hmget(this.base.k.accessEntries(), ...seqs.map(String));
      for (const raw of rows) {
        const e = parsed(raw);
        if (!e) continue;
        if (q.from !== undefined && e.at < q.from) return { entries: out, hasMore: false };
        if (!accessMatches(e, q)) continue;
        if (out.length === q.limit) return { entries: out, hasMore: true };
        out.push(e);
      }
      below = seqs.at(-1)!;
    }
  }

  /** Up to a batch of seqs below `below`, newest first, down to the anchor. */
  private seqsBelow(below: number, floor: number): number[] {
    const out: number[] = [];
    for (let s = below - 1; s > floor && out.length < BATCH; s--) out.push(s);
    return out;
  }

  private async indexedBelow(prefix: string, below: number): Promise<number[]> {
    const max = `(${prefix}${pad(below)}`;
    const members = await this.redis.zrevrangebylex(this.base.k.accessIndex(), max, `[${prefix}`, 'LIMIT', 0, BATCH);
    return members.map((m) => Number(m.slice(prefix.length)));
  }

  async accessChain(afterSeq: number, limit: number): Promise<AccessEntry[]> {
    const [head, anchor] = await Promise.all([this.accessHead(), this.accessAnchor()]);
    const seqs: string[] = [];
    for (let s = Math.max(afterSeq, anchor.seq) + 1; s <= head.seq && seqs.length < limit; s++) seqs.push(String(s));
    if (seqs.length === 0) return [];
    const rows = await this.redis.hmget(this.base.k.accessEntries(), ...seqs);
    // A missing or unreadable entry ends the walk there: verification reports the gap.
    const out: AccessEntry[] = [];
    for (const raw of rows) {
      const e = parsed(raw);
      if (!e) break;
      out.push(e);
    }
    return out;
  }

  async accessAnchor(): Promise<ChainLink> {
    return link(await this.redis.hmget(this.base.k.accessAnchor(), 'seq', 'mac', 'at'));
  }

  async trimAccessBefore(cutoff: number): Promise<number> {
    const k = this.base.k;
    let total = 0;
    for (;;) {
      const n = await this.redis.bridgeTrimAccess(k.accessEntries(), k.accessAnchor(), k.accessIndex(), cutoff, TRIM_BATCH);
      total += n;
      if (n < TRIM_BATCH) return total;
    }
  }
}

/** Disclosure records in Redis under the `{dc}` hash tag: the records (a hash), their order, and each alert's list. */
export class RedisDisclosures implements DisclosureRecords {
  private readonly redis: RedisClient & DisclosureScripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<DisclosureScripts>(base.client, { bridgeAddDisclosure: [3, ADD_DISCLOSURE] });
  }

  async addDisclosure(d: Disclosure): Promise<void> {
    const k = this.base.k;
    await this.redis.bridgeAddDisclosure(
      k.disclosures(),
      k.disclosureOrder(),
      k.alertDisclosures(d.alertId),
      d.id,
      d.recordedAt,
      this.base.crypto.stringify('disclosure', d),
    );
  }

  async disclosure(id: string): Promise<Disclosure | null> {
    const raw = await this.redis.hget(this.base.k.disclosures(), id);
    return raw ? this.base.crypto.parse<Disclosure>('disclosure', raw) : null;
  }

  async disclosuresOf(alertId: string): Promise<Disclosure[]> {
    return this.read(await this.redis.lrange(this.base.k.alertDisclosures(alertId), 0, -1));
  }

  async allDisclosures(): Promise<Disclosure[]> {
    return this.read(await this.redis.zrange(this.base.k.disclosureOrder(), 0, -1));
  }

  private async read(ids: string[]): Promise<Disclosure[]> {
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(this.base.k.disclosures(), ...ids);
    return rows.flatMap((raw) => (raw ? [this.base.crypto.parse<Disclosure>('disclosure', raw)] : []));
  }
}
