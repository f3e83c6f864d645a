import { Cluster } from 'ioredis';
import { redisKeys } from '../keys.js';
import type { Stores } from '../ports.js';
import { connectRedis, type RedisClient, type RedisTarget } from '../redis-client.js';
import { RedisAccessLog, RedisDisclosures } from './access.js';
import { RedisAdmission } from './admission.js';
import { RedisAgreements } from './agreements.js';
import { RedisAttendance } from './attendance.js';
import { RedisAuditLog } from './audit.js';
import type { RedisBase } from './base.js';
import { RedisCheckinWatch } from './checkin-watch.js';
import { RedisCheckins } from './checkins.js';
import { RedisEscalationQueue } from './escalations.js';
import { checkDataKeys } from './data-sentinel.js';
import { FieldCrypto, type DataKey } from './field-crypto.js';
import { rewriteAppendOnlyFiles } from './rotation.js';
import { RedisGroups } from './groups.js';
import { RedisHeldMessages } from './held.js';
import { RedisLimits } from './limits.js';
import { RedisLog } from './log.js';
import { RedisModeration } from './moderation.js';
import { RedisPartners } from './partners.js';
import { RedisPresence } from './presence.js';
import { RedisAlertQueue, RedisReportQueue } from './reports.js';
import { RedisRoom } from './room.js';
import { RedisSessions } from './sessions.js';
import { RedisPushSubscriptions } from './push.js';

/** Every port on one Redis client, and the client, for errors to be observed by whoever owns the stores. */
export type RedisStores = Stores & {
  readonly client: RedisClient;
  /** Throws ConfigError unless the configured data keys can read what this store holds (data-sentinel.ts). */
  checkDataKeys(): Promise<void>;
};

/**
 * How long a command may wait for Redis before it fails. Without it, a Redis that stalls with its
 * connections open (SIGSTOP, a hung host, a long fork) holds every command, and so every ack,
 * until it answers again; with it, callers get the retryable "storage is unavailable" error.
 * Auto-pipelining sends one pipeline at a time, so a command queued behind a stalled pipeline
 * fails after at most twice this.
 */
const COMMAND_TIMEOUT_MS = 1000;

/**
 * After an erasure, Redis is asked to rewrite its append-only file (which keeps erased values)
 * this long after the last erasure of a burst (one person's erasure erases many messages): one
 * rewrite per burst, never part of the erasure's own time or result.
 */
const ERASE_REWRITE_DELAY_MS = 2000;

/** `run` once, `ms` after the last of a burst of calls. */
function debounced(ms: number, run: () => Promise<void>): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), ms);
    timer.unref();
  };
}

/**
 * All state in Redis (one server or a Redis Cluster), so any number of nodes can share it: every
 * port on one client, made for the target with the options the ports rely on (auto-pipelining,
 * the command timeout), so independent commands of all of them go out together in one
 * auto-pipeline, split by node on a cluster.
 */
export function createRedisStores(target: RedisTarget, prefix: string, opts: { dataKeys?: readonly DataKey[] } = {}): RedisStores {
  const client = connectRedis(target, { enableAutoPipelining: true, maxRetriesPerRequest: 2, commandTimeout: COMMAND_TIMEOUT_MS });
  const base: RedisBase = {
    client,
    k: redisKeys(prefix),
    cluster: client instanceof Cluster,
    crypto: new FieldCrypto(opts.dataKeys),
    erased: debounced(ERASE_REWRITE_DELAY_MS, () => rewriteAppendOnlyFiles(client)),
  };
  const limits = new RedisLimits(base);
  return {
    kind: 'redis',
    client,
    groups: new RedisGroups(base),
    log: new RedisLog(base),
    room: new RedisRoom(base),
    moderation: new RedisModeration(base),
    admission: new RedisAdmission(base, limits),
    agreements: new RedisAgreements(base),
    accessLog: new RedisAccessLog(base),
    disclosures: new RedisDisclosures(base),
    auditLog: new RedisAuditLog(base),
    reportQueue: new RedisReportQueue(base),
    alertQueue: new RedisAlertQueue(base),
    escalationQueue: new RedisEscalationQueue(base),
    sessions: new RedisSessions(base),
    partners: new RedisPartners(base),
    held: new RedisHeldMessages(base),
    push: new RedisPushSubscriptions(base),
    checkins: new RedisCheckins(base),
    checkinWatch: new RedisCheckinWatch(base),
    presence: new RedisPresence(base),
    attendance: new RedisAttendance(base),
    limits,
    checkDataKeys: () => checkDataKeys(base),
    async ping() {
      await client.ping();
    },
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
