import type { Logger } from './logger.js';
import type { Stores } from './store/ports.js';

const DAY_MS = 86_400_000;

/**
 * Retention: every node removes messages older than RETENTION_DAYS every sweep interval.
 * Trimming is idempotent and atomic per conversation, so nodes sweeping at once do no harm.
 */
export class RetentionService {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<Stores, 'log'>,
    private readonly log: Logger,
    private readonly retentionDays: number,
    private readonly sweepMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sweep(now = Date.now()): Promise<number> {
    try {
      const { removed, failed } = await this.store.log.trimBefore(now - this.retentionDays * DAY_MS);
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
}
