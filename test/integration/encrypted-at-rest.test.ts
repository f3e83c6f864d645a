import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { FieldCrypto } from '../../server/store/redis/field-crypto.js';
import { createRedisStores } from '../../server/store/redis/index.js';
import { rotateDataKeys } from '../../server/store/redis/rotation.js';
import type { RedisClient } from '../../server/store/redis-client.js';
import { eventually } from '../support/client.js';
import { exitWithin, killAll, listening, PrivateRedis, spawnNode, spawnServer, type NodeProcess } from '../support/process.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { roomClients } from '../support/room.js';
import { deleteKeys, http, makeGroup, REDIS_URL, serverPool, storedText, type TestServer } from '../support/server.js';

// Issue 18 item 4 (docs/protocol.md §10 DATA_KEYS): with a data key, the free text of a
// conversation is sealed field by field in Redis, and read back as it was written.

const LIFTED = 'send=100000/1,invite=100000/1,report=100000/1';
const dataKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

/** The free-text fields one conversation writes, each with its own marker. */
const FIELDS = [
  'name',
  'group',
  'partner',
  'pcheckin',
  'checkin',
  'report',
  'resolution',
  'invite',
  'disclosure',
  'held',
  'attendance',
] as const;

/**
 * A group conversation, partner messages and a partner check-in, an own check-in, a report resolved
 * with a note, a pending invite with a note, an emergency-disclosure record, a partner message held
 * during group (quiet partner chat), an attendance correction's note; every free text carries
 * `canary-<field>`. Reads it all
 * back through the API and expects each text as written. Resolves the group and partnership.
 */
async function converse(srv: TestServer, connect: ReturnType<typeof roomClients>['connect'], canary: string) {
  const mark = (f: (typeof FIELDS)[number]) => `${canary}-${f}`;
  const fac = srv.user('facilitator');
  const [a, b, c] = [srv.user('participant', `Ana ${mark('name')}`), srv.user(), srv.user()];
  const groupId = await makeGroup(srv, fac, [a, b, c]);
  const [ca, cb, cc] = [await connect(a), await connect(b), await connect(c)];
  await ca.ok('group:join', { groupId });
  const { message } = await ca.ok('group:send', { groupId, text: `hello ${mark('group')}`, clientMsgId: 'g1' });

  const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
  const { partnership } = await cb.ok('partner:respond', { inviteId, accept: true });
  const partnershipId = partnership!.id;
  await ca.ok('partner:send', { partnershipId, text: `between us ${mark('partner')}`, clientMsgId: 'p1' });
  await ca.ok('partner:checkin', { partnershipId, mood: 3, craving: 2, clientMsgId: 'pk1', note: `shared ${mark('pcheckin')}` });
  await ca.ok('checkin:send', { mood: 4, craving: 1, used: false, clientMsgId: 'k1', note: `own ${mark('checkin')}` });
  await ca.ok('partner:invite', { userId: c.id, note: `join me ${mark('invite')}` });

  await cb.ok('group:join', { groupId });
  const { reportId } = await cb.ok('report', {
    conversation: { kind: 'group', id: groupId },
    messageId: message.id,
    reason: 'other',
    note: `please look ${mark('report')}`,
  });
  const cf = await connect(fac);
  await cf.ok('alert:resolve', { groupId, alertId: reportId, note: `talked to them ${mark('resolution')}` });

  // Read back: every text as written.
  const history = await cb.ok('group:history', { groupId, limit: 10 });
  expect(history.messages.map((m) => m.text)).to.include(`hello ${mark('group')}`);
  expect(history.messages.find((m) => m.id === message.id)!.sender.name).to.equal(`Ana ${mark('name')}`);
  const partnerPage = await cb.ok('partner:history', { partnershipId, limit: 10 });
  expect(partnerPage.messages.map((m) => m.text)).to.include(`between us ${mark('partner')}`);
  expect(partnerPage.messages.map((m) => m.checkin?.note)).to.include(`shared ${mark('pcheckin')}`);
  const reports = await http(srv.url, 'GET', `/api/groups/${groupId}/reports?status=all`, { token: fac.token });
  expect(reports.body.data.reports[0]).to.include({
    note: `please look ${mark('report')}`,
    resolutionNote: `talked to them ${mark('resolution')}`,
  });
  const disclosed = await http(srv.url, 'POST', `/api/alerts/${reportId}/disclosures`, {
    token: fac.token,
    body: {
      groupId,
      recipientName: `Dr ${mark('disclosure')}`,
      recipientAffiliation: 'County ER',
      nature: `overdose ${mark('disclosure')}`,
    },
  });
  expect(disclosed.status, disclosed.text).to.be.oneOf([200, 201]);
  const disclosures = await http(srv.url, 'GET', `/api/alerts/${reportId}/disclosures?groupId=${groupId}`, { token: fac.token });
  expect(disclosures.body.data.disclosures[0]).to.include({
    recipientName: `Dr ${mark('disclosure')}`,
    nature: `overdose ${mark('disclosure')}`,
  });

  // Both partners are in the group's open session: with quiet partner chat on, a partner message waits (§6.2).
  await cf.ok('group:join', { groupId });
  await cf.ok('mod:quiet', { groupId, quiet: true });
  const held = await ca.ok('partner:send', { partnershipId, text: `later ${mark('held')}`, clientMsgId: 'h1' });
  expect(held, 'held').to.have.property('held');
  expect((await ca.ok('partner:open', { partnershipId })).held?.map((m) => m.text)).to.deep.equal([`later ${mark('held')}`]);

  const sessions = await http(srv.url, 'GET', `/api/groups/${groupId}/attendance`, { token: fac.token });
  const attendance = `/api/groups/${groupId}/sessions/${sessions.body.data.sessions[0].id}/attendance`;
  const note = `excused ${mark('attendance')}`;
  const corrected = await http(srv.url, 'PUT', `${attendance}/${c.id}`, { token: fac.token, body: { status: 'present', note } });
  expect(corrected.status, corrected.text).to.equal(200);
  expect(JSON.stringify((await http(srv.url, 'GET', attendance, { token: fac.token })).body.data)).to.include(note);

  const invited = await cc.waitEvent('partner:invited');
  expect(invited.note).to.equal(`join me ${mark('invite')}`);
  const list = await cc.ok('partner:list', {});
  expect(JSON.stringify(list)).to.include(`join me ${mark('invite')}`);
  return { groupId, partnershipId, fac, a, b, ca, cb, mark };
}

describe('encrypted at rest (redis store, DATA_KEYS)', () => {
  const { connect, closeAll } = roomClients();
  const { start, closeAll: stopServers } = serverPool({ store: 'redis', prefix: undefined });

  afterEach(async () => {
    closeAll();
    await stopServers();
  });

  it('control: without DATA_KEYS the raw Redis values hold every canary (so the next test can fail)', async () => {
    const srv = await start({ env: { RATE_LIMITS: LIFTED } });
    const canary = `zq${randomBytes(6).toString('hex')}`;
    await converse(srv, (u, on) => connect(u, on ?? srv), canary);
    const raw = await storedText(srv.config.redisPrefix);
    for (const f of FIELDS) expect(raw, f).to.include(`${canary}-${f}`);
  });

  it('raw Redis holds no canary after a group conversation, partner messages, check-ins, reports and an invite', async () => {
    const srv = await start({ env: { RATE_LIMITS: LIFTED, DATA_KEYS: dataKey('k1') } });
    const canary = `zq${randomBytes(6).toString('hex')}`;
    await converse(srv, (u, on) => connect(u, on ?? srv), canary);
    const raw = await storedText(srv.config.redisPrefix);
    expect(raw).not.to.include(canary);
    expect(raw).to.match(/v1\.k1\.[A-Za-z0-9+/]{20}/);
  });
});

describe('encrypted at rest: data keys at start (spawned node)', () => {
  const nodes: NodeProcess[] = [];
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const prodPrefix = `test:${randomBytes(6).toString('hex')}:`;
  const env = (extra: Record<string, string>) => ({ REDIS_URL, REDIS_PREFIX: prefix, JWT_SECRET: 'x'.repeat(32), ...extra });
  const start = (extra: Record<string, string>) => {
    const node = spawnNode(env(extra));
    nodes.push(node);
    return node;
  };

  afterEach(() => killAll(nodes));
  after(async () => {
    await deleteKeys(prefix);
    await deleteKeys(prodPrefix);
  });

  it('a store written with k1 refuses a node whose k1 is another key, or that has no keys: a clear error, exit 78', async () => {
    const k1 = dataKey('k1');
    const first = start({ DATA_KEYS: k1 });
    await listening(first);
    first.child.kill('SIGTERM');
    await first.exit;

    const wrong = start({ DATA_KEYS: dataKey('k1') });
    expect((await exitWithin(wrong, 15_000)).code, wrong.stderr()).to.equal(78);
    expect(wrong.stderr()).to.match(/DATA_KEYS.*cannot read this store's data.*data key k1.*wrong/);
    expect(wrong.stderr() + wrong.stdout()).not.to.include('bridge-sentinel');

    const none = start({});
    expect((await exitWithin(none, 15_000)).code, none.stderr()).to.equal(78);
    expect(none.stderr()).to.match(/DATA_KEYS.*encrypted \(data key k1\)/);

    const right = start({ DATA_KEYS: `k2:${randomBytes(32).toString('base64')},${k1}` });
    await listening(right);
  });

  it('warns at start in production without DATA_KEYS, and rejects a malformed key naming DATA_KEYS without echoing it', async () => {
    const prod = spawnNode({ REDIS_URL, REDIS_PREFIX: prodPrefix, JWT_SECRET: 'x'.repeat(32), NODE_ENV: 'production' });
    nodes.push(prod);
    await listening(prod);
    expect(prod.stdout()).to.include('DATA_KEYS is not set');
    const bad = start({ DATA_KEYS: 'k1:c2hvcnQ=' });
    expect((await exitWithin(bad, 15_000)).code).to.equal(78);
    expect(bad.stderr()).to.include('invalid DATA_KEYS: key k1 must be 32 bytes').and.not.include('c2hvcnQ');
  });
});

describe('encrypted at rest: key rotation (redis store)', () => {
  const { connect, closeAll } = roomClients();
  const { start, closeAll: stopServers } = serverPool({ store: 'redis' });
  let prefix: string;
  const [k1, k2] = [dataKey('k1'), dataKey('k2')];

  beforeEach(() => (prefix = `test:${randomBytes(6).toString('hex')}:`));
  afterEach(async () => {
    closeAll();
    await stopServers();
    await deleteKeys(prefix);
  });

  /** Everything after `converse` on a node with only k1, that node stopped. */
  async function writtenWithK1(canary: string) {
    const srv = await start({ prefix, env: { RATE_LIMITS: LIFTED, DATA_KEYS: k1, JWT_SECRET: 'j'.repeat(32) } });
    const written = await converse(srv, (u, on) => connect(u, on ?? srv), canary);
    closeAll();
    await srv.close();
    return written;
  }

  it('npm run data:rotate re-seals every value with the new key, and with the new key alone everything written with the old one still reads', async () => {
    const canary = `zq${randomBytes(6).toString('hex')}`;
    const { groupId, partnershipId, a, b, fac, mark } = await writtenWithK1(canary);
    expect(await storedText(prefix)).to.include('v1.k1.');

    const rotate = spawnServer(process.execPath, ['--import', 'tsx', 'scripts/rotate-data-key.ts'], {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET: 'j'.repeat(32),
      DATA_KEYS: `${k2},${k1}`,
    });
    expect((await exitWithin(rotate, 30_000)).code, rotate.stderr()).to.equal(0);
    const report = JSON.parse(rotate.stdout().trim().split('\n')[0]!) as { dataKey: string; resealed: number; changed: number };
    expect(report).to.include({ dataKey: 'k2', changed: 0 });
    expect(report.resealed).to.be.greaterThan(8);
    const raw = await storedText(prefix);
    expect(raw).not.to.include('v1.k1.');
    expect(raw).to.include('v1.k2.').and.not.include(canary);

    // Only k2 now: the store's key check passes and everything reads as written.
    const onlyK2 = await start({ prefix, env: { RATE_LIMITS: LIFTED, DATA_KEYS: k2, JWT_SECRET: 'j'.repeat(32) } });
    await onlyK2.store.ping();
    const cb = await connect({ token: onlyK2.token(b) }, onlyK2);
    const joined = await cb.ok('group:join', { groupId });
    expect(joined.members.map((m) => m.name)).to.include(`Ana ${mark('name')}`);
    const history = await cb.ok('group:history', { groupId, limit: 10 });
    expect(history.messages.map((m) => m.text)).to.include(`hello ${mark('group')}`);
    expect(history.messages.map((m) => m.sender.name)).to.include(`Ana ${mark('name')}`);
    const partner = await cb.ok('partner:history', { partnershipId, limit: 10 });
    expect(partner.messages.map((m) => m.text)).to.include(`between us ${mark('partner')}`);
    const reports = await http(onlyK2.url, 'GET', `/api/groups/${groupId}/reports?status=all`, { token: onlyK2.token(fac) });
    expect(reports.body.data.reports[0]).to.include({ note: `please look ${mark('report')}` });
    const audit = await http(onlyK2.url, 'GET', `/api/groups/${groupId}/audit`, { token: onlyK2.token(fac) });
    expect(JSON.stringify(audit.body)).to.include(`talked to them ${mark('resolution')}`);
    const ca = await connect({ token: onlyK2.token(a) }, onlyK2);
    expect(JSON.stringify(await ca.ok('partner:list', {}))).to.include(`join me ${mark('invite')}`);
  });

  it('rotation never writes back a value erased between its read and its write (compare-and-set), and says so', async () => {
    const canary = `zq${randomBytes(6).toString('hex')}`;
    const { groupId } = await writtenWithK1(canary);
    const keys = [k2, k1].map((s) => ({ id: s.split(':')[0]!, key: Buffer.from(s.split(':')[1]!, 'base64') }));
    const stores = createRedisStores({ url: REDIS_URL, cluster: false }, prefix, { dataKeys: keys });
    try {
      const c = { kind: 'group', id: groupId } as const;
      const [message] = (await stores.log.history(c, { limit: 1 })).messages;
      let erased = false;
      const result = await rotateDataKeys(stores.client, prefix, new FieldCrypto(keys), async (key) => {
        if (!erased && key.endsWith(`{g:${groupId}}:log`)) {
          erased = true;
          await stores.log.eraseMessage(c, message!.id);
        }
      });
      expect(erased).to.equal(true);
      expect(result.changed).to.equal(1);
      const after = await stores.log.findMessage(c, message!.id);
      expect(after).to.include({ text: '', deleted: true });
      expect(await storedText(prefix)).not.to.include(canary);
    } finally {
      await stores.close();
    }
  });
});

describe('encrypted at rest: the append-only file after erasure and rotation', () => {
  let redis: PrivateRedis;
  before(async () => (redis = await PrivateRedis.start()));
  after(() => redis.stop());

  const rewrites = async (client: RedisClient) => Number(/aof_rewrites:(\d+)/.exec(await client.info('persistence'))?.[1] ?? -1);

  it('an erasure, then a rotation, each have Redis rewrite its append-only file (which keeps old values)', async () => {
    const keys = [{ id: 'k1', key: randomBytes(32) }];
    const stores = createRedisStores({ url: redis.url, cluster: false }, 'aof:', { dataKeys: keys });
    try {
      const c = { kind: 'group', id: 'g1' } as const;
      const draft = { id: 'm1', conversation: c, sender: { id: 'u1', name: 'Ana', role: 'participant' as const } };
      await stores.log.appendMessage(c, { ...draft, kind: 'text', text: 'to be erased', createdAt: Date.now() });
      const before = await rewrites(stores.client);
      await stores.log.eraseMessage(c, 'm1');
      await eventually(async () => (await rewrites(stores.client)) > before, 'a rewrite after the erasure', 10_000);
      const afterErase = await rewrites(stores.client);
      await eventually(
        async () => !/aof_rewrite_in_progress:1|aof_rewrite_scheduled:1/.test(await stores.client.info('persistence')),
        'the rewrite to finish',
      );
      await rotateDataKeys(stores.client, 'aof:', new FieldCrypto([{ id: 'k2', key: randomBytes(32) }, ...keys]));
      await eventually(async () => (await rewrites(stores.client)) > afterErase, 'a rewrite after the rotation', 10_000);
    } finally {
      await stores.close();
    }
  });
});

describe('encrypted at rest: rotation on a Redis Cluster', function () {
  let cluster: PrivateRedisCluster;
  before(async function () {
    this.timeout(30_000);
    cluster = await PrivateRedisCluster.start(3);
  });
  after(() => cluster.stop());

  it('re-seals on every master, a check-in log and its idempotency entries together, and everything still reads', async () => {
    const target = { url: cluster.url, cluster: true };
    const k1 = { id: 'k1', key: randomBytes(32) };
    const k2 = { id: 'k2', key: randomBytes(32) };
    const old = createRedisStores(target, 'rot:', { dataKeys: [k1] });
    const groups = ['ga', 'gb', 'gc', 'gd'];
    try {
      for (const id of groups) {
        const c = { kind: 'group', id } as const;
        const sender = { id: 'u1', name: `Ana ${id}`, role: 'participant' as const };
        await old.log.appendMessage(c, { id: `m-${id}`, conversation: c, sender, kind: 'text', text: `text ${id}`, createdAt: Date.now() });
      }
      await old.checkins.appendCheckin('u1', { id: 'c1', clientMsgId: 'k1', at: 1000, mood: 3, craving: 2, used: false, note: 'a note' });
    } finally {
      await old.close();
    }
    const both = createRedisStores(target, 'rot:', { dataKeys: [k2, k1] });
    try {
      const result = await rotateDataKeys(both.client, 'rot:', new FieldCrypto([k2, k1]));
      expect(result).to.include({ resealed: groups.length + 1, changed: 0 });
    } finally {
      await both.close();
    }
    const raw = await storedText('rot:', target);
    expect(raw).to.include('v1.k2.').and.not.include('v1.k1.');
    const only = createRedisStores(target, 'rot:', { dataKeys: [k2] });
    try {
      for (const id of groups) {
        const [m] = (await only.log.history({ kind: 'group', id }, { limit: 1 })).messages;
        expect(m).to.deep.include({ text: `text ${id}`, sender: { id: 'u1', name: `Ana ${id}`, role: 'participant' } });
      }
      expect((await only.checkins.checkinsOf('u1', 0)).map((c) => c.note)).to.deep.equal(['a note']);
      // The idempotency entry moved with the log entry: a resend answers the original, and retention removes both.
      const resend = await only.checkins.appendCheckin('u1', { id: 'c2', clientMsgId: 'k1', at: 2000, mood: 1, craving: 1, used: false });
      expect(resend).to.deep.include({ duplicate: true });
      expect(await only.checkins.trimCheckinsBefore(5000)).to.deep.equal({ removed: 1, failed: [] });
      expect(await storedText('rot:', target)).not.to.include('"c1"');
    } finally {
      await only.close();
      await deleteKeys('rot:', target);
    }
  });
});
