// `npm run audit:verify`: walks the access log's hash chain in Redis (issue 18) and prints
// "ok: N entries", or "broken at seq N (<reason>)" and exits 1. Reads REDIS_URL, REDIS_PREFIX,
// REDIS_CLUSTER and ACCESS_LOG_KEY as a node does; the key must be the one the nodes chained under.
import { verifyChain } from '../server/access/chain.js';
import { createRedisStores } from '../server/store/redis/index.js';

const { REDIS_URL, REDIS_PREFIX = 'bridge:', REDIS_CLUSTER, ACCESS_LOG_KEY } = process.env;
if (!REDIS_URL || !ACCESS_LOG_KEY || ACCESS_LOG_KEY.length < 32) {
  console.error('audit:verify needs REDIS_URL and ACCESS_LOG_KEY (at least 32 characters)');
  process.exit(2);
}
const store = createRedisStores({ url: REDIS_URL, cluster: REDIS_CLUSTER === 'true' || REDIS_CLUSTER === '1' }, REDIS_PREFIX);
try {
  const check = await verifyChain(store.accessLog, ACCESS_LOG_KEY);
  if (check.ok) console.log(`ok: ${check.entries} entries`);
  else console.log(`broken at seq ${check.seq} (${check.reason})`);
  process.exitCode = check.ok ? 0 : 1;
} finally {
  await store.close();
}
