import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

/** How long a "typing" lasts without a refresh (senders repeat it every few seconds). */
const TYPING_TTL_MS = 6000;

/** "Sam is typing…": who is typing, each forgotten after a few silent seconds. */
export class TypingLine {
  readonly el = h('p', { class: 'typing' });
  private readonly who = new Map<string, { name: string; timer: number }>();

  set(userId: string, name: string, typing: boolean): void {
    const known = this.who.get(userId);
    if (known) window.clearTimeout(known.timer);
    if (typing) this.who.set(userId, { name, timer: window.setTimeout(() => this.set(userId, name, false), TYPING_TTL_MS) });
    else this.who.delete(userId);
    this.render();
  }

  dispose(): void {
    for (const { timer } of this.who.values()) window.clearTimeout(timer);
    this.who.clear();
  }

  private render(): void {
    const names = [...this.who.values()].map((w) => w.name);
    this.el.textContent =
      names.length === 0
        ? ''
        : names.length === 1
          ? t('{name} is typing…', { name: names[0]! })
          : names.length === 2
            ? t('{first} and {second} are typing…', { first: names[0]!, second: names[1]! })
            : t('Several people are typing…');
  }
}
