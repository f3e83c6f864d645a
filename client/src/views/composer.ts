import { MAX_RAW_TEXT_CHARS, MAX_TEXT_CHARS, charCount, normaliseText } from '../../../shared/text-rules.js';
import type { Connection } from '../connection.js';
import { announce, formatWait, h, nextId } from '../dom.js';
import { t } from '../i18n/i18n.js';

export type ComposerOptions = {
  label: string;
  onSend: (text: string) => void;
  onTyping: (typing: boolean) => void;
  /** a control that sits beside Send (the room's raise-hand button) */
  beside?: HTMLElement;
};

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;

/** §3's count, as the server will count it (older browsers without toWellFormed get a close guess). */
function countChars(text: string): number {
  return charCount(typeof ''.toWellFormed === 'function' ? normaliseText(text) : text.trim());
}

/** A refusal with its countdown: "Slow mode is on in this group. You can send again in 25 s." */
const sendAgainIn = (reason: string, ms: number) => t('{reason} You can send again in {wait}.', { reason, wait: formatWait(ms) });

/**
 * The message box: a live character count, Enter to send (Shift+Enter for a new line), typing
 * signals, and one place for "why you cannot send" — a standing block (muted, session closed) or
 * a passing refusal with a countdown (slow mode, rate limit) — right above the box, so it is in
 * view wherever the box is; and a word on what happens to what you write while offline.
 */
export class Composer {
  readonly el: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly counter: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly note: HTMLElement;
  private blockedBy: string | null = null;
  private waitUntil = 0;
  private waitText = '';
  private tick = 0;
  private typing = false;
  private lastTypingAt = 0;
  private idleTimer = 0;

  constructor(private readonly opts: ComposerOptions) {
    const id = nextId('composer');
    this.input = h('textarea', {
      id,
      name: 'text',
      rows: 2,
      maxlength: MAX_RAW_TEXT_CHARS,
      autocomplete: 'off',
      'aria-describedby': `${id}-count ${id}-problem`,
      oninput: () => this.changed(),
      onkeydown: (e) => {
        const k = e as KeyboardEvent;
        if (k.key === 'Enter' && !k.shiftKey && !k.isComposing) {
          k.preventDefault();
          this.submit();
        }
      },
    });
    this.button = h('button', { type: 'submit', class: 'primary' }, t('Send'));
    this.counter = h('span', { id: `${id}-count`, class: 'count' });
    this.problem = h('p', { id: `${id}-problem`, class: 'problem', hidden: true });
    this.note = h('p', { class: 'composer-note', hidden: true });
    this.el = h(
      'form',
      {
        class: 'composer',
        onsubmit: (e) => {
          e.preventDefault();
          this.submit();
        },
      },
      this.problem,
      this.note,
      h('label', { for: id }, opts.label),
      this.input,
      h('div', { class: 'composer-row' }, this.counter, h('span', { class: 'composer-buttons' }, opts.beside ?? null, this.button)),
    );
    this.render();
  }

  /** A standing reason not to send (muted, session closed, removed), or null to allow sending. */
  block(reason: string | null): void {
    if (reason === this.blockedBy) return;
    this.blockedBy = reason;
    if (reason) this.stopTyping();
    this.render();
  }

  /** Says, while the connection is down, that what is sent waits here (the outbox sends it once back). */
  followConnection(conn: Connection): () => void {
    return conn.onState((state) => {
      const down = state === 'reconnecting' || state === 'offline' || state === 'crowded';
      this.note.textContent = down ? t('Not connected: what you send now waits here and goes out when the connection is back.') : '';
      this.note.hidden = !down;
    });
  }

  /** A passing refusal: says why, and counts down when the server said how long. */
  refuse(text: string, retryAfterMs?: number): void {
    this.waitText = text;
    this.waitUntil = retryAfterMs ? Date.now() + retryAfterMs : 0;
    announce(retryAfterMs ? sendAgainIn(text, retryAfterMs) : text, true);
    window.clearInterval(this.tick);
    if (retryAfterMs) this.tick = window.setInterval(() => this.render(), 1000);
    this.render();
  }

  /** Ends a passing refusal early (slow mode was turned off). */
  clearWait(): void {
    window.clearInterval(this.tick);
    this.waitUntil = 0;
    this.waitText = '';
    this.render();
  }

  /** Puts refused text back so nothing typed is lost. */
  restore(text: string): void {
    if (!this.input.value.trim()) this.input.value = text;
    this.render();
  }

  focus(): void {
    this.input.focus();
  }

  dispose(): void {
    window.clearInterval(this.tick);
    window.clearTimeout(this.idleTimer);
    this.stopTyping();
  }

  private submit(): void {
    const text = this.input.value;
    const n = countChars(text);
    if (this.blockedBy || this.waiting() || n === 0 || n > MAX_TEXT_CHARS) return;
    this.input.value = '';
    this.waitText = '';
    this.stopTyping();
    this.render();
    this.opts.onSend(text);
  }

  private changed(): void {
    if (this.waitText && !this.waiting()) this.waitText = '';
    this.render();
    const now = Date.now();
    if (this.input.value.trim() && !this.blockedBy) {
      if (!this.typing || now - this.lastTypingAt > TYPING_REPEAT_MS) {
        this.typing = true;
        this.lastTypingAt = now;
        this.opts.onTyping(true);
      }
      window.clearTimeout(this.idleTimer);
      this.idleTimer = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
    } else {
      this.stopTyping();
    }
  }

  private stopTyping(): void {
    window.clearTimeout(this.idleTimer);
    if (!this.typing) return;
    this.typing = false;
    this.opts.onTyping(false);
  }

  private waiting(): boolean {
    return this.waitUntil > Date.now();
  }

  private render(): void {
    const n = countChars(this.input.value);
    const over = n - MAX_TEXT_CHARS;
    this.counter.textContent =
      over > 0 ? t('{count} characters too many ({n} / {max})', { count: over, n, max: MAX_TEXT_CHARS }) : `${n} / ${MAX_TEXT_CHARS}`;
    this.counter.classList.toggle('over', over > 0);
    const waiting = this.waiting();
    if (!waiting && this.waitUntil) {
      this.waitUntil = 0;
      this.waitText = '';
      window.clearInterval(this.tick);
    }
    this.input.disabled = Boolean(this.blockedBy);
    this.button.disabled = Boolean(this.blockedBy) || waiting || n === 0 || over > 0;
    const problem =
      this.blockedBy ?? (this.waitText ? (waiting ? sendAgainIn(this.waitText, this.waitUntil - Date.now()) : this.waitText) : '');
    this.problem.textContent = problem;
    this.problem.hidden = !problem;
  }
}
