import { randomBytes } from 'node:crypto';
import type { Agent as HttpsAgent } from 'node:https';
import { Writable } from 'node:stream';
import { Cluster } from 'ioredis';
import type { GlobalRole } from '../../shared/index.js';
import { createApp, type BridgeApp } from '../../server/app.js';
import { signToken } from '../../server/auth/tokens.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createLogger, type Logger } from '../../server/logger.js';
import { createMemoryStores } from '../../server/store/memory/index.js';
import type { Stores } from '../../server/store/ports.js';
import { createRedisStores } from '../../server/store/redis/index.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../../server/store/redis-client.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

export type TestUser = { id: string; name: string; role: GlobalRole; token: string };

export type TestServer = {
  app: BridgeApp;
  store: Stores;
  config: Config;
  url: string;
  /** Every log line this node wrote, as text (for privacy assertions). */
  logs: string[];
  /** A fresh user with a valid token. */
  user(role?: GlobalRole, name?: string): TestUser;
  token(user: { id: string; name: string; role: GlobalRole }, ttlSec?: number): string;
  close(): Promise<void>;
};

export type StartOptions = {
  store?: StoreKind;
  env?: Record<string, string>;
  /** Wraps the store's ports, e.g. to inject faults. */
  wrapStore?: (store: Stores) => Stores;
  /** Share this Redis prefix (several nodes on one Redis). */
  prefix?: string;
  /** Listen on this port instead of an ephemeral one (a restart on the same address). */
  port?: number;
  /** The HTTPS agent Web Push sends with (a test's push receiver trusts its own certificate). */
  pushAgent?: HttpsAgent;
};

let counter = 0;
export const randomId = (tag = 'u') => `${tag}${randomBytes(5).toString('hex')}${++counter}`;

/**
 * Starts a real node on an ephemeral port with the chosen store (Redis under a random key prefix,
 * deleted on close). Owns its teardown: close() stops the node and removes its keys.
 */
export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const kind = opts.store ?? 'memory';
  const prefix = opts.prefix ?? `test:${randomBytes(6).toString('hex')}:`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'debug',
    ...(kind === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
    ...opts.env,
  });
  const logs: string[] = [];
  const log: Logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const base: Stores =
    kind === 'redis' ? createRedisStores(config.redis!, config.redisPrefix, { dataKeys: config.dataKeys }) : createMemoryStores();
  const store = opts.wrapStore ? opts.wrapStore(base) : base;
  const app = await createApp({ config, store, log, drainMs: 2000, pushAgent: opts.pushAgent });
  const port = await app.listen(opts.port ?? 0, '127.0.0.1');
  const token = (u: { id: string; name: string; role: GlobalRole }, ttlSec = 3600) => signToken(config.jwt, u, ttlSec);
  return {
    app,
    store,
    config,
    url: `http://127.0.0.1:${port}`,
    logs,
    user(role = 'participant', name = `${role} ${++counter}`) {
      const u = { id: randomId(role[0]), name, role };
      return { ...u, token: token(u) };
    },
    token,
    async close() {
      await app.close();
      if (kind === 'redis' && !opts.prefix) await deleteKeys(prefix, config.redis);
    },
  };
}

/** N of T, so `const [a, b] = list` needs no `!` when N is a literal. */
export type Tuple<T, N extends number, R extends T[] = []> = T[] &
  (number extends N ? T[] : R['length'] extends N ? R : Tuple<T, N, [T, ...R]>);

/**
 * The servers a test starts for itself, beyond its suite's own: `start` lays its options over
 * the pool's defaults (e.g. the store kind); `closeAll` (for afterEach) stops every one and
 * removes the keys of the nodes `startNodes` put on one Redis.
 */
export function serverPool(defaults: StartOptions = {}) {
  const started: TestServer[] = [];
  const prefixes: string[] = [];
  const start = async (opts: StartOptions = {}) => {
    const s = await startServer({ ...defaults, ...opts });
    started.push(s);
    return s;
  };
  /** `count` Redis nodes under one fresh prefix and one JWT secret, as behind a balancer. */
  const startNodes = async <N extends number>(count: N, env: Record<string, string> = {}) => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`;
    prefixes.push(prefix);
    const shared = { JWT_SECRET: randomBytes(32).toString('hex'), ...env };
    const nodes: TestServer[] = [];
    for (let i = 0; i < count; i++) nodes.push(await start({ store: 'redis', prefix, env: shared }));
    return nodes as Tuple<TestServer, N>;
  };
  const closeAll = async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
    for (const prefix of prefixes.splice(0)) await deleteKeys(prefix);
  };
  return { start, startNodes, closeAll };
}

/** Runs `each` on every batch of Redis keys under a prefix (on every master of a cluster). */
async function forEachKeys(
  prefix: string,
  target: RedisTarget,
  each: (redis: RedisClient, keys: string[]) => Promise<void>,
): Promise<void> {
  const client = connectRedis(target);
  try {
    // A cluster client learns its nodes with the slot map, on its first command.
    if (client instanceof Cluster) await client.ping();
    for (const redis of client instanceof Cluster ? client.nodes('master') : [client]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        await each(redis, keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}

/** Removes every Redis key under a prefix (on every master of a cluster). */
export async function deleteKeys(prefix: string, target: RedisTarget = { url: REDIS_URL, cluster: false }): Promise<void> {
  // One DEL per key: on a cluster, the keys of one scan sit in many slots.
  await forEachKeys(prefix, target, async (redis, keys) => void (await Promise.all(keys.map((key) => redis.del(key)))));
}

/** Every key under a prefix with everything in it (fields, members, values), as one text to search. */
export async function storedText(prefix: string, target: RedisTarget = { url: REDIS_URL, cluster: false }): Promise<string> {
  const parts: string[] = [];
  await forEachKeys(prefix, target, async (redis, keys) => {
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1)
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : type;
      parts.push(key, JSON.stringify(value));
    }
  });
  return parts.join('\n');
}

/**
 * The stores with every verb of every port (and ping and close) going through `around`, which
 * gets the verb's name, its arguments and the call to make (or not). Verb names are unique
 * across the ports, so wrappers can tell verbs apart by name alone.
 */
export function aroundVerbs(stores: Stores, around: (verb: string | symbol, args: unknown[], call: () => unknown) => unknown): Stores {
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        const value: unknown = Reflect.get(t, prop, t);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => around(prop, args, () => (value as (...a: unknown[]) => unknown).apply(t, args));
      },
    });
  // The Redis stores' client is no port: it stays as it is.
  const ports = Object.entries(stores).map(([name, port]: [string, unknown]) => [
    name,
    name !== 'client' && typeof port === 'object' && port !== null ? wrap(port) : port,
  ]);
  return wrap(Object.fromEntries(ports) as Stores);
}

/**
 * A store whose verbs reject while `fault` returns an error for them (as an unreachable Redis or a
 * record gone bad would), for startServer's wrapStore.
 */
export function faultyStore(store: Stores, fault: (verb: string | symbol, args: unknown[]) => Error | undefined): Stores {
  return aroundVerbs(store, (verb, args, call) => {
    const err = fault(verb, args);
    return err ? Promise.reject(err) : call();
  });
}

/** JSON over HTTP with an optional bearer token. */
export async function http(base: string, method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, text };
}

/** Creates a group over HTTP as `facilitator` and enrols `participants`; returns the group id. */
export async function makeGroup(srv: Pick<TestServer, 'url'>, facilitator: TestUser, participants: TestUser[] = []): Promise<string> {
  const res = await http(srv.url, 'POST', '/api/groups', { token: facilitator.token, body: { name: 'Tuesday evening group' } });
  if (res.status !== 201) throw new Error(`create group: ${res.status} ${res.text}`);
  const groupId: string = res.body.data.group.id;
  for (const p of participants) await enrol(srv, groupId, facilitator, p, 'participant', p.name);
  return groupId;
}

/** `by` enrols `u` in the group over HTTP with this role (and display name, when given); throws unless 200. */
export async function enrol(
  srv: Pick<TestServer, 'url'>,
  groupId: string,
  by: TestUser,
  u: { id: string },
  role: 'participant' | 'facilitator',
  name?: string,
): Promise<void> {
  const r = await http(srv.url, 'PUT', `/api/groups/${groupId}/members/${u.id}`, { token: by.token, body: { role, name } });
  if (r.status !== 200) throw new Error(`enrol: ${r.status} ${r.text}`);
}

/** The store with every verb telling `onCall` its arguments before it is made. */
export function observeStore(store: Stores, onCall: (args: unknown[], method: string | symbol) => void): Stores {
  return aroundVerbs(store, (verb, args, call) => {
    onCall(args, verb);
    return call();
  });
}
