import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
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

// The send path's cost on Redis (docs/benchmarks.md): checks, slow-mode slot, flood budget and
// append are one script, so a group send is one command and one round trip.
describe('RedisStore on one Redis server', function () {
  it('makes a group send one command', async function () {
    const { store, cleanup } = await redisStore({ url: REDIS_URL, cluster: false });
    try {
      const [g, u] = [`g_${randomBytes(6).toString('hex')}`, `u_${randomBytes(6).toString('hex')}`];
      await store.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
      await store.updateRoomState(g, { slowModeSec: 1 });
      const send = (text: string) => ({
        draft: { id: `m_${randomBytes(6).toString('hex')}`, sender: { id: u, name: 'Sam' }, kind: 'text' as const, text, createdAt: Date.now() },
        admin: false, flood: { points: 100, durationSec: 60 }, now: Date.now(),
      });
      await store.sendToGroup(g, send('loads the script')); // the first call may be EVALSHA, NOSCRIPT, EVAL
      await new Promise((r) => setTimeout(r, 1100));
      const client = store.client as unknown as { sendCommand(command: { name: string }, ...rest: unknown[]): unknown };
      const commands: string[] = [];
      const original = client.sendCommand;
      client.sendCommand = function (this: unknown, command, ...rest) {
        commands.push(command.name);
        return original.call(this, command, ...rest);
      };
      const result = await store.sendToGroup(g, send('counted'));
      expect(result).to.have.property('duplicate', false);
      expect(commands).to.deep.equal(['evalsha']);
    } finally {
      await cleanup();
    }
  });
});
