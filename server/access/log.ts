import type { AccessEntry, AccessLogQuery, AccessWhat } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import { macOf } from './chain.js';
import { repeat } from '../repeat.js';

/** What records a read: services take this much of AccessLogService. */
export type AccessRecorder = Pick<AccessLogService, 'record'>;

/** What a read returned: its kind, about whom (user ids), in which group, and further ids. */
export type AccessRead = { what: AccessWhat; about: string[]; groupId?: string; detail?: Record<string, string> };

/** Other nodes may append between our head read and our append: this many tries before the read fails. */
const APPEND_TRIES = 20;
const DAY_MS = 86_400_000;

/**
 * The access log (issue 18): one entry for each read of data about people that is not the live
 * room, made by this node and chained onto the head in the store. A read whose entry cannot be
 * written fails, so no read goes unrecorded.
 */
export class AccessLogService {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'accessLog'>,
    private readonly key: string,
    private readonly log: Logger,
    private readonly opts: { retentionDays: number; sweepMs: number; node: string },
  ) {}

  /**
   * Records one read. Call it after the read is authorised and before its answer goes out.
   * @example await accessLog.record(actor, { what: 'attendance', about: userIds, groupId })
   */
  async record(actor: Pick<Identity, 'id' | 'role'>, read: AccessRead): Promise<AccessEntry> {
    let head = await this.store.accessLog.accessHead();
    for (let i = 0; i < APPEND_TRIES; i++) {
      const draft: Omit<AccessEntry, 'mac'> = {
        seq: head.seq + 1,
        // Never before the head: time filters can then stop at the first entry too old.
        at: Math.max(Date.now(), head.at),
        node: this.opts.node,
        actor: { id: actor.id, role: actor.role },
        what: read.what,
        about: [...new Set(read.about)].sort(),
        ...(read.groupId !== undefined ? { groupId: read.groupId } : {}),
        ...(read.detail !== undefined ? { detail: read.detail } : {}),
        prev: head.mac,
      };
      const entry = { ...draft, mac: macOf(this.key, draft) };
      const res = await this.store.accessLog.appendAccess(entry);
      if (res.appended) return entry;
      head = res.head;
    }
    // Answered INTERNAL (and logged with a correlation id): the read is refused, never unrecorded.
    throw new Error(`the access log append lost the race for its head ${APPEND_TRIES} times`);
  }

  /** GET /api/access-log: admins only; the read is itself recorded. */
  async list(actor: Identity, q: AccessLogQuery): Promise<{ entries: AccessEntry[]; hasMore: boolean }> {
    if (actor.role !== 'admin') throw new AppError('FORBIDDEN', 'only admins read the access log');
    const page = await this.store.accessLog.accessEntries(q);
    await this.record(actor, { what: 'access_log', about: q.person !== undefined ? [q.person] : [] });
    return page;
  }

  start(): void {
    this.stopTimer = repeat(() => this.sweep(), this.opts.sweepMs);
  }

  stop(): void {
    this.stopTimer();
  }

  /** Retention of the access log, apart from messages': removes entries older than ACCESS_LOG_RETENTION_DAYS. */
  async sweep(now = Date.now()): Promise<number> {
    try {
      const removed = await this.store.accessLog.trimAccessBefore(now - this.opts.retentionDays * DAY_MS);
      if (removed) this.log.info({ removed }, 'access log entries past retention removed');
      return removed;
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'access log retention sweep failed');
      return 0;
    }
  }
}
