import { randomBytes } from 'node:crypto';
import { MemoryStore } from '../../server/store/memory.js';
import { RedisStore } from '../../server/store/redis.js';
import type { RedisTarget } from '../../server/store/redis-client.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { deleteKeys, REDIS_URL } from '../support/server.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

/** A RedisStore under a fresh random prefix, whose keys are deleted afterwards. */
async function redisStore(target: RedisTarget) {
  const prefix = `test:${randomBytes(8).toString('hex')}:`;
  const store = new RedisStore(target, prefix);
  await store.ping();
  return {
    store,
    cleanup: async () => {
      try {
        await deleteKeys(prefix, target);
      } finally {
        await store.close();
      }
    },
  };
}

describeStoreContract('RedisStore', () => redisStore({ url: REDIS_URL, cluster: false }));

// The same contract on a three-master Redis Cluster of the suite's own: every script must stay in
// one slot and every multi-key command must be one the cluster accepts.
describe('on a Redis Cluster', function () {
  let cluster: PrivateRedisCluster | undefined;
  before(async function () {
    this.timeout(30_000);
    cluster = await PrivateRedisCluster.start(3);
  });
  after(async () => cluster?.stop());
  describeStoreContract('RedisStore', () => redisStore({ url: cluster!.url, cluster: true }));
});
