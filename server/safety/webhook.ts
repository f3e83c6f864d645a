import { createHmac } from 'node:crypto';
import type { Logger } from '../logger.js';

/** What an escalation webhook carries: ids, kind, severity and a link, never text or names (§7.2). */
export type EscalationHook = {
  type: 'alert.escalated';
  alertId: string;
  kind: string;
  severity: string;
  groupId?: string;
  step: number;
  at: number;
  link: string;
};

/** Waits before each retry: 1 s, 2 s, 4 s, 8 s, 16 s, then the delivery is given up (and logged). */
export const WEBHOOK_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16_000];
const ATTEMPT_TIMEOUT_MS = 5000;

/** `Bridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as receivers check it (§7.2). */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * POSTs escalations to the configured receiver, signed, retried with backoff on a non-2xx answer
 * or a network error. The retry state is in this node's memory: the node that claimed the step
 * delivers it, and a node that stops mid-retry drops that delivery (the next page comes after
 * ESCALATION_REPEAT_SEC from whichever node claims it).
 */
export class EscalationWebhook {
  private readonly pending = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly target: { url: string; secret: string },
    private readonly log: Logger,
    private readonly delaysMs: number[] = WEBHOOK_RETRY_DELAYS_MS,
  ) {}

  deliver(hook: EscalationHook): void {
    void this.attempt(hook, JSON.stringify(hook), 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }

  private async attempt(hook: EscalationHook, body: string, n: number): Promise<void> {
    if (this.stopped) return;
    let status: number | string;
    try {
      // Signed at each attempt, so a retry carries a fresh timestamp receivers accept.
      const res = await fetch(this.target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'bridge-signature': signatureHeader(this.target.secret, body, unixNow()) },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        redirect: 'error',
      });
      await res.body?.cancel();
      if (res.ok) return;
      status = res.status;
    } catch (err) {
      status = err instanceof Error ? err.name : typeof err;
    }
    const delay = this.delaysMs[n];
    const ids = { alertId: hook.alertId, step: hook.step, attempt: n + 1, status };
    if (delay === undefined || this.stopped) {
      this.log.error(ids, 'escalation webhook not delivered; giving up');
      return;
    }
    this.log.warn(ids, 'escalation webhook failed; retrying');
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      void this.attempt(hook, body, n + 1);
    }, delay);
    this.pending.add(timer);
  }
}

const unixNow = () => Math.floor(Date.now() / 1000);
