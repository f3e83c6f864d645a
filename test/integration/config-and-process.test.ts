import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { expect } from 'chai';
import { loadConfig } from '../../server/config.js';
import { ConfigError } from '../../server/errors.js';
import { waitFor } from '../support/client.js';
import {
  exitWithin,
  freePort,
  killAll,
  listening,
  PrivateRedis,
  spawnNode as spawnNodeProcess,
  spawnServer,
  type NodeProcess,
} from '../support/process.js';
import { roomClients } from '../support/room.js';
import { deleteKeys, http, REDIS_URL } from '../support/server.js';

// A P-256 key pair's shape (base64url): what loadConfig checks; web-push checks the curve.
const VAPID_PUBLIC = `B${'A'.repeat(86)}`;
const VAPID_PRIVATE = 'k'.repeat(43);

const SECRET = 's'.repeat(40);
const rsaPublicKey = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).publicKey;
const ecPublicKey = () =>
  generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).publicKey;

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return err as ConfigError;
  }
  return expect.fail(`expected ${JSON.stringify(env)} to be refused`);
}

describe('configuration (loadConfig)', () => {
  it('uses the documented defaults for an empty environment, in demo mode with a fresh secret', () => {
    const config = loadConfig({});
    expect(config.jwt.key).to.match(/^[0-9a-f]{64}$/);
    expect(config).to.deep.equal({
      env: 'development',
      port: 3000,
      host: '0.0.0.0',
      redis: undefined,
      redisPrefix: 'bridge:',
      dataKeys: [],
      durability: 'default',
      jwt: {
        key: config.jwt.key,
        algorithms: ['HS256'],
        issuer: undefined,
        audience: undefined,
        clockToleranceSec: 5,
        maxLifetimeSec: 86_400,
      },
      corsOrigins: [],
      retentionDays: 30,
      retentionSweepMs: 600_000,
      accessLog: { key: config.accessLog.key, ephemeral: true, retentionDays: 2190, node: hostname() },
      logLevel: 'info',
      demo: true,
      rateLimits: {
        send: { points: 20, durationSec: 10 },
        react: { points: 30, durationSec: 10 },
        hand: { points: 10, durationSec: 10 },
        report: { points: 10, durationSec: 60 },
        invite: { points: 10, durationSec: 3600 },
        invalid: { points: 20, durationSec: 60 },
        typing: { points: 10, durationSec: 5 },
      },
      partnerLimit: 3,
      checkinAlerts: { craving: 8, jump: 4, used: true, silenceHours: 26 },
      presenceTtlMs: 15_000,
      sessionCheckMs: 1000,
      connections: { maxPerUser: 20, connectTimeoutMs: 5000 },
      metrics: { token: undefined, port: undefined },
      safety: { phrasesFile: undefined, resourcesFile: undefined },
      escalation: { afterMs: 120_000, repeatMs: 300_000, onCall: { userIds: [], admins: false }, webhook: undefined },
      push: undefined,
      idleLogoffSec: 900,
    });
    expect(loadConfig({}).jwt.key).not.to.equal(config.jwt.key);
    expect(config.accessLog.key).to.match(/^[0-9a-f]{64}$/);
    expect(loadConfig({}).accessLog.key).not.to.equal(config.accessLog.key);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '', REDIS_URL: '', JWT_SECRET: SECRET, JWT_PUBLIC_KEY: '' });
    expect(config.port).to.equal(3000);
    expect(config.logLevel).to.equal('info');
    expect(config.redis).to.equal(undefined);
    expect(config.jwt.key).to.equal(SECRET);
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      REDIS_URL: 'rediss://cache.internal:6380/2',
      REDIS_CLUSTER: 'false',
      REDIS_PREFIX: 'bridge-prod:',
      STORE_DURABILITY: 'fsync',
      DATA_KEYS: `k2:${Buffer.alloc(32, 2).toString('base64')}, k1:${Buffer.alloc(32, 1).toString('base64')}`,
      JWT_SECRET: SECRET,
      JWT_ALGORITHMS: 'HS384, HS256',
      JWT_ISSUER: 'https://idp.example.org',
      JWT_AUDIENCE: 'bridge',
      JWT_CLOCK_TOLERANCE_SEC: '10',
      JWT_MAX_LIFETIME_SEC: '3600',
      CORS_ORIGINS: 'https://a.example.org, https://b.example.org',
      RETENTION_DAYS: '7',
      RETENTION_SWEEP_SEC: '60',
      ACCESS_LOG_KEY: 'a'.repeat(32),
      ACCESS_LOG_RETENTION_DAYS: '365',
      NODE_ID: 'node-a.eu-1',
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'send=5/2, report=1/600',
      PARTNER_LIMIT: '5',
      CHECKIN_CRAVING_ALERT: '6',
      CHECKIN_JUMP_ALERT: '3',
      CHECKIN_SILENCE_HOURS: '0.5',
      PRESENCE_TTL_SEC: '6',
      SESSION_CHECK_MS: '250',
      MAX_CONNECTIONS_PER_USER: '5',
      CONNECT_TIMEOUT_MS: '2000',
      METRICS_TOKEN: 'm'.repeat(16),
      METRICS_PORT: '9100',
      CRISIS_PHRASES_FILE: '/etc/bridge/phrases.txt',
      CRISIS_RESOURCES_FILE: '/etc/bridge/resources.json',
      ESCALATE_AFTER_SEC: '60',
      ESCALATION_REPEAT_SEC: '600',
      ON_CALL: 'u-1, role:admin ,u-2',
      ESCALATION_WEBHOOK_URL: 'https://pager.example.org/bridge',
      ESCALATION_WEBHOOK_SECRET: 's'.repeat(32),
      VAPID_PUBLIC_KEY: VAPID_PUBLIC,
      VAPID_PRIVATE_KEY: VAPID_PRIVATE,
      VAPID_SUBJECT: 'mailto:ops@example.org',
      PUSH_HOSTS: 'fcm.googleapis.com, *.notify.windows.com',
      IDLE_LOGOFF_SEC: '600',
    });
    expect(config).to.deep.equal({
      env: 'production',
      port: 8080,
      host: '127.0.0.1',
      redis: { url: 'rediss://cache.internal:6380/2', cluster: false },
      redisPrefix: 'bridge-prod:',
      dataKeys: [
        { id: 'k2', key: Buffer.alloc(32, 2) },
        { id: 'k1', key: Buffer.alloc(32, 1) },
      ],
      durability: 'fsync',
      jwt: {
        key: SECRET,
        algorithms: ['HS384', 'HS256'],
        issuer: 'https://idp.example.org',
        audience: 'bridge',
        clockToleranceSec: 10,
        maxLifetimeSec: 3600,
      },
      corsOrigins: ['https://a.example.org', 'https://b.example.org'],
      retentionDays: 7,
      retentionSweepMs: 60_000,
      accessLog: { key: 'a'.repeat(32), ephemeral: false, retentionDays: 365, node: 'node-a.eu-1' },
      logLevel: 'warn',
      demo: false,
      rateLimits: {
        send: { points: 5, durationSec: 2 },
        react: { points: 30, durationSec: 10 },
        hand: { points: 10, durationSec: 10 },
        report: { points: 1, durationSec: 600 },
        invite: { points: 10, durationSec: 3600 },
        invalid: { points: 20, durationSec: 60 },
        typing: { points: 10, durationSec: 5 },
      },
      partnerLimit: 5,
      checkinAlerts: { craving: 6, jump: 3, used: true, silenceHours: 0.5 },
      presenceTtlMs: 6000,
      sessionCheckMs: 250,
      connections: { maxPerUser: 5, connectTimeoutMs: 2000 },
      metrics: { token: 'm'.repeat(16), port: 9100 },
      safety: { phrasesFile: '/etc/bridge/phrases.txt', resourcesFile: '/etc/bridge/resources.json' },
      escalation: {
        afterMs: 60_000,
        repeatMs: 600_000,
        onCall: { userIds: ['u-1', 'u-2'], admins: true },
        webhook: { url: 'https://pager.example.org/bridge', secret: 's'.repeat(32) },
      },
      push: {
        publicKey: VAPID_PUBLIC,
        privateKey: VAPID_PRIVATE,
        subject: 'mailto:ops@example.org',
        hosts: ['fcm.googleapis.com', '*.notify.windows.com'],
      },
      idleLogoffSec: 600,
    });
  });

  it('takes an http ESCALATION_WEBHOOK_URL only to the loopback (a test receiver), https anywhere', () => {
    const secret = 's'.repeat(32);
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:8080/hook', 'http://[::1]:9/hook'])
      expect(loadConfig({ ESCALATION_WEBHOOK_URL: url, ESCALATION_WEBHOOK_SECRET: secret }).escalation.webhook).to.deep.equal({
        url,
        secret,
      });
    expect(configError({ ESCALATION_WEBHOOK_URL: 'http://10.0.0.1/hook', ESCALATION_WEBHOOK_SECRET: secret }).message).to.match(
      /^invalid ESCALATION_WEBHOOK_URL\b/,
    );
  });

  it('reads REDIS_CLUSTER: REDIS_URL is then one node of the cluster', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, REDIS_URL: 'redis://:pw@cache.internal:7000', REDIS_CLUSTER: 'true' }).redis).to.deep.equal({
      url: 'redis://:pw@cache.internal:7000',
      cluster: true,
    });
  });

  it('pins RS256 by default when a public key is configured', () => {
    const key = rsaPublicKey();
    const config = loadConfig({ JWT_PUBLIC_KEY: key });
    expect(config.jwt).to.deep.include({ key, algorithms: ['RS256'] });
    expect(config.demo).to.equal(false);
    expect(loadConfig({ JWT_PUBLIC_KEY: ecPublicKey(), JWT_ALGORITHMS: 'ES256' }).jwt.algorithms).to.deep.equal(['ES256']);
  });

  const bad: [variable: string, env: NodeJS.ProcessEnv][] = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '3000.5' }],
    ['PORT', { PORT: '   ' }],
    ['PORT', { PORT: '0x50' }],
    ['REDIS_URL', { REDIS_URL: 'http://cache.internal:6379' }],
    ['REDIS_URL', { REDIS_URL: 'not a url' }],
    ['REDIS_URL', { REDIS_URL: 'redis://' }],
    ['HOST', { HOST: '   ' }],
    ['REDIS_PREFIX', { REDIS_PREFIX: 'has spaces' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short-a-secret' }],
    ['JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: 'not a pem' }],
    ['JWT_PUBLIC_KEY', { JWT_PUBLIC_KEY: 'PUBLIC KEY', JWT_SECRET: SECRET }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['JWT_ALGORITHMS', { JWT_SECRET: SECRET, JWT_ALGORITHMS: 'HS256,RS256' }],
    ['JWT_ALGORITHMS', { JWT_SECRET: SECRET, JWT_ALGORITHMS: 'RS256' }],
    ['JWT_ALGORITHMS', { JWT_SECRET: SECRET, JWT_ALGORITHMS: 'none' }],
    ['JWT_ALGORITHMS', { JWT_SECRET: SECRET, JWT_ALGORITHMS: ' , ' }],
    ['JWT_CLOCK_TOLERANCE_SEC', { JWT_CLOCK_TOLERANCE_SEC: '301' }],
    ['JWT_CLOCK_TOLERANCE_SEC', { JWT_CLOCK_TOLERANCE_SEC: ' ' }],
    ['JWT_MAX_LIFETIME_SEC', { JWT_MAX_LIFETIME_SEC: '59' }],
    ['JWT_MAX_LIFETIME_SEC', { JWT_MAX_LIFETIME_SEC: '99999999' }],
    ['RETENTION_DAYS', { RETENTION_DAYS: '0' }],
    ['RETENTION_DAYS', { RETENTION_DAYS: '1e3' }],
    ['RETENTION_SWEEP_SEC', { RETENTION_SWEEP_SEC: '0' }],
    ['ACCESS_LOG_KEY', { ACCESS_LOG_KEY: 'too-short-a-key' }],
    ['ACCESS_LOG_RETENTION_DAYS', { ACCESS_LOG_RETENTION_DAYS: '0' }],
    ['NODE_ID', { NODE_ID: 'has spaces' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'https://ok.example.org,not-an-origin' }],
    ['DEMO_MODE', { DEMO_MODE: 'yes' }],
    ['RATE_LIMITS', { RATE_LIMITS: 'send=5' }],
    ['PARTNER_LIMIT', { PARTNER_LIMIT: '0' }],
    ['CHECKIN_CRAVING_ALERT', { CHECKIN_CRAVING_ALERT: '11' }],
    ['CHECKIN_JUMP_ALERT', { CHECKIN_JUMP_ALERT: '0' }],
    ['CHECKIN_SILENCE_HOURS', { CHECKIN_SILENCE_HOURS: '0' }],
    ['CHECKIN_SILENCE_HOURS', { CHECKIN_SILENCE_HOURS: '721' }],
    ['CHECKIN_SILENCE_HOURS', { CHECKIN_SILENCE_HOURS: '1e2' }],
    ['PRESENCE_TTL_SEC', { PRESENCE_TTL_SEC: '1' }],
    ['IDLE_LOGOFF_SEC', { IDLE_LOGOFF_SEC: '86401' }],
    ['IDLE_LOGOFF_SEC', { IDLE_LOGOFF_SEC: '-1' }],
    ['SESSION_CHECK_MS', { SESSION_CHECK_MS: '10' }],
    ['MAX_CONNECTIONS_PER_USER', { MAX_CONNECTIONS_PER_USER: '0' }],
    ['CONNECT_TIMEOUT_MS', { CONNECT_TIMEOUT_MS: '50' }],
    ['CONNECT_TIMEOUT_MS', { CONNECT_TIMEOUT_MS: '120000' }],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'too-short' }],
    ['METRICS_PORT', { METRICS_PORT: '70000' }],
    ['RATE_LIMITS', { RATE_LIMITS: 'shout=5/1' }],
    ['RATE_LIMITS', { RATE_LIMITS: 'send=0/10' }],
    ['REDIS_CLUSTER', { REDIS_CLUSTER: 'yes' }],
    ['REDIS_CLUSTER', { REDIS_CLUSTER: 'true' }],
    ['REDIS_URL', { REDIS_CLUSTER: 'true', REDIS_URL: 'redis://cache.internal:7000/3' }],
    ['STORE_DURABILITY', { STORE_DURABILITY: 'always' }],
    ['ESCALATE_AFTER_SEC', { ESCALATE_AFTER_SEC: '0' }],
    ['ESCALATION_REPEAT_SEC', { ESCALATION_REPEAT_SEC: '-5' }],
    ['ON_CALL', { ON_CALL: 'role:facilitator' }],
    ['ESCALATION_WEBHOOK_URL', { ESCALATION_WEBHOOK_URL: 'http://pager.example.org/bridge', ESCALATION_WEBHOOK_SECRET: 's'.repeat(32) }],
    ['ESCALATION_WEBHOOK_URL', { ESCALATION_WEBHOOK_URL: 'ftp://127.0.0.1/x', ESCALATION_WEBHOOK_SECRET: 's'.repeat(32) }],
    ['ESCALATION_WEBHOOK_SECRET', { ESCALATION_WEBHOOK_URL: 'https://pager.example.org/bridge', ESCALATION_WEBHOOK_SECRET: 'short' }],
    // A webhook nobody can verify, or a secret with nowhere to go, is a mistake.
    ['ESCALATION_WEBHOOK_SECRET', { ESCALATION_WEBHOOK_URL: 'https://pager.example.org/bridge' }],
    ['ESCALATION_WEBHOOK_URL', { ESCALATION_WEBHOOK_SECRET: 's'.repeat(32) }],
    ['VAPID_PRIVATE_KEY', { VAPID_PUBLIC_KEY: VAPID_PUBLIC, VAPID_SUBJECT: 'mailto:ops@example.org' }],
    ['VAPID_SUBJECT', { VAPID_PUBLIC_KEY: VAPID_PUBLIC, VAPID_PRIVATE_KEY: VAPID_PRIVATE }],
    ['VAPID_SUBJECT', { VAPID_PUBLIC_KEY: VAPID_PUBLIC, VAPID_PRIVATE_KEY: VAPID_PRIVATE, VAPID_SUBJECT: 'ops@example.org' }],
    ['VAPID_PUBLIC_KEY', { VAPID_PUBLIC_KEY: 'not a key', VAPID_PRIVATE_KEY: VAPID_PRIVATE, VAPID_SUBJECT: 'mailto:ops@example.org' }],
    ['PUSH_HOSTS', { PUSH_HOSTS: 'https://fcm.googleapis.com' }],
    // The memory store has no disk to sync to.
    ['STORE_DURABILITY', { STORE_DURABILITY: 'fsync' }],
    // Data keys: id:<base64 of 32 bytes>, ids a-z0-9 up to 16, each once; they encrypt what Redis stores.
    ['DATA_KEYS', { REDIS_URL: 'redis://cache.internal:6379', DATA_KEYS: `K1:${Buffer.alloc(32).toString('base64')}` }],
    ['DATA_KEYS', { REDIS_URL: 'redis://cache.internal:6379', DATA_KEYS: `k1:${Buffer.alloc(16).toString('base64')}` }],
    ['DATA_KEYS', { REDIS_URL: 'redis://cache.internal:6379', DATA_KEYS: Buffer.alloc(32).toString('base64') }],
    ['DATA_KEYS', { REDIS_URL: 'redis://cache.internal:6379', DATA_KEYS: `k1:${'!'.repeat(44)}` }],
    ['DATA_KEYS', { REDIS_URL: 'redis://cache.internal:6379', DATA_KEYS: ` , ` }],
    [
      'DATA_KEYS',
      {
        REDIS_URL: 'redis://cache.internal:6379',
        DATA_KEYS: `k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`,
      },
    ],
    ['DATA_KEYS', { DATA_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` }],
  ];
  for (const [variable, env] of bad) {
    const alongside = Object.keys(env).filter((k) => k !== variable);
    const title = `${variable}=${JSON.stringify(env[variable])}${alongside.length ? ` (with ${alongside.join(', ')} set)` : ''}`;
    it(`refuses ${title} with a ConfigError naming ${variable}`, () => {
      expect(configError(env).message).to.match(new RegExp(`^invalid ${variable}\\b`));
    });
  }

  it('checks the PEM public key is not combined with HS* algorithms', () => {
    expect(configError({ JWT_PUBLIC_KEY: rsaPublicKey(), JWT_ALGORITHMS: 'HS256' }).message).to.match(/^invalid JWT_ALGORITHMS\b/);
  });

  it('checks the public key type fits the algorithms (an EC key with RS256 would refuse every token)', () => {
    expect(configError({ JWT_PUBLIC_KEY: ecPublicKey() }).message).to.match(/^invalid JWT_ALGORITHMS\b/);
    expect(configError({ JWT_PUBLIC_KEY: rsaPublicKey(), JWT_ALGORITHMS: 'ES256' }).message).to.match(/^invalid JWT_ALGORITHMS\b/);
  });

  it('does not echo a bad value, which may be a secret, in the error message', () => {
    expect(configError({ JWT_SECRET: 'hunter2-secret' }).message).not.to.include('hunter2');
    expect(configError({ REDIS_URL: 'http://:hunter2@cache.internal:6379' }).message).not.to.include('hunter2');
  });

  it('refuses DEMO_MODE=true when NODE_ENV=production', () => {
    expect(configError({ NODE_ENV: 'production', DEMO_MODE: 'true' }).message).to.match(/^invalid DEMO_MODE\b/);
  });

  it('refuses demo mode together with a configured key', () => {
    expect(configError({ DEMO_MODE: 'true', JWT_SECRET: SECRET }).message).to.match(/^invalid DEMO_MODE\b/);
  });

  it('turns demo mode on by default without a key outside production, and off with a key', () => {
    expect(loadConfig({}).demo).to.equal(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demo).to.equal(true);
    expect(loadConfig({ DEMO_MODE: '1' }).demo).to.equal(true);
    expect(loadConfig({ JWT_SECRET: SECRET }).demo).to.equal(false);
    expect(configError({ DEMO_MODE: 'false' }).message).to.match(/^invalid JWT_SECRET\b/);
  });

  it('refuses production without a key, naming JWT_SECRET', () => {
    expect(configError({ NODE_ENV: 'production' }).message).to.match(/^invalid JWT_SECRET\b/);
  });
});

describe('the node process (node --import tsx server/index.ts)', function () {
  this.timeout(30_000);
  const nodes: NodeProcess[] = [];
  const { connect, closeAll } = roomClients();

  function spawnNode(env: Record<string, string>): NodeProcess {
    const node = spawnNodeProcess(env);
    nodes.push(node);
    return node;
  }

  async function demoSignIn(url: string, name: string, role: string) {
    const res = await http(url, 'POST', '/auth/demo', { body: { name, role } });
    expect(res.status, res.text).to.equal(200);
    return res.body.data as { token: string; user: { id: string; name: string; role: string }; demoGroupId: string };
  }

  afterEach(async () => {
    closeAll();
    await killAll(nodes);
  });

  const badValues: [variable: string, env: Record<string, string>][] = [
    ['PORT', { PORT: 'not-a-port' }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1:6379' }],
    // Files named by variables are read while the app is built, after the environment is parsed.
    ['CRISIS_RESOURCES_FILE', { CRISIS_RESOURCES_FILE: '/nonexistent/resources.json' }],
    ['CRISIS_PHRASES_FILE', { CRISIS_PHRASES_FILE: '/nonexistent/phrases.txt' }],
  ];
  for (const [variable, env] of badValues) {
    it(`exits non-zero with a message naming ${variable} when it is ${JSON.stringify(env[variable])}`, async () => {
      const node = spawnNode(env);
      const { code } = await exitWithin(node, 15_000);
      expect(code).to.be.a('number').and.not.equal(0);
      expect(node.stderr()).to.match(new RegExp(`configuration error: invalid ${variable}\\b`));
    });
  }

  for (const variable of ['PORT', 'METRICS_PORT'] as const) {
    it(`exits non-zero with one line naming the port and ${variable} when ${variable} is in use, no stack trace`, async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as AddressInfo).port;
      try {
        const node = spawnNode(variable === 'PORT' ? { PORT: String(port) } : { METRICS_PORT: String(port) });
        const { code } = await exitWithin(node, 15_000);
        expect(code).to.be.a('number').and.not.equal(0);
        const lines = node.stderr().trim().split('\n');
        expect(lines, node.stderr()).to.have.length(1);
        expect(lines[0]).to.equal(
          `bridge: port ${port} on 127.0.0.1 is already in use; set ${variable} to a free port or stop what is using it`,
        );
        expect(node.stdout()).not.to.include('listening');
      } finally {
        await new Promise((r) => taken.close(r));
      }
    });
  }

  it('exits non-zero with one line naming HOST when HOST is not an address of this machine', async () => {
    const node = spawnNode({ HOST: '192.0.2.1' });
    const { code } = await exitWithin(node, 15_000);
    expect(code).to.be.a('number').and.not.equal(0);
    expect(node.stderr().trim()).to.equal(
      'bridge: cannot listen on 192.0.2.1, which is not an address of this machine; set HOST to one of its addresses (or 0.0.0.0)',
    );
  });

  it('exits non-zero in production without a key, naming JWT_SECRET', async () => {
    const node = spawnNode({ NODE_ENV: 'production' });
    const { code } = await exitWithin(node, 15_000);
    expect(code).to.be.a('number').and.not.equal(0);
    expect(node.stderr()).to.match(/invalid JWT_SECRET\b/);
    expect(node.stdout()).not.to.include('listening');
  });

  it('exits non-zero when demo mode is asked for in production, naming DEMO_MODE', async () => {
    const node = spawnNode({ NODE_ENV: 'production', DEMO_MODE: 'true' });
    const { code } = await exitWithin(node, 15_000);
    expect(code).to.be.a('number').and.not.equal(0);
    expect(node.stderr()).to.match(/invalid DEMO_MODE\b/);
  });

  it('starts in demo mode with no configuration, says so, and signs in a demo user who can join the demo group', async () => {
    const node = spawnNode({});
    const url = await listening(node);
    expect(node.stdout()).to.include('DEMO MODE');
    expect(node.stdout()).to.include('REDIS_URL is not set');

    // Not a terminal: one JSON object a line, the start line naming the URL to open.
    const lines = node
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; url?: string });
    expect(lines.find((l) => l.msg === 'bridge node listening')?.url).to.equal(url);

    const refusedBody = await http(url, 'POST', '/auth/demo', { body: { role: 'participant' } });
    expect(refusedBody.status).to.equal(400);
    expect(refusedBody.body).to.have.nested.property('error.code', 'BAD_REQUEST');

    const me = await demoSignIn(url, 'Jordan', 'participant');
    const { iat, exp } = JSON.parse(Buffer.from(me.token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(exp - iat, 'the demo token lives within JWT_MAX_LIFETIME_SEC').to.be.at.most(86_400);
    expect(me.user).to.deep.include({ name: 'Jordan', role: 'participant' });
    expect(me.demoGroupId).to.be.a('string').and.not.equal('');
    const c = await connect(me, { url });
    const joined = await c.ok('group:join', { groupId: me.demoGroupId });
    expect(joined.group.id).to.equal(me.demoGroupId);
    expect(joined.members).to.deep.include({ id: me.user.id, name: 'Jordan', role: 'participant', online: true, handRaised: false });
    const sent = await c.ok('group:send', { groupId: me.demoGroupId, text: 'hello from the demo', clientMsgId: 'd1' });
    expect(sent.message.sender).to.deep.equal({ id: me.user.id, name: 'Jordan', role: 'participant' });
    expect(node.stdout()).not.to.include(me.token);
  });

  it('logs pretty, levelled lines (no JSON) and a start line with the URL to open when stdout is a terminal', async () => {
    // script(1) runs the node on a pseudo-terminal, as a person's `npm start` in a terminal does.
    const node = spawnServer('script', ['-qec', `exec '${process.execPath}' --import tsx server/index.ts`, '/dev/null'], {});
    nodes.push(node);
    const plain = () =>
      node
        .stdout()
        .replace(/\x1b\[[0-9;]*m/g, '')
        .replace(/\r/g, '');
    const start = await waitFor(
      () =>
        plain()
          .split('\n')
          .find((l) => l.includes('bridge node listening')),
      'the start line',
    );
    expect(start).to.match(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: bridge node listening at http:\/\/127\.0\.0\.1:\d+$/);
    expect(plain()).to.match(/^\[[\d:.]+\] WARN: DEMO MODE/m);
    expect(
      plain()
        .split('\n')
        .filter((l) => l.trimStart().startsWith('{')),
    ).to.deep.equal([]);
    expect((await http(start.slice(start.indexOf('http://')), 'GET', '/healthz')).status).to.equal(200);
    node.child.kill('SIGTERM'); // script(1) passes it on to the node
    await exitWithin(node, 10_000);
  });

  it('exits 0 within 10 s on SIGTERM, disconnecting a client that has just had an ack', async () => {
    const node = spawnNode({});
    const url = await listening(node);
    const me = await demoSignIn(url, 'Casey', 'facilitator');
    const c = await connect(me, { url });
    let reason: string | undefined;
    c.socket.on('disconnect', (r) => (reason = r));
    await c.ok('group:join', { groupId: me.demoGroupId });

    expect(node.child.kill('SIGTERM')).to.equal(true);
    const { code, signal } = await exitWithin(node, 10_000);
    expect({ code, signal }).to.deep.equal({ code: 0, signal: null });
    await waitFor(() => reason, 'the client to see the disconnect');
    // "io server disconnect" would stop socket.io-client from reconnecting to another node.
    expect(reason).to.equal('transport close');
    expect(node.stdout()).to.include('"shutting down"');
  });

  it('starts with REDIS_URL and a secret, keeping state in Redis', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    try {
      const node = spawnNode({ REDIS_URL, REDIS_PREFIX: prefix, JWT_SECRET: SECRET });
      const url = await listening(node);
      expect(node.stdout()).not.to.include('DEMO MODE');
      const ready = await http(url, 'GET', '/readyz');
      expect(ready.body).to.deep.equal({ ok: true, data: { store: 'redis', ready: true } });
      expect((await http(url, 'POST', '/auth/demo', { body: { name: 'Nope' } })).status).to.equal(404);
      expect(node.child.kill('SIGTERM')).to.equal(true);
      expect((await exitWithin(node, 10_000)).code).to.equal(0);
    } finally {
      await deleteKeys(prefix);
    }
  });
});

describe('STORE_DURABILITY=fsync: the node checks its Redis at start', function () {
  this.timeout(30_000);
  const nodes: NodeProcess[] = [];
  let redis: PrivateRedis | undefined;

  afterEach(async () => {
    await killAll(nodes);
    await redis?.stop();
    redis = undefined;
  });

  /** A node in fsync mode against a redis-server of its own, started with `settings`. */
  async function fsyncNodeAgainst(settings: string[]): Promise<NodeProcess> {
    redis = await PrivateRedis.start(settings);
    const node = spawnNodeProcess({ REDIS_URL: redis.url, JWT_SECRET: SECRET, STORE_DURABILITY: 'fsync' });
    nodes.push(node);
    return node;
  }

  /** Exit 78 (EX_CONFIG) before listening, with exactly one line about STORE_DURABILITY; resolves that line. */
  async function refusal(node: NodeProcess): Promise<string> {
    const { code } = await exitWithin(node, 15_000);
    expect(code, node.stderr()).to.equal(78);
    expect(node.stdout()).not.to.include('listening');
    const lines = node
      .stderr()
      .split('\n')
      .filter((l) => l.includes('STORE_DURABILITY'));
    expect(lines, node.stderr()).to.have.length(1);
    expect(lines[0]).to.match(/^bridge: configuration error: invalid STORE_DURABILITY: /);
    return lines[0]!;
  }

  const misconfigured: [what: string, settings: string[], says: RegExp][] = [
    ['appendonly no (appendfsync always alone is no AOF at all)', ['--appendonly', 'no'], /Redis has appendonly no, appendfsync always$/],
    [
      "appendonly yes and appendfsync everysec (Redis's default)",
      ['--appendfsync', 'everysec'],
      /Redis has appendonly yes, appendfsync everysec$/,
    ],
    // As some managed Redis services do: the node cannot check, so it does not promise.
    ['CONFIG renamed away', ['--rename-command', 'CONFIG', ''], /could not verify that Redis fsyncs every write .*unknown command/],
  ];
  for (const [what, settings, says] of misconfigured) {
    it(`refuses to start (exit 78, one line naming STORE_DURABILITY and what Redis needs) against a Redis with ${what}`, async () => {
      const line = await refusal(await fsyncNodeAgainst(settings));
      expect(line).to.include('fsync needs Redis with appendonly yes and appendfsync always');
      expect(line).to.match(says);
    });
  }

  it('starts against a Redis with appendonly yes and appendfsync always, and says what an ack means', async () => {
    const node = await fsyncNodeAgainst(['--appendonly', 'yes', '--appendfsync', 'always']);
    const url = await listening(node);
    expect(node.stdout()).to.include('an ack means on disk');
    expect((await http(url, 'GET', '/readyz')).status).to.equal(200);
  });

  it('refuses to start, saying it could not verify, when Redis does not answer', async () => {
    const node = spawnNodeProcess({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, JWT_SECRET: SECRET, STORE_DURABILITY: 'fsync' });
    nodes.push(node);
    expect(await refusal(node)).to.include('could not verify that Redis fsyncs every write');
  });

  it('refuses fsync with the memory store (no REDIS_URL): there is no disk to sync to', async () => {
    const node = spawnNodeProcess({ JWT_SECRET: SECRET, STORE_DURABILITY: 'fsync' });
    nodes.push(node);
    expect(await refusal(node)).to.include('needs REDIS_URL');
  });
});
