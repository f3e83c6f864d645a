// Re-sealing every stored free text with the writing data key (`npm run data:rotate`).
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../redis-client.js';
import { withScripts } from './base.js';
import { resealed, type FieldCrypto } from './field-crypto.js';

// Each write is a compare-and-set: it lands only if the value is still the one that was read, so a
// rotation racing an erasure (or a reaction, a resolution) never writes back what was replaced.
const CAS_STRING = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`;
const CAS_HASH = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;
const CAS_LIST = `
if redis.call('LINDEX', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;
/**
 * KEYS: a sorted set, and the hash that holds its members' text after the first ':' as values
 * (a person's check-in log and its idempotency hash, or '' for none). ARGV: old member, new member.
 * Both change together, so the check-in trim still finds one by the other.
 */
const CAS_MEMBER = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], score, ARGV[2])
if KEYS[2] ~= '' then
  local old = string.sub(ARGV[1], (string.find(ARGV[1], ':', 1, true) or 0) + 1)
  local new = string.sub(ARGV[2], (string.find(ARGV[2], ':', 1, true) or 0) + 1)
  local all = redis.call('HGETALL', KEYS[2])
  for i = 1, #all, 2 do
    if all[i + 1] == old then redis.call('HSET', KEYS[2], all[i], new) end
  end
end
return 1
`;

type Scripts = {
  bridgeCasString(key: string, old: string, next: string): Promise<number>;
  bridgeCasHash(key: string, field: string, old: string, next: string): Promise<number>;
  bridgeCasList(key: string, index: number, old: string, next: string): Promise<number>;
  bridgeCasMember(key: string, paired: string, old: string, next: string): Promise<number>;
};

/** What a rotation did: values re-sealed, and values that changed between read and write (left as they are; run again). */
export type RotationResult = { keys: number; resealed: number; changed: number };

/** A check-in log's idempotency hash: rotated with its log (CAS_MEMBER), never on its own. */
const CHECKIN_LOG = /^(.*\{ck:[^}]*\}):log$/;
const CHECKIN_IDS = /\{ck:[^}]*\}:cmid$/;

/**
 * Walks every key under `prefix` (on every master of a Cluster) and re-seals each value sealed
 * with an older key than `crypto`'s writing key, then asks Redis to rewrite its append-only file
 * (which still holds the old values). `beforeWrite` is for tests: it runs between a read and its write.
 */
export async function rotateDataKeys(
  client: RedisClient,
  prefix: string,
  crypto: FieldCrypto,
  beforeWrite: (key: string) => Promise<void> = async () => {},
): Promise<RotationResult> {
  const redis = withScripts<Scripts>(client, {
    bridgeCasString: [1, CAS_STRING],
    bridgeCasHash: [1, CAS_HASH],
    bridgeCasList: [1, CAS_LIST],
    bridgeCasMember: [2, CAS_MEMBER],
  });
  const result: RotationResult = { keys: 0, resealed: 0, changed: 0 };
  const count = async (write: () => Promise<number>, key: string) => {
    await beforeWrite(key);
    if ((await write()) === 1) result.resealed++;
    else result.changed++;
  };
  for (const server of await servers(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        result.keys++;
        const type = await redis.type(key);
        if (type === 'string') {
          const old = await redis.get(key);
          const fresh = old === null ? null : resealed(crypto, old);
          if (old !== null && fresh) await count(() => redis.bridgeCasString(key, old, fresh), key);
        } else if (type === 'hash' && !CHECKIN_IDS.test(key)) {
          for (const [field, old] of Object.entries(await redis.hgetall(key))) {
            const fresh = resealed(crypto, old);
            if (fresh) await count(() => redis.bridgeCasHash(key, field, old, fresh), key);
          }
        } else if (type === 'list') {
          const rows = await redis.lrange(key, 0, -1);
          for (const [i, old] of rows.entries()) {
            const fresh = resealed(crypto, old);
            if (fresh) await count(() => redis.bridgeCasList(key, i, old, fresh), key);
          }
        } else if (type === 'zset') {
          const paired = CHECKIN_LOG.exec(key);
          for (const old of await redis.zrange(key, 0, -1)) {
            const fresh = resealed(crypto, old);
            if (fresh) await count(() => redis.bridgeCasMember(key, paired ? `${paired[1]}:cmid` : '', old, fresh), key);
          }
        }
      }
    } while (cursor !== '0');
  }
  await rewriteAppendOnlyFiles(client);
  return result;
}

/** Every master of a Cluster (a cluster client learns its nodes with the slot map, on its first command), or the one server. */
async function servers(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  await client.ping();
  return client.nodes('master');
}

/**
 * BGREWRITEAOF on every server that keeps an append-only file: it holds every value ever written,
 * erased and re-sealed ones too, until rewritten. Best effort: Redis schedules it after a rewrite
 * already running, and a failure changes nothing stored.
 */
export async function rewriteAppendOnlyFiles(client: RedisClient): Promise<void> {
  await Promise.all(
    (await servers(client)).map(async (server) => {
      try {
        if (/aof_enabled:1/.test(await server.info('persistence'))) await server.bgrewriteaof();
      } catch {
        // best effort (see above)
      }
    }),
  );
}
