// `npm run data:rotate`: re-seals every stored free text with the first of DATA_KEYS (docs/protocol.md
// §9), with the node's own environment. Run it after putting a new key first; then the old key
// can be dropped from DATA_KEYS.
import { loadConfig } from '../server/config.js';
import { ConfigError } from '../server/errors.js';
import { connectRedis } from '../server/store/redis-client.js';
import { DataKeyError, FieldCrypto } from '../server/store/redis/field-crypto.js';
import { rotateDataKeys } from '../server/store/redis/rotation.js';

try {
  const config = loadConfig();
  if (!config.redis) throw new ConfigError('invalid REDIS_URL: rotation re-seals what Redis stores; set REDIS_URL');
  if (!config.dataKeys.length) throw new ConfigError('invalid DATA_KEYS: set the new key first, then the old ones');
  const client = connectRedis(config.redis);
  try {
    const r = await rotateDataKeys(client, config.redisPrefix, new FieldCrypto(config.dataKeys));
    console.log(JSON.stringify({ dataKey: config.dataKeys[0]!.id, ...r }));
    if (r.changed) console.log(`${r.changed} values changed while being re-sealed and were left as they are; run again`);
  } finally {
    client.disconnect();
  }
} catch (err) {
  // A value sealed with a key DATA_KEYS lacks stops the walk: what was re-sealed so far stays re-sealed.
  if (!(err instanceof ConfigError || err instanceof DataKeyError)) throw err;
  console.error(`data:rotate: ${err.message}`);
  process.exit(78);
}
