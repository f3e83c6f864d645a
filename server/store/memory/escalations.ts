import type { EscalationQueue } from '../ports.js';

/** Due times in this process: claims are synchronous, so each step goes to one caller. */
export class MemoryEscalationQueue implements EscalationQueue {
  private readonly due = new Map<string, { at: number; step: number }>();

  async scheduleEscalation(ref: string, dueAt: number): Promise<void> {
    this.due.set(ref, { at: dueAt, step: 0 });
  }

  async claimDueEscalations(now: number, repeatMs: number, limit: number): Promise<{ ref: string; step: number }[]> {
    const due = [...this.due.entries()]
      .filter(([, d]) => d.at <= now)
      .sort(([ra, a], [rb, b]) => a.at - b.at || (ra < rb ? -1 : 1))
      .slice(0, limit);
    return due.map(([ref, d]) => {
      d.at = now + repeatMs;
      d.step += 1;
      return { ref, step: d.step };
    });
  }

  async cancelEscalation(ref: string): Promise<void> {
    this.due.delete(ref);
  }
}
