import { ConfigError } from '../../errors.js';
import type { RedisBase } from './base.js';
import { DataKeyError, FieldCrypto } from './field-crypto.js';

const SENTINEL = 'bridge-sentinel';

/**
 * At start: the store keeps SENTINEL sealed by the first data key that wrote to it (rotation
 * re-seals it with the rest). Keys that cannot open it, or no keys for a store that has one, are a
 * ConfigError: a node that starts anyway would fail every read of sealed text, or serve ciphertext.
 */
export async function checkDataKeys({ client, k, crypto }: RedisBase): Promise<void> {
  const key = k.dataSentinel();
  let stored = await client.get(key);
  if (!crypto.enabled) {
    const id = stored === null ? null : FieldCrypto.keyIdOf(stored);
    if (id !== null)
      throw new ConfigError(`invalid DATA_KEYS: this store's data is encrypted (data key ${id}); set DATA_KEYS with that key`);
    return;
  }
  if (stored === null) {
    // NX: of nodes starting together on an empty store, one sentinel wins and every node checks it.
    await client.set(key, crypto.seal(SENTINEL), 'NX');
    stored = (await client.get(key)) ?? '';
  }
  let opened: string;
  try {
    opened = crypto.open(stored);
  } catch (err) {
    if (!(err instanceof DataKeyError)) throw err;
    throw new ConfigError(`invalid DATA_KEYS: these keys cannot read this store's data: ${err.message}`);
  }
  if (opened !== SENTINEL) throw new ConfigError(`invalid DATA_KEYS: the store's key check (${key}) holds an unexpected value`);
}
