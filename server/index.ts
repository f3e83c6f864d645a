// Entry point: reads the environment, picks the store, starts one node, handles signals.
import { createApp, type BridgeApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';
import { createNodeLogger } from './logger.js';
import { checkFsyncDurability } from './store/durability.js';
import { createMemoryStores } from './store/memory/index.js';
import { createRedisStores } from './store/redis/index.js';
import type { Stores } from './store/ports.js';

const SHUTDOWN_DEADLINE_MS = 9_000;

/** Config problems (bad variables, unreadable files) stop the start with exit 78 and the variable's name. */
function exitOnConfigError(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`bridge: configuration error: ${err.message}`);
  process.exit(78);
}

/**
 * A port or address this machine will not give us is the operator's to fix: one line saying which
 * setting, no stack trace. Anything else is a bug and is thrown.
 */
function exitOnListenError(err: unknown, cfg: Config): never {
  const { code, port, address } = err as NodeJS.ErrnoException & { port?: number; address?: string };
  const variable = port === cfg.metrics.port && port !== cfg.port ? 'METRICS_PORT' : 'PORT';
  if (code === 'EADDRINUSE')
    console.error(`bridge: port ${port} on ${address} is already in use; set ${variable} to a free port or stop what is using it`);
  else if (code === 'EADDRNOTAVAIL')
    console.error(
      `bridge: cannot listen on ${address}, which is not an address of this machine; set HOST to one of its addresses (or 0.0.0.0)`,
    );
  else throw err;
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}
const log = await createNodeLogger(config.logLevel);

// Declared before the store: its error handler can run while the durability check awaits Redis.
let app: BridgeApp | undefined;
let store: Stores;
if (config.redis) {
  const redis = createRedisStores(config.redis, config.redisPrefix, { dataKeys: config.dataKeys });
  redis.client.on('error', (err: Error) => {
    log.warn({ code: (err as { code?: string }).code ?? err.name }, 'store redis error');
    app?.metrics.redisError('store');
  });
  store = redis;
  try {
    await redis.checkDataKeys();
  } catch (err) {
    // Redis not answering yet is not the keys' fault: the node starts (and reports not ready); a
    // sealed value its keys cannot open is still an error on read, never ciphertext served as text.
    if (err instanceof ConfigError) exitOnConfigError(err);
    log.warn({ code: (err as { code?: string }).code ?? (err as Error).name }, 'could not check DATA_KEYS against the store at start');
  }
  if (config.dataKeys.length) log.info({ dataKey: config.dataKeys[0]!.id }, 'free text is encrypted at rest');
  else if (config.env === 'production')
    log.warn('DATA_KEYS is not set: message text, notes and names are stored in Redis unencrypted (docs/protocol.md §10)');
  if (config.durability === 'fsync') {
    try {
      await checkFsyncDurability(redis.client);
    } catch (err) {
      exitOnConfigError(err); // the exit closes the connection (a quit could wait on a Redis that does not answer)
    }
    log.info({ durability: 'fsync' }, 'redis fsyncs its append-only file before every reply: an ack means on disk');
  }
} else {
  store = createMemoryStores();
  log.warn('REDIS_URL is not set: state is kept in this process only (one node, lost on restart)');
}
if (config.demo) log.warn('DEMO MODE: this node signs its own tokens at POST /auth/demo; never use it with real people');

try {
  app = await createApp({ config, store, log });
} catch (err) {
  await store.close();
  exitOnConfigError(err);
}
let port: number;
try {
  port = await app.listen();
} catch (err) {
  exitOnListenError(err, config);
}
// A wildcard address is not one a browser can open; this machine's own name for it is.
const urlHost = ['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
const url = `http://${urlHost}:${port}`;
log.info({ port, url, metricsPort: app.metricsPort(), host: config.host, store: store.kind, demo: config.demo }, 'bridge node listening');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
process.on('unhandledRejection', (err) => log.error({ err: String(err) }, 'unhandled rejection'));
