import { createPublicKey, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { MAX_SILENCE_HOURS, type CheckinRules } from '../shared/index.js';
import { ConfigError } from './errors.js';
import { KEY_ID, type DataKey } from './store/redis/field-crypto.js';
import type { RedisTarget } from './store/redis-client.js';
import type { RateLimit } from './store/store.js';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
// Decimal digits only: z.coerce.number() reads ' ' as 0 (PORT=' ' would listen on a random port)
// and '0x10' or '1e3' as numbers nobody meant.
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const env = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: whole(0, 65535).default(3000),
  HOST: z.string().trim().min(1, 'must not be blank').default('0.0.0.0'),
  /** Without it all state lives in this process (one node only, lost on restart). */
  REDIS_URL: z.url({ protocol: /^rediss?$/, hostname: /./, error: 'must be redis://host[:port][/db]' }).optional(),
  /** REDIS_URL is one node of a Redis Cluster (7+): the store and the adapter use all of its shards. */
  REDIS_CLUSTER: bool.default(false),
  /** Prefix for every Redis key this node writes; tests randomise it. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/)
    .default('bridge:'),
  /** `fsync`: an ack means Redis has the message in its append-only file on disk; checked against Redis at start. */
  STORE_DURABILITY: z.enum(['default', 'fsync']).default('default'),
  /**
   * Keys that encrypt free text at rest in Redis, `id:<base64 of 32 bytes>` comma-separated: the
   * first writes, all read (a rotation puts the new key first and keeps the old ones until
   * `npm run data:rotate` has run).
   */
  DATA_KEYS: z.string().transform(parseDataKeys).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_PUBLIC_KEY: z.string().includes('PUBLIC KEY', { message: 'must be a PEM public key' }).optional(),
  JWT_ALGORITHMS: list
    .pipe(z.array(z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'])).min(1))
    .optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** Seconds of clock skew tolerated on `exp` and `nbf`. */
  JWT_CLOCK_TOLERANCE_SEC: whole(0, 300).default(5),
  /** The longest a token may be good for (`exp` − `iat`, or − now without `iat`): a stolen token stops working within it. */
  JWT_MAX_LIFETIME_SEC: whole(60, 31_536_000).default(86_400),
  /** Comma-separated origins allowed to connect from a browser; empty: same origin only. */
  CORS_ORIGINS: list.pipe(z.array(z.url())).default([]),
  /** Days a message is kept; decimals allowed (tests use seconds' worth). */
  RETENTION_DAYS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, 'must be a number of days')
    .transform(Number)
    .pipe(z.number().positive().max(3650))
    .default(30),
  /** How often each node removes messages past retention. */
  RETENTION_SWEEP_SEC: whole(1, 86_400).default(600),
  /**
   * The access log's HMAC-SHA256 key (issue 18), never stored in Redis. Unset: a random key for
   * this process only (with a warning), so the chain cannot be verified after a restart.
   */
  ACCESS_LOG_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Days an access-log entry is kept, apart from RETENTION_DAYS (default six years); decimals allowed (tests use seconds' worth). */
  ACCESS_LOG_RETENTION_DAYS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, 'must be a number of days')
    .transform(Number)
    .pipe(z.number().positive().max(36_500))
    .default(2190),
  /** This node's name in the access log; default: the host name. */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 . _ : -')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_MODE: bool.optional(),
  /** Per-user flood limits, `action=points/seconds` pairs; unnamed actions keep their defaults. */
  RATE_LIMITS: z.string().transform(parseRateLimits).optional(),
  /** Seconds a connection stays online without its node refreshing it: bounds how long a dead node's users look online. */
  PRESENCE_TTL_SEC: whole(2, 300).default(15),
  /** Live Socket.IO connections one user may hold on one node; the next handshake is refused RATE_LIMITED. */
  MAX_CONNECTIONS_PER_USER: whole(1, 10_000).default(20),
  /** Milliseconds an Engine.IO session may stay open without connecting a namespace (an accepted handshake). */
  CONNECT_TIMEOUT_MS: whole(100, 60_000).default(5000),
  /** The most active accountability partnerships one person may have. */
  PARTNER_LIMIT: whole(1, 20).default(3),
  /** A check-in shared with staff whose craving is at or above this raises a check-in alert (§6.1). */
  CHECKIN_CRAVING_ALERT: whole(0, 10).default(8),
  /** A check-in shared with staff whose craving rose this much or more since the previous one raises a check-in alert. */
  CHECKIN_JUMP_ALERT: whole(1, 10).default(4),
  /**
   * Hours without a check-in, from someone who opted in to daily check-ins and shares with staff,
   * that raise a check-in alert (rule silence); decimals allowed (tests use seconds' worth).
   */
  CHECKIN_SILENCE_HOURS: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*$/, 'must be a number of hours')
    .transform(Number)
    .pipe(z.number().positive().max(MAX_SILENCE_HOURS))
    .default(26),
  /** Bearer token that opens GET /metrics on the public port; unset: /metrics is 404 there. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A second port serving only /metrics, to anyone who can reach it (a monitoring network). */
  METRICS_PORT: whole(0, 65535).optional(),
  /** A phrase file replacing server/safety/crisis-phrases.txt. */
  CRISIS_PHRASES_FILE: z.string().min(1).optional(),
  /** A JSON file `{ en: [...], es: [...] }` of crisis resources (§7) replacing the defaults. */
  CRISIS_RESOURCES_FILE: z.string().min(1).optional(),
  /** How often each node asks the store which groups' sessions open or close now: their lateness, at most. */
  SESSION_CHECK_MS: whole(50, 60_000).default(1000),
  /** Seconds an alert may stay unacknowledged, with a facilitator online, before the on-call staff are paged. */
  ESCALATE_AFTER_SEC: whole(1, 86_400).default(120),
  /** Seconds between pages while an escalated alert stays unacknowledged. */
  ESCALATION_REPEAT_SEC: whole(1, 86_400).default(300),
  /** Who is paged: user ids and/or `role:admin`, comma-separated. */
  ON_CALL: list.pipe(z.array(z.string().regex(/^(?!role:)|^role:admin$/, 'must be user ids or role:admin'))).default([]),
  /** Where escalations are POSTed: https, or http to the loopback only (a local receiver, tests). */
  ESCALATION_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, hostname: /./, error: 'must be an https:// URL' })
    .refine((u) => u.startsWith('https:') || LOOPBACK.test(new URL(u).hostname), 'must be https (http only to the loopback)')
    .optional(),
  /** The HMAC-SHA256 key the webhook's receiver verifies `Bridge-Signature` with. */
  ESCALATION_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Web Push (§5.5) for staff devices: off unless both VAPID keys are set (`npx web-push generate-vapid-keys`). */
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a base64url P-256 public key')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a base64url P-256 private key')
    .optional(),
  /** Who runs this server, for the push services: `mailto:` or `https:`. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: URL')
    .optional(),
  /** Push-service hosts a subscription's endpoint may name; `*.` matches any subdomain. */
  PUSH_HOSTS: list
    .pipe(z.array(z.string().regex(/^(\*\.)?[A-Za-z0-9.-]+$/, 'must be host names')))
    .default(['fcm.googleapis.com', 'updates.push.services.mozilla.com', 'web.push.apple.com', '*.notify.windows.com']),
  /** Seconds without activity after which the browser client signs out (a warning first); 0: never. */
  IDLE_LOGOFF_SEC: whole(0, 86_400).default(900),
});

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export const RATE_LIMITED_ACTIONS = ['send', 'react', 'hand', 'report', 'invite', 'invalid', 'typing'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];
export type RateLimits = Record<RateLimitedAction, RateLimit>;

/** @default send=20/10, react=30/10, hand=10/10, report=10/60, invite=10/3600, invalid=20/60, typing=10/5 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  send: { points: 20, durationSec: 10 },
  react: { points: 30, durationSec: 10 },
  hand: { points: 10, durationSec: 10 },
  report: { points: 10, durationSec: 60 },
  invite: { points: 10, durationSec: 3600 },
  /** events whose payload fails its schema; a socket past this budget is disconnected */
  invalid: { points: 20, durationSec: 60 },
  /**
   * group:typing and partner:typing together, counted on each node in memory (a typist repeats
   * every 3 s, so a few tabs stay well inside it); the connection cap bounds the sum over nodes
   */
  typing: { points: 10, durationSec: 5 },
};

function parseRateLimits(value: string, ctx: z.RefinementCtx): RateLimits {
  const limits = { ...DEFAULT_RATE_LIMITS };
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d{1,6})\/(\d{1,6})$/.exec(pair);
    const action = m?.[1] as RateLimitedAction | undefined;
    if (!m || !action || !RATE_LIMITED_ACTIONS.includes(action) || Number(m[2]) < 1 || Number(m[3]) < 1) {
      ctx.addIssue({
        code: 'custom',
        message: `"${pair.slice(0, 40)}" is not action=points/seconds with action one of ${RATE_LIMITED_ACTIONS.join(', ')}`,
      });
      return limits;
    }
    limits[action] = { points: Number(m[2]), durationSec: Number(m[3]) };
  }
  return limits;
}

function parseDataKeys(value: string, ctx: z.RefinementCtx): DataKey[] {
  const keys: DataKey[] = [];
  for (const entry of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    // Never echo the entry: it holds the key.
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    if (colon < 1 || !KEY_ID.test(id)) {
      fail('each key must be id:<base64>, the id 1 to 16 of a-z 0-9');
      return [];
    }
    const b64 = entry.slice(colon + 1);
    const key = Buffer.from(b64, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || key.length !== 32) {
      fail(`key ${id} must be 32 bytes in base64 (openssl rand -base64 32)`);
      return [];
    }
    if (keys.some((k) => k.id === id)) {
      fail(`key id ${id} is given twice`);
      return [];
    }
    keys.push({ id, key });
  }
  if (!keys.length) ctx.addIssue({ code: 'custom', message: 'must hold at least one id:<base64> key' });
  return keys;
}

/** The check-in alert rules of a group that set none of its own (§6.1). */
export type CheckinAlertRules = CheckinRules;

export type Config = {
  env: string;
  port: number;
  host: string;
  /** Absent: state in this process only. */
  redis?: RedisTarget;
  redisPrefix: string;
  /** Keys that encrypt free text at rest in Redis (the first writes); empty: stored as it is. */
  dataKeys: DataKey[];
  /** `fsync`: the node refuses to start unless Redis fsyncs its append-only file before every reply. */
  durability: 'default' | 'fsync';
  jwt: {
    /** HS* secret or PEM public key */
    key: string;
    algorithms: string[];
    issuer?: string;
    audience?: string;
    clockToleranceSec: number;
    maxLifetimeSec: number;
  };
  corsOrigins: string[];
  retentionDays: number;
  retentionSweepMs: number;
  /** The access log (issue 18): its MAC key (`ephemeral`: drawn for this process), how long it keeps entries, this node's name. */
  accessLog: { key: string; ephemeral: boolean; retentionDays: number; node: string };
  logLevel: string;
  /** Demo mode: the server signs its own tokens at POST /auth/demo and keeps a demo group. */
  demo: boolean;
  rateLimits: RateLimits;
  partnerLimit: number;
  /** The check-in alert rules' defaults, for groups that set none (§6.1). */
  checkinAlerts: CheckinAlertRules;
  presenceTtlMs: number;
  /** How often each node checks for sessions opening or closing (SESSION_CHECK_MS). */
  sessionCheckMs: number;
  connections: { maxPerUser: number; connectTimeoutMs: number };
  metrics: { token?: string; port?: number };
  safety: { phrasesFile?: string; resourcesFile?: string };
  escalation: EscalationConfig;
  /** Absent: Web Push is off. */
  push?: PushConfig;
  /** The browser client's idle logoff (IDLE_LOGOFF_SEC, §10); 0: off. */
  idleLogoffSec: number;
};

/** Web Push to staff devices (§5.5, §10). */
export type PushConfig = { publicKey: string; privateKey: string; subject: string; hosts: string[] };

/** When and to whom unacknowledged alerts escalate (§7 "Escalation", §10). */
export type EscalationConfig = {
  afterMs: number;
  repeatMs: number;
  /** `admins`: every user whose token role is admin (`role:admin`). */
  onCall: { userIds: string[]; admins: boolean };
  webhook?: { url: string; secret: string };
};

/**
 * Reads and validates the environment (docs/protocol.md §10). Throws ConfigError naming the variable.
 * @example loadConfig({ PORT: '0', JWT_SECRET: 'x'.repeat(32) })
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.keys(env.shape).map((k) => [k, emptyAsUndefined(source[k])]));
  const parsed = env.safeParse(cleaned);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ConfigError(`invalid ${String(first.path[0])}: ${first.message}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (e.JWT_SECRET && e.JWT_PUBLIC_KEY) throw new ConfigError('invalid JWT_PUBLIC_KEY: set JWT_SECRET or JWT_PUBLIC_KEY, not both');
  const keyed = Boolean(e.JWT_SECRET || e.JWT_PUBLIC_KEY);
  const demo = e.DEMO_MODE ?? (!keyed && !production);
  if (demo && production) throw new ConfigError('invalid DEMO_MODE: demo mode is refused when NODE_ENV=production');
  if (demo && keyed) throw new ConfigError('invalid DEMO_MODE: demo mode signs its own tokens; unset JWT_SECRET/JWT_PUBLIC_KEY');
  if (!demo && !keyed) throw new ConfigError('invalid JWT_SECRET: set JWT_SECRET or JWT_PUBLIC_KEY (or DEMO_MODE=true outside production)');

  const algorithms = e.JWT_ALGORITHMS ?? (e.JWT_PUBLIC_KEY ? ['RS256'] : ['HS256']);
  const symmetric = algorithms.every((a) => a.startsWith('HS'));
  const asymmetric = algorithms.every((a) => !a.startsWith('HS'));
  // Mixing families is how algorithm-confusion attacks work (an HS256 token "signed" with the public key).
  if (!symmetric && !asymmetric) throw new ConfigError('invalid JWT_ALGORITHMS: do not mix HS* with RS*/ES*');
  if (e.JWT_PUBLIC_KEY && symmetric) throw new ConfigError('invalid JWT_ALGORITHMS: a public key needs RS*/ES* algorithms');
  if (e.JWT_SECRET && asymmetric) throw new ConfigError('invalid JWT_ALGORITHMS: a shared secret needs HS* algorithms');
  if (e.JWT_PUBLIC_KEY) checkKeyFitsAlgorithms(e.JWT_PUBLIC_KEY, algorithms);
  if (e.REDIS_CLUSTER && !e.REDIS_URL) throw new ConfigError('invalid REDIS_CLUSTER: set REDIS_URL to one node of the cluster');
  if (e.DATA_KEYS && !e.REDIS_URL) throw new ConfigError('invalid DATA_KEYS: keys encrypt what Redis stores; set REDIS_URL');
  if (e.STORE_DURABILITY === 'fsync' && !e.REDIS_URL) {
    throw new ConfigError('invalid STORE_DURABILITY: fsync needs REDIS_URL; without it state is in this process and never on disk');
  }
  if (e.REDIS_CLUSTER && !/^\/?0?$/.test(new URL(e.REDIS_URL!).pathname))
    throw new ConfigError('invalid REDIS_URL: a Redis Cluster has only database 0');
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY))
    throw new ConfigError('invalid VAPID_PRIVATE_KEY: set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');
  if (e.VAPID_PUBLIC_KEY && !e.VAPID_SUBJECT) throw new ConfigError('invalid VAPID_SUBJECT: Web Push needs a mailto: or https: contact');
  if (e.ESCALATION_WEBHOOK_URL && !e.ESCALATION_WEBHOOK_SECRET)
    throw new ConfigError('invalid ESCALATION_WEBHOOK_SECRET: the webhook needs a secret to sign with');
  if (e.ESCALATION_WEBHOOK_SECRET && !e.ESCALATION_WEBHOOK_URL)
    throw new ConfigError('invalid ESCALATION_WEBHOOK_URL: a webhook secret is set but no URL');

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    redis: e.REDIS_URL === undefined ? undefined : { url: e.REDIS_URL, cluster: e.REDIS_CLUSTER },
    redisPrefix: e.REDIS_PREFIX,
    durability: e.STORE_DURABILITY,
    dataKeys: e.DATA_KEYS ?? [],
    jwt: {
      key: e.JWT_SECRET ?? e.JWT_PUBLIC_KEY ?? randomBytes(32).toString('hex'),
      algorithms: demo ? ['HS256'] : algorithms,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      clockToleranceSec: e.JWT_CLOCK_TOLERANCE_SEC,
      maxLifetimeSec: e.JWT_MAX_LIFETIME_SEC,
    },
    corsOrigins: e.CORS_ORIGINS,
    retentionDays: e.RETENTION_DAYS,
    retentionSweepMs: e.RETENTION_SWEEP_SEC * 1000,
    accessLog: {
      key: e.ACCESS_LOG_KEY ?? randomBytes(32).toString('hex'),
      ephemeral: e.ACCESS_LOG_KEY === undefined,
      retentionDays: e.ACCESS_LOG_RETENTION_DAYS,
      node: e.NODE_ID ?? hostname(),
    },
    logLevel: e.LOG_LEVEL,
    demo,
    rateLimits: e.RATE_LIMITS ?? DEFAULT_RATE_LIMITS,
    partnerLimit: e.PARTNER_LIMIT,
    checkinAlerts: { craving: e.CHECKIN_CRAVING_ALERT, jump: e.CHECKIN_JUMP_ALERT, used: true, silenceHours: e.CHECKIN_SILENCE_HOURS },
    presenceTtlMs: e.PRESENCE_TTL_SEC * 1000,
    sessionCheckMs: e.SESSION_CHECK_MS,
    connections: { maxPerUser: e.MAX_CONNECTIONS_PER_USER, connectTimeoutMs: e.CONNECT_TIMEOUT_MS },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    safety: { phrasesFile: e.CRISIS_PHRASES_FILE, resourcesFile: e.CRISIS_RESOURCES_FILE },
    escalation: {
      afterMs: e.ESCALATE_AFTER_SEC * 1000,
      repeatMs: e.ESCALATION_REPEAT_SEC * 1000,
      onCall: { userIds: [...new Set(e.ON_CALL.filter((v) => v !== 'role:admin'))], admins: e.ON_CALL.includes('role:admin') },
      webhook:
        e.ESCALATION_WEBHOOK_URL && e.ESCALATION_WEBHOOK_SECRET
          ? { url: e.ESCALATION_WEBHOOK_URL, secret: e.ESCALATION_WEBHOOK_SECRET }
          : undefined,
    },
    push:
      e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY && e.VAPID_SUBJECT
        ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT, hosts: e.PUSH_HOSTS }
        : undefined,
    idleLogoffSec: e.IDLE_LOGOFF_SEC,
  };
}

/** An EC key with RS256 (or the reverse) would start fine and then refuse every token. */
function checkKeyFitsAlgorithms(pem: string, algorithms: string[]): void {
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw new ConfigError('invalid JWT_PUBLIC_KEY: not a readable PEM public key');
  }
  const wanted = type === 'ec' ? 'ES' : type === 'rsa' ? 'RS' : undefined;
  if (!wanted) throw new ConfigError(`invalid JWT_PUBLIC_KEY: ${type ?? 'unknown'} keys are not supported (RSA or EC)`);
  if (!algorithms.every((a) => a.startsWith(wanted))) {
    throw new ConfigError(`invalid JWT_ALGORITHMS: a${wanted === 'ES' ? 'n EC' : 'n RSA'} key needs ${wanted}* algorithms`);
  }
}
