import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessEntry } from '../../shared/index.js';
import type { AccessLog } from '../store/ports.js';

// The access log's hash chain (issue 18): each entry's MAC covers its content and the MAC before
// it, under a key that is never in Redis, so someone who can write to Redis can neither edit an
// entry, nor drop or insert one, without the chain breaking at that place.

/** JSON with object keys sorted at every level: the same entry gives the same bytes on every node. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** HMAC-SHA256 (hex) of the entry's canonical JSON without `mac` (its `prev` included). */
export function macOf(key: string, entry: Omit<AccessEntry, 'mac'> & { mac?: string }): string {
  const { mac: _mac, ...content } = entry;
  return createHmac('sha256', key).update(canonicalJson(content)).digest('hex');
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; seq: number; reason: string };

const sameMac = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Walks the chain from its anchor to its head and names the first broken link: an entry whose
 * seq is not the next one (dropped or inserted), whose `prev` is not the MAC before it, or whose
 * MAC does not match its content (edited, or written under another key).
 */
export async function verifyChain(store: AccessLog, key: string, batch = 500): Promise<ChainCheck> {
  const [anchor, head] = await Promise.all([store.accessAnchor(), store.accessHead()]);
  let prev = anchor;
  let count = 0;
  while (prev.seq < head.seq) {
    const entries = await store.accessChain(prev.seq, batch);
    if (entries.length === 0) return { ok: false, seq: prev.seq + 1, reason: 'entry missing or unreadable' };
    for (const e of entries) {
      const seq = prev.seq + 1;
      if (e.seq !== seq) return { ok: false, seq, reason: `entry carries seq ${String(e.seq)}` };
      if (typeof e.prev !== 'string' || !sameMac(e.prev, prev.mac))
        return { ok: false, seq, reason: 'prev does not match the entry before' };
      if (typeof e.mac !== 'string' || !sameMac(e.mac, macOf(key, e))) return { ok: false, seq, reason: 'MAC does not match the content' };
      prev = { seq: e.seq, mac: e.mac, at: e.at };
      count++;
    }
  }
  if (prev.mac !== head.mac) return { ok: false, seq: head.seq, reason: "the head's MAC is not the last entry's" };
  return { ok: true, entries: count };
}
