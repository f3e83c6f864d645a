import { Cluster, type Redis } from 'ioredis';
import { ConfigError } from '../errors.js';
import type { RedisClient } from './redis-client.js';

/**
 * What Redis must run with for an ack to mean "on disk": every write appended to its append-only
 * file and fsynced before Redis replies (with `everysec` a power loss can take the last second).
 */
const REQUIRED: Record<string, string> = { appendonly: 'yes', appendfsync: 'always' };
const NEEDS = 'fsync needs Redis with appendonly yes and appendfsync always';

/**
 * STORE_DURABILITY=fsync: throws ConfigError unless every Redis server the client talks to (each
 * node of a Redis Cluster: any may become a primary) reports the REQUIRED settings. A Redis that
 * does not let us read them (CONFIG renamed or forbidden, as on some managed services) is refused
 * too: a promise that cannot be checked is not made.
 */
export async function checkFsyncDurability(client: RedisClient): Promise<void> {
  let servers: Redis[];
  try {
    servers = client instanceof Cluster ? await clusterNodes(client) : [client];
  } catch (err) {
    throw unverified('the cluster', err);
  }
  for (const server of servers) {
    const where = client instanceof Cluster ? `${server.options.host}:${server.options.port}` : 'Redis';
    let found: Record<string, string>;
    try {
      found = await settingsOf(server);
    } catch (err) {
      throw unverified(where, err);
    }
    if (Object.entries(REQUIRED).some(([name, value]) => found[name] !== value)) {
      const has = Object.keys(REQUIRED)
        .map((name) => `${name} ${found[name] ?? '(not reported)'}`)
        .join(', ');
      throw new ConfigError(`invalid STORE_DURABILITY: ${NEEDS}; ${where} has ${has}`);
    }
  }
}

/** A cluster client learns its nodes with the slot map, on its first command. */
async function clusterNodes(cluster: Cluster): Promise<Redis[]> {
  await cluster.ping();
  return cluster.nodes('all');
}

async function settingsOf(server: Redis): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  // One setting per CONFIG GET: several in one call need Redis 7.
  for (const name of Object.keys(REQUIRED)) {
    const [key, value] = (await server.config('GET', name)) as string[];
    if (key !== undefined && value !== undefined) found[key] = value;
  }
  return found;
}

function unverified(where: string, err: unknown): ConfigError {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 120);
  return new ConfigError(
    `invalid STORE_DURABILITY: could not verify that ${where} fsyncs every write (CONFIG GET appendonly / appendfsync failed: ${reason}); ${NEEDS}, and CONFIG GET allowed to this node`,
  );
}
