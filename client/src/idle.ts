import { IdleWarning } from './views/idle-warning.js';
import { t } from './i18n/i18n.js';

/**
 * What counts as the person being there. Not `scroll`: the page scrolls itself (new messages,
 * an alert opened from a link); a person scrolling uses the wheel, a key or a touch.
 */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;
/** Tabs of the same browser tell each other about activity, at most this often. */
const SHARE_EVERY_MS = 1000;

/** The warning comes a minute before the sign-out, or halfway when the idle time is under two minutes. */
export const warningLeadMs = (idleMs: number) => (idleMs < 120_000 ? idleMs / 2 : 60_000);

/** "15 minutes", "1 minute", "90 seconds": for the warning and the signed-out message. */
export function inWords(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 60 && s % 60 === 0) return t('{count} minutes', { count: s / 60 });
  return t('{count} seconds', { count: s });
}

/**
 * Signs the page out after the configured time without activity (IDLE_LOGOFF_SEC, §10), warning
 * first. While `hold` is on (the room of an open session is on screen) the person counts as
 * active: someone quietly listening to their group is not signed out. Activity in another tab of
 * the same user in this browser counts too (BroadcastChannel).
 */
export class IdleLogoff {
  private idleMs = 0;
  private deadline = 0;
  private held = false;
  private warnTimer: number | undefined;
  private endTimer: number | undefined;
  private lastShared = 0;
  private readonly warning = new IdleWarning(() => this.activity());
  private readonly channel: BroadcastChannel | undefined;

  constructor(
    private readonly userId: string,
    private readonly signOut: (idleMs: number) => void,
  ) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('bridge.activity') : undefined;
    if (this.channel) this.channel.onmessage = (e: MessageEvent) => (e.data as { userId?: unknown })?.userId === userId && this.restart();
  }

  /** Starts the clock (again) with this idle time; 0 leaves it off. */
  start(idleSec: number): void {
    const first = this.idleMs === 0;
    this.idleMs = idleSec * 1000;
    if (first && this.idleMs > 0) {
      for (const type of INPUT_EVENTS) window.addEventListener(type, this.onInput, { capture: true, passive: true });
      // The window itself gaining focus, not an element in it (the warning focuses its button).
      window.addEventListener('focus', this.onInput);
      document.addEventListener('visibilitychange', this.onVisibility);
    }
    this.restart();
  }

  /** On: counts as continuous activity. Off: the idle time starts from now. */
  hold(on: boolean): void {
    if (on === this.held) return;
    this.held = on;
    this.restart();
  }

  dispose(): void {
    this.clearTimers();
    this.warning.hide();
    this.channel?.close();
    for (const type of INPUT_EVENTS) window.removeEventListener(type, this.onInput, { capture: true });
    window.removeEventListener('focus', this.onInput);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.idleMs = 0;
  }

  private readonly onInput = (e: Event) => {
    // A press on the open warning is answered by its click: closing it at pointerdown would send
    // the click to whatever lies under it.
    if (e.type === 'pointerdown' && this.warning.open) return;
    this.activity();
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') this.activity();
  };

  private activity(): void {
    if (!this.idleMs) return;
    // A hidden tab's timers may run late: coming back after the deadline signs out, not in.
    if (!this.held && Date.now() >= this.deadline) return this.expire();
    this.restart();
    const now = Date.now();
    if (now - this.lastShared >= SHARE_EVERY_MS) {
      this.lastShared = now;
      this.channel?.postMessage({ userId: this.userId });
    }
  }

  private restart(): void {
    this.clearTimers();
    this.warning.hide();
    if (!this.idleMs || this.held) return;
    this.deadline = Date.now() + this.idleMs;
    const lead = warningLeadMs(this.idleMs);
    this.warnTimer = window.setTimeout(() => this.warning.show(inWords(lead)), this.idleMs - lead);
    this.endTimer = window.setTimeout(() => this.expire(), this.idleMs);
  }

  private expire(): void {
    const idleMs = this.idleMs;
    this.dispose();
    this.signOut(idleMs);
  }

  private clearTimers(): void {
    window.clearTimeout(this.warnTimer);
    window.clearTimeout(this.endTimer);
  }
}
