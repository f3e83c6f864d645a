import type { RedisAdapter } from '@socket.io/redis-adapter';

/** MessagePack's head of the adapter's [uid, packet, opts]: a three-element array, then a six-character string. */
const ARRAY_OF_3 = 0x93;
const STR_OF_6 = 0xa6;

/**
 * Lets the Redis adapter drop this node's own broadcasts unread. Redis pub/sub hands every
 * publish back to its sender's subscription too; the adapter decodes the whole MessagePack
 * message (the text, every field) only to find its own uid and ignore it. On one node that is
 * every broadcast. Here the uid is compared in the message's first eight bytes, and an own
 * message decodes to just `[uid]`, which the adapter ignores as before; any other message (another
 * node's, a request, a shape this does not know) goes to the adapter's own parser untouched.
 * @example io.adapter((nsp: Namespace) => skipOwnEcho(makeAdapter(nsp)))
 */
export function skipOwnEcho(adapter: RedisAdapter): RedisAdapter {
  const uid = String(adapter.uid);
  const head = Buffer.from([ARRAY_OF_3, STR_OF_6, ...Buffer.from(uid, 'latin1')]);
  const { encode, decode } = adapter.parser;
  const own = (msg: unknown): boolean => {
    if (!Buffer.isBuffer(msg) || msg.length <= head.length) return false;
    for (let i = 0; i < head.length; i++) if (msg[i] !== head[i]) return false;
    return true;
  };
  // The adapter keeps its parser in a readonly field; replaced once, before any message arrives.
  (adapter as { parser: RedisAdapter['parser'] }).parser = {
    encode,
    decode: (msg: unknown): unknown => (own(msg) ? [uid] : decode(msg)),
  };
  return adapter;
}
