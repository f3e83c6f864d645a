import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a standalone server (or a proxy) at `url`, or a Redis Cluster that `url` is one node of. */
export type RedisTarget = { url: string; cluster: boolean };

/** ioredis's two clients share every command Bridge uses; the adapters accept both. */
export type RedisClient = Redis | Cluster;

/**
 * One ioredis client for the target. For a cluster, the URL's host and port are the seed node
 * (ioredis learns the others and the slot map from it) and its credentials and TLS go to every
 * node's connection; a cluster has only database 0, which the config check enforces.
 */
export function connectRedis(target: RedisTarget, options: RedisOptions = {}, cluster: { shardedSubscribers?: boolean } = {}): RedisClient {
  if (!target.cluster) return new Redis(target.url, options);
  const url = new URL(target.url);
  const { enableAutoPipelining, ...nodeOptions } = options;
  return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
    enableAutoPipelining,
    ...cluster,
    redisOptions: {
      ...nodeOptions,
      ...(url.username && { username: decodeURIComponent(url.username) }),
      ...(url.password && { password: decodeURIComponent(url.password) }),
      ...(url.protocol === 'rediss:' && { tls: {} }),
    },
  });
}
