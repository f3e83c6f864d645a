// Entry point: reads the environment, picks the store, starts one node, handles signals.
import { createApp, type BridgeApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { checkFsyncDurability } from './store/durability.js';
import { MemoryStore } from './store/memory.js';
import { RedisStore } from './store/redis.js';
import type { Store } from './store/store.js';

const SHUTDOWN_DEADLINE_MS = 9_000;

/** Config problems (bad variables, unreadable files) stop the start with exit 78 and the variable's name. */
function exitOnConfigError(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`bridge: configuration error: ${err.message}`);
  process.exit(78);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  exitOnConfigError(err);
}
const log = createLogger(config.logLevel);

// Declared before the store: its error handler can run while the durability check awaits Redis.
let app: BridgeApp | undefined;
let store: Store;
if (config.redis) {
  const redis = new RedisStore(config.redis, config.redisPrefix);
  redis.client.on('error', (err: Error) => {
    log.warn({ code: (err as { code?: string }).code ?? err.name }, 'store redis error');
    app?.metrics.redisError('store');
  });
  store = redis;
  if (config.durability === 'fsync') {
    try {
      await checkFsyncDurability(redis.client);
    } catch (err) {
      exitOnConfigError(err); // the exit closes the connection (a quit could wait on a Redis that does not answer)
    }
    log.info({ durability: 'fsync' }, 'redis fsyncs its append-only file before every reply: an ack means on disk');
  }
} else {
  store = new MemoryStore();
  log.warn('REDIS_URL is not set: state is kept in this process only (one node, lost on restart)');
}
if (config.demo) log.warn('DEMO MODE: this node signs its own tokens at POST /auth/demo; never use it with real people');

try {
  app = await createApp({ config, store, log });
} catch (err) {
  await store.close();
  exitOnConfigError(err);
}
const port = await app.listen();
log.info({ port, metricsPort: app.metricsPort(), host: config.host, store: store.kind, demo: config.demo }, 'bridge node listening');

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
