import { randomBytes } from 'node:crypto';
import { MemoryStore } from '../../server/store/memory.js';
import { RedisStore } from '../../server/store/redis.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describeStoreContract('RedisStore', async () => {
  const prefix = `test:${randomBytes(8).toString('hex')}:`;
  const store = new RedisStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
  await store.ping();
  return {
    store,
    cleanup: async () => {
      try {
        const redis = store.client;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await store.close();
      }
    },
  };
});
