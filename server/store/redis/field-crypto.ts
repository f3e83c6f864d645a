// Free text encrypted at rest, field by field (docs/protocol.md §10 DATA_KEYS): the one seam every
// Redis port seals and opens its records through.
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** A data key: its id (written into every value it seals) and its 32 bytes. */
export type DataKey = { id: string; key: Buffer };

/** A value the configured keys cannot open: an unknown key id, or a failed tag (wrong key, altered value). */
export class DataKeyError extends Error {}

/**
 * The stored fields that hold free text, by record, as dotted paths (`*` for every element of an
 * array). Adding a field to encrypt is one path here; rotation (scripts/rotate-data-key.ts) finds
 * sealed values wherever they are and needs no list.
 */
export const SEALED_FIELDS = {
  message: ['text', 'sender.name', 'checkin.note'],
  checkin: ['note'],
  report: ['note', 'resolutionNote'],
  invite: ['note', 'from.name', 'to.name'],
  partnership: ['users.*.name'],
  enrolment: ['name'],
  audit: ['actor.name', 'reason'],
  disclosure: ['recipientName', 'recipientAffiliation', 'disclosedBy', 'nature'],
  attendanceCorrection: ['note', 'by.name'],
} as const satisfies Record<string, readonly string[]>;
export type SealedRecord = keyof typeof SEALED_FIELDS;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `v1.<keyId>.<base64(iv | tag | ciphertext)>`; anything else is a plain value (stored before keys were set). */
const SEALED = /^v1\.([a-z0-9]{1,16})\.([A-Za-z0-9+/]{38,}={0,2})$/;
export const KEY_ID = /^[a-z0-9]{1,16}$/;

/**
 * AES-256-GCM through node:crypto. The first key seals; every key opens. Without keys it is the
 * identity for sealing and opens only plain values (a sealed one is a DataKeyError, never
 * ciphertext shown as text).
 */
export class FieldCrypto {
  private readonly byId: Map<string, KeyObject>;
  readonly writer: DataKey | undefined;
  private readonly writerKey: KeyObject | undefined;

  constructor(keys: readonly DataKey[] = []) {
    this.writer = keys[0];
    // KeyObjects once, rather than a Buffer imported again by every cipher.
    this.byId = new Map(keys.map((k) => [k.id, createSecretKey(k.key)]));
    this.writerKey = this.writer && this.byId.get(this.writer.id);
  }

  get enabled(): boolean {
    return this.writer !== undefined;
  }

  seal(plain: string): string {
    if (!this.writer || !this.writerKey) return plain;
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.writerKey, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${this.writer.id}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
  }

  // Random IVs drawn 512 at a time: one randomBytes call per value was most of what sealing cost.
  private ivPool = Buffer.alloc(0);
  private ivAt = 0;

  private nextIv(): Buffer {
    if (this.ivAt >= this.ivPool.length) {
      this.ivPool = randomBytes(IV_BYTES * 512);
      this.ivAt = 0;
    }
    this.ivAt += IV_BYTES;
    return this.ivPool.subarray(this.ivAt - IV_BYTES, this.ivAt);
  }

  open(stored: string): string {
    const m = SEALED.exec(stored);
    if (!m) return stored;
    const [, id, body] = m as unknown as [string, string, string];
    const key = this.byId.get(id);
    if (!key) throw new DataKeyError(`a stored value is sealed with data key ${id}, which DATA_KEYS does not hold`);
    const raw = Buffer.from(body, 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DataKeyError(`a stored value does not open with data key ${id}: the key is wrong or the value was altered`);
    }
  }

  /** The key id a value is sealed with, or null for a plain value. */
  static keyIdOf(stored: string): string | null {
    return SEALED.exec(stored)?.[1] ?? null;
  }

  /** A copy of the record with its free-text fields sealed (no keys: the record itself). */
  sealRecord<T>(kind: SealedRecord, record: T): T {
    return this.enabled ? mapFields(record, SEALED_FIELDS[kind], (v) => this.seal(v)) : record;
  }

  /** A copy of the record with its free-text fields opened. */
  openRecord<T>(kind: SealedRecord, record: T): T {
    return mapFields(record, SEALED_FIELDS[kind], (v) => this.open(v));
  }

  /** JSON.parse, then openRecord. */
  parse<T>(kind: SealedRecord, json: string): T {
    return this.openRecord(kind, JSON.parse(json) as T);
  }

  /** sealRecord, then JSON.stringify. */
  stringify(kind: SealedRecord, record: unknown): string {
    return JSON.stringify(this.sealRecord(kind, record));
  }
}

/** A copy of `record` with `f` applied to the string at each path (absent fields stay absent). */
function mapFields<T>(record: T, paths: readonly string[], f: (v: string) => string): T {
  let out = record;
  for (const path of paths) out = mapPath(out, path.split('.'), f) as T;
  return out;
}

function mapPath(value: unknown, path: string[], f: (v: string) => string): unknown {
  if (path.length === 0) return typeof value === 'string' ? f(value) : value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '*') return Array.isArray(value) ? value.map((v) => mapPath(v, rest, f)) : value;
  if (value === null || typeof value !== 'object' || !(head in value)) return value;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...value }) as Record<string, unknown>;
  copy[head] = mapPath(copy[head], rest, f);
  return copy;
}

/**
 * Every sealed string inside a stored value (a JSON record, or a sealed value on its own) re-sealed
 * by `crypto`'s writing key when another key sealed it; null when nothing needs it. Rotation's
 * walk: it needs no list of fields, so a field added to SEALED_FIELDS rotates too.
 */
export function resealed(crypto: FieldCrypto, stored: string): string | null {
  const writer = crypto.writer?.id;
  if (!writer) return null;
  const stale = (s: string) => {
    const id = FieldCrypto.keyIdOf(s);
    return id !== null && id !== writer;
  };
  if (stale(stored)) return crypto.seal(crypto.open(stored));
  const brace = stored.indexOf('{');
  if (brace < 0 || !stored.includes('"v1.')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.slice(brace));
  } catch {
    return null;
  }
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && stale(v)) {
      changed = true;
      return crypto.seal(crypto.open(v));
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const out = walk(parsed);
  return changed ? stored.slice(0, brace) + JSON.stringify(out) : null;
}
