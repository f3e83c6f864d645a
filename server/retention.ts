import type { Logger } from './logger.js';
import type { Stores } from './store/ports.js';
import { repeat } from './repeat.js';

const DAY_MS = 86_400_000;

/**
 * Retention: every node removes messages and check-ins older than RETENTION_DAYS every sweep
 * interval. Trimming is idempotent and atomic per conversation and per person, so nodes sweeping
 * at once do no harm; the two trims are apart, so one failing never stops the other.
 */
export class RetentionService {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'log' | 'checkins'>,
    private readonly log: Logger,
    private readonly retentionDays: number,
    private readonly sweepMs: number,
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.sweep(), this.sweepMs);
  }

  stop(): void {
    this.stopTimer();
  }

  /** Returns how many messages and check-ins went. */
  async sweep(now = Date.now()): Promise<number> {
    const cutoff = now - this.retentionDays * DAY_MS;
    const [messages, checkins] = await Promise.all([this.trimMessages(cutoff), this.trimCheckins(cutoff)]);
    return messages + checkins;
  }

  private async trimMessages(cutoff: number): Promise<number> {
    try {
      const { removed, failed } = await this.store.log.trimBefore(cutoff);
      if (removed) this.log.info({ removed }, 'messages past retention removed');
      // Ids only: the next sweep tries these again, and every other conversation was trimmed.
      if (failed.length)
        this.log.error({ conversations: failed.map((c) => `${c.kind}:${c.id}`) }, 'retention could not trim some conversations');
      return removed;
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'retention sweep failed');
      return 0;
    }
  }

  private async trimCheckins(cutoff: number): Promise<number> {
    try {
      const { removed, failed } = await this.store.checkins.trimCheckinsBefore(cutoff);
      if (removed) this.log.info({ removed }, 'check-ins past retention removed');
      // User ids only: the next sweep tries these again, and everyone else's were trimmed.
      if (failed.length) this.log.error({ users: failed }, 'retention could not trim some check-ins');
      return removed;
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'check-in retention sweep failed');
      return 0;
    }
  }
}
