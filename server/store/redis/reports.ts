import type { ProgramAlert, QueuedReport } from '../../../shared/index.js';
import type { AlertQueue, ReportQueue } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';
import type { FieldCrypto } from './field-crypto.js';
import { DECODE, SETTLE } from './lua.js';

/**
 * KEYS: reports, order, dedupe keys. ARGV: dedupe key, report id, report JSON.
 * Returns {1} when queued, {0, existing JSON} for a duplicate.
 */
const FILE_REPORT = `
local prev = redis.call('HGET', KEYS[3], ARGV[1])
if prev then return {0, redis.call('HGET', KEYS[1], prev)} end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return {1}
`;

/** KEYS: reports. ARGV: report id, resolver id, time, note ('' for none). Returns the report JSON, or nil. */
const RESOLVE_REPORT = `
${DECODE}
${SETTLE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local note = ARGV[4] ~= '' and ARGV[4] or false
local out, why = settle(raw, 'open', { status = 'resolved', resolvedBy = ARGV[2], resolvedAt = tonumber(ARGV[3]), resolutionNote = note })
if why == 'unchanged' then return raw end
if not out then return false end
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * KEYS: reports. ARGV: report id, acknowledger id, time. Records the first acknowledgement of an
 * open item (a later one, or one after resolution, changes nothing). Returns the JSON, or nil.
 */
const ACKNOWLEDGE_REPORT = `
${DECODE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return false end
local r = decode(raw)
if not r then return false end
if r.status ~= 'open' or r.acknowledgedBy ~= nil then return raw end
r.acknowledgedBy = ARGV[2]
r.acknowledgedAt = tonumber(ARGV[3])
local out = cjson.encode(r)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;

/**
 * KEYS: reports. ARGV: reporter id. Drops the note of every report that reporter filed; only
 * reports that name them are decoded. Returns how many notes went.
 */
const FORGET_REPORT_NOTES = `
${DECODE}
local all = redis.call('HGETALL', KEYS[1])
local mark = '"reporterId":' .. cjson.encode(ARGV[1])
local dropped = 0
for i = 1, #all, 2 do
  if string.find(all[i + 1], mark, 1, true) then
    local r = decode(all[i + 1])
    if r and r.reporterId == ARGV[1] and r.note ~= nil then
      r.note = nil
      redis.call('HSET', KEYS[1], all[i], cjson.encode(r))
      dropped = dropped + 1
    end
  end
end
return dropped
`;

type Scripts = {
  bridgeFileReport(reports: string, order: string, keys: string, dedupeKey: string, id: string, json: string): Promise<[number, string?]>;
  bridgeResolveReport(reports: string, id: string, by: string, at: number, note: string): Promise<string | null>;
  bridgeAcknowledgeReport(reports: string, id: string, by: string, at: number): Promise<string | null>;
  bridgeForgetReportNotes(reports: string, reporterId: string): Promise<number>;
};

/** A queue's keys: a hash of items by id, a list of ids in filing order and a hash of dedupe keys. */
type QueueKeys = [items: string, order: string, dedupe: string];

/**
 * A queue (a group's reports, the program's alerts): its three keys under one hash tag, so
 * FILE_REPORT writes all three at once.
 */
class RedisQueue<T extends { id: string; status: string }> {
  readonly redis: RedisClient & Scripts;
  private readonly crypto: FieldCrypto;

  constructor({ client, crypto }: RedisBase) {
    this.crypto = crypto;
    this.redis = withScripts<Scripts>(client, {
      bridgeFileReport: [3, FILE_REPORT],
      bridgeResolveReport: [1, RESOLVE_REPORT],
      bridgeAcknowledgeReport: [1, ACKNOWLEDGE_REPORT],
      bridgeForgetReportNotes: [1, FORGET_REPORT_NOTES],
    });
  }

  async file(keys: QueueKeys, item: T, dedupeKey: string): Promise<{ item: T; duplicate: boolean }> {
    const [isNew, existing] = await this.redis.bridgeFileReport(...keys, dedupeKey, item.id, this.crypto.stringify('report', item));
    return isNew === 1 ? { item, duplicate: false } : { item: this.item(String(existing)), duplicate: true };
  }

  async list([items, order]: QueueKeys, status: 'open' | 'all'): Promise<T[]> {
    const ids = await this.redis.lrange(order, 0, -1);
    if (!ids.length) return [];
    const rows = await this.redis.hmget(items, ...ids);
    return rows.flatMap((raw) => (raw ? [this.item(raw)] : [])).filter((r) => status === 'all' || r.status === 'open');
  }

  async acknowledge([items]: QueueKeys, id: string, by: string, at: number): Promise<T | null> {
    const raw = await this.redis.bridgeAcknowledgeReport(items, id, by, at);
    return raw ? this.item(raw) : null;
  }

  async resolve([items]: QueueKeys, id: string, by: string, at: number, note = ''): Promise<T | null> {
    const raw = await this.redis.bridgeResolveReport(items, id, by, at, note && this.crypto.seal(note));
    return raw ? this.item(raw) : null;
  }

  private item(raw: string): T {
    return this.crypto.parse<T>('report', raw);
  }
}

/** Each group's report queue in Redis, under the group's hash tag. */
export class RedisReportQueue implements ReportQueue {
  private readonly queue: RedisQueue<QueuedReport>;

  constructor(private readonly base: RedisBase) {
    this.queue = new RedisQueue(base);
  }

  async fileReport(report: QueuedReport, dedupeKey: string): Promise<{ report: QueuedReport; duplicate: boolean }> {
    const { item, duplicate } = await this.queue.file(this.keys(report.groupId), report, dedupeKey);
    return { report: item, duplicate };
  }

  async reports(groupId: string, status: 'open' | 'all'): Promise<QueuedReport[]> {
    return this.queue.list(this.keys(groupId), status);
  }

  async acknowledgeReport(groupId: string, reportId: string, by: string, at: number): Promise<QueuedReport | null> {
    return this.queue.acknowledge(this.keys(groupId), reportId, by, at);
  }

  async resolveReport(groupId: string, reportId: string, by: string, at: number, note?: string): Promise<QueuedReport | null> {
    return this.queue.resolve(this.keys(groupId), reportId, by, at, note);
  }

  async forgetReportNotes(groupId: string, reporterId: string): Promise<void> {
    if ((await this.queue.redis.bridgeForgetReportNotes(this.base.k.reports(groupId), reporterId)) > 0) this.base.erased();
  }

  private keys(groupId: string): QueueKeys {
    const k = this.base.k;
    return [k.reports(groupId), k.reportOrder(groupId), k.reportKeys(groupId)];
  }
}

/** The program's alert queue in Redis, under the `{pa}` hash tag. */
export class RedisAlertQueue implements AlertQueue {
  private readonly queue: RedisQueue<ProgramAlert>;
  private readonly keys: QueueKeys;

  constructor(base: RedisBase) {
    const { k } = base;
    this.queue = new RedisQueue(base);
    this.keys = [k.programAlerts(), k.programAlertOrder(), k.programAlertKeys()];
  }

  async fileProgramAlert(alert: ProgramAlert, dedupeKey: string): Promise<{ alert: ProgramAlert; duplicate: boolean }> {
    const { item, duplicate } = await this.queue.file(this.keys, alert, dedupeKey);
    return { alert: item, duplicate };
  }

  async programAlerts(status: 'open' | 'all'): Promise<ProgramAlert[]> {
    return this.queue.list(this.keys, status);
  }

  async acknowledgeProgramAlert(alertId: string, by: string, at: number): Promise<ProgramAlert | null> {
    return this.queue.acknowledge(this.keys, alertId, by, at);
  }

  async resolveProgramAlert(alertId: string, by: string, at: number, note?: string): Promise<ProgramAlert | null> {
    return this.queue.resolve(this.keys, alertId, by, at, note);
  }
}
