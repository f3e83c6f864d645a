import type { RedisKeys } from '../keys.js';
import type { FieldCrypto } from './field-crypto.js';
import type { RedisClient } from '../redis-client.js';

/**
 * What every Redis port shares: one client (one auto-pipeline), the key layout, whether Redis is a
 * Cluster, the codec every record with free text is stored through (field-crypto.ts), and what an
 * erasure calls when it is done (a debounced append-only file rewrite, rotation.ts).
 */
export type RedisBase = { client: RedisClient; k: RedisKeys; cluster: boolean; crypto: FieldCrypto; erased(): void };

/**
 * A Lua script a port defines on the shared client: its fixed key count (ioredis finds a Cluster
 * command's slot from its first key) and its source.
 */
export type Script = [keys: number, lua: string];

/**
 * Defines a port's scripts on the shared client, each under its own command name, and returns
 * the client typed with them (`S`: the scripts' call signatures). Every multi-key write that must
 * not tear is one Lua script over keys of one hash slot (see keys.ts).
 */
export function withScripts<S>(client: RedisClient, scripts: { [name in keyof S & string]: Script }): RedisClient & S {
  for (const [name, [keys, lua]] of Object.entries<Script>(scripts)) {
    if (!(name in client)) client.defineCommand(name, { numberOfKeys: keys, lua });
  }
  return client as RedisClient & S;
}
