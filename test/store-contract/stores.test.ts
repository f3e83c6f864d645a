import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { redisKeys } from '../../server/store/keys.js';
import { createMemoryStores } from '../../server/store/memory/index.js';
import type { Stores } from '../../server/store/ports.js';
import type { RedisTarget } from '../../server/store/redis-client.js';
import type { DataKey } from '../../server/store/redis/field-crypto.js';
import { createRedisStores } from '../../server/store/redis/index.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { deleteKeys, REDIS_URL } from '../support/server.js';
import { describeAccessLogContract } from './access-log-contract.js';
import { describeAdmissionContract } from './admission-contract.js';
import { describeAgreementsContract } from './agreements-contract.js';
import { describeAlertQueueContract } from './alert-queue-contract.js';
import { describeAttendanceContract } from './attendance-contract.js';
import { describeAuditLogContract } from './audit-log-contract.js';
import { describeCheckinWatchContract } from './checkin-watch-contract.js';
import { describeCheckinsContract } from './checkins-contract.js';
import { describeEscalationQueueContract } from './escalation-queue-contract.js';
import { describePushContract } from './push-contract.js';
import { draft, uid, user } from './fixtures.js';
import { describeGroupsContract } from './groups-contract.js';
import { describeHeldContract } from './held-contract.js';
import { describeLimitsContract } from './limits-contract.js';
import { describeLogContract } from './log-contract.js';
import { describeModerationContract } from './moderation-contract.js';
import { describePartnersContract } from './partners-contract.js';
import { describePresenceContract } from './presence-contract.js';
import { describeReportQueueContract } from './report-queue-contract.js';
import { describeRoomContract } from './room-contract.js';
import { describeSessionsContract } from './sessions-contract.js';

type StoreFactory = () => Promise<{ store: Stores; cleanup: () => Promise<void> }>;

/** One contract per port, each its own describe; all of them share one store of the kind. */
const PORT_CONTRACTS: ((getStore: () => Stores) => void)[] = [
  describeGroupsContract,
  describeLogContract,
  describeRoomContract,
  describeModerationContract,
  describeAdmissionContract,
  describeAgreementsContract,
  describeAuditLogContract,
  describeAccessLogContract,
  describeReportQueueContract,
  describeAlertQueueContract,
  describeEscalationQueueContract,
  describePartnersContract,
  describeCheckinsContract,
  describeCheckinWatchContract,
  describePresenceContract,
  describeLimitsContract,
  describePushContract,
  describeSessionsContract,
  describeAttendanceContract,
  describeHeldContract,
];

/** The behavioural contract of every port (server/store/ports.ts), so the memory and Redis stores cannot drift apart. */
function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`Store contract: ${name}`, function () {
    let store: Stores;
    let cleanup: () => Promise<void> = async () => {};

    before(async function () {
      ({ store, cleanup } = await makeStore());
    });

    after(async function () {
      await cleanup();
    });

    for (const describePort of PORT_CONTRACTS) describePort(() => store);

    it('ping resolves (readiness)', async function () {
      await store.ping();
    });
  });
}

describeStoreContract('MemoryStore', async () => {
  const store = createMemoryStores();
  return { store, cleanup: () => store.close() };
});

/** A RedisStore under a fresh random prefix, whose keys are deleted afterwards. */
async function redisStore(target: RedisTarget, dataKeys: DataKey[] = []) {
  const prefix = `test:${randomBytes(8).toString('hex')}:`;
  const store = createRedisStores(target, prefix, { dataKeys });
  await store.ping();
  return {
    store,
    prefix,
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
// Free text sealed at rest (DATA_KEYS) changes nothing a port answers.
describeStoreContract('RedisStore with DATA_KEYS', () =>
  redisStore({ url: REDIS_URL, cluster: false }, [{ id: 'k1', key: randomBytes(32) }]),
);

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
      await store.groups.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
      await store.room.updateRoomState(g, { slowModeSec: 1 });
      const send = (text: string) => ({
        draft: {
          id: `m_${randomBytes(6).toString('hex')}`,
          sender: { id: u, name: 'Sam' },
          kind: 'text' as const,
          text,
          createdAt: Date.now(),
        },
        admin: false,
        flood: { points: 100, durationSec: 60 },
        now: Date.now(),
      });
      await store.admission.sendToGroup(g, send('loads the script')); // the first call may be EVALSHA, NOSCRIPT, EVAL
      await new Promise((r) => setTimeout(r, 1100));
      const client = store.client as unknown as { sendCommand(command: { name: string }, ...rest: unknown[]): unknown };
      const commands: string[] = [];
      const original = client.sendCommand.bind(client);
      client.sendCommand = (command, ...rest) => {
        commands.push(command.name);
        return original(command, ...rest);
      };
      const result = await store.admission.sendToGroup(g, send('counted'));
      expect(result).to.have.property('duplicate', false);
      expect(commands).to.deep.equal(['evalsha']);
    } finally {
      await cleanup();
    }
  });
});

// Check-ins are trimmed person by person: a record that is not what the store writes, in one
// person's log, neither stops the trim of that log nor anyone else's.
describe('RedisStore trims every check-in log past a bad record', function () {
  it('passes over a member without a place and still trims the others', async function () {
    const { store, prefix, cleanup } = await redisStore({ url: REDIS_URL, cluster: false });
    try {
      const k = redisKeys(prefix);
      const [u, other] = [uid('u'), uid('u')];
      const old = Date.now() - 10 * 86_400_000;
      const entry = (id: string) => ({ id, clientMsgId: id, at: old, mood: 3, craving: 2, used: false });
      await store.checkins.appendCheckin(u, entry('a1'));
      await store.checkins.appendCheckin(other, entry('b1'));
      await store.client.zadd(k.checkins(u), old, 'not a check-in');
      expect(await store.checkins.trimCheckinsBefore(Date.now() - 86_400_000)).to.deep.equal({ removed: 3, failed: [] });
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([]);
      expect(await store.checkins.checkinsOf(other, 0)).to.deep.equal([]);
      expect(await store.client.hlen(k.checkinClientIds(u))).to.equal(0);
    } finally {
      await cleanup();
    }
  });
});

// Redis keeps what JSON.stringify wrote, and its Lua JSON decoder refuses a lone surrogate's
// escape: before ids were checked, one such clientMsgId made its message undeletable and stopped
// every retention sweep. Records like it may still be stored, so every script must read them.
describe('RedisStore reads every record it holds', function () {
  it('reacts to, erases and trims messages stored with a lone surrogate, and passes over a record that is not JSON', async function () {
    const { store, prefix, cleanup } = await redisStore({ url: REDIS_URL, cluster: false });
    try {
      const k = redisKeys(prefix);
      const sam = user();
      const group = { id: uid('g'), name: 'Evening IOP', createdAt: Date.now(), createdBy: sam.id };
      await store.groups.createGroup(group, { userId: sam.id, role: 'facilitator', name: 'Sam' });
      const c = { kind: 'group', id: group.id } as const;
      const old = Date.now() - 10 * 86_400_000;
      // As a node stored them before ids were checked: the store itself takes any string. (Two
      // lone surrogates alone would even collide: Redis gets both as U+FFFD in the index field.)
      const append = async (clientMsgId: string) =>
        (await store.log.appendMessage(c, draft(c, sam, { clientMsgId, createdAt: old, text: `sent as ${clientMsgId.length}` }))).message;
      const [high, low, garbled, plain] = [await append('\ud800'), await append('b\udc00'), await append('g'), await append('p')];
      await store.client.hset(k.log(c), String(garbled.seq), '{"seq":3,"id":"not json any more');

      expect(await store.log.toggleReaction(c, high.id, '💪', sam.id), 'a reaction to a poisoned message').to.deep.equal({
        '💪': [sam.id],
      });
      expect(await store.log.eraseMessage(c, low.id), 'a poisoned message erased').to.deep.include({ id: low.id, text: '', deleted: true });
      expect(await store.log.toggleReaction(c, garbled.id, '💪', sam.id), 'a record that is not JSON cannot be reacted to').to.equal(null);
      expect(await store.log.eraseMessage(c, garbled.id), 'nor erased').to.equal(null);
      expect(await store.log.eraseMessage(c, plain.id), 'the others still can').to.deep.include({ id: plain.id, deleted: true });

      const fresh = (await store.log.appendMessage(c, draft(c, sam, { clientMsgId: 'fresh' }))).message;
      expect(await store.log.trimBefore(Date.now() - 86_400_000)).to.deep.equal({ removed: 4, failed: [] });
      expect((await store.log.history(c, { limit: 50 })).messages, 'retention got past all of them').to.deep.equal([fresh]);
      // A record that is not JSON cannot name its index entries; they are left pointing at nothing.
      expect((await store.client.hkeys(k.ids(c))).sort(), 'id index').to.deep.equal([garbled.id, fresh.id].sort());
      expect(await store.client.hlen(k.clientIds(c)), 'idempotency index: the fresh message and the unreadable one').to.equal(2);
      expect(await store.log.findMessage(c, garbled.id)).to.equal(null);
    } finally {
      await cleanup();
    }
  });
});
