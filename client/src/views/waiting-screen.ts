import { formatTime, h, nextId, replace } from '../dom.js';
import { t } from '../i18n/i18n.js';

export type WaitingScreenHandlers = {
  /** Leave the waiting room (off the list) and go back to the groups. */
  leave: () => void;
  /** Knock again after being turned away. */
  knock: () => void;
};

/**
 * What a participant sees while a group's waiting room holds them (§5.7): a calm full-screen
 * panel, nothing of the room. Its text sits in a polite live region, so a screen reader hears
 * that they wait, and later that they were turned away, without being interrupted.
 */
export class WaitingScreen {
  readonly el: HTMLElement;
  private readonly status: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly headingId = nextId('waiting');

  constructor(private readonly handlers: WaitingScreenHandlers) {
    this.status = h('div', { class: 'waiting-status', role: 'status', 'aria-live': 'polite' });
    this.actions = h('p', { class: 'inline' });
    this.el = h(
      'section',
      { class: 'waiting-screen', 'aria-labelledby': this.headingId, hidden: true },
      h('h2', { id: this.headingId, tabindex: -1 }, t('Waiting to be let in')),
      this.status,
      this.actions,
    );
  }

  get shown(): boolean {
    return !this.el.hidden;
  }

  /** Waiting since `since` to enter `groupName`. */
  waiting(groupName: string, since: number): void {
    const first = !this.shown;
    replace(
      this.status,
      h('p', null, t('You are in the waiting room for {group}. A facilitator will let you in soon.', { group: groupName })),
      h(
        'p',
        { class: 'muted-text' },
        t('Waiting since {time}. You can keep this page open; it opens by itself.', { time: formatTime(since) }),
      ),
    );
    replace(this.actions, h('button', { type: 'button', onclick: () => this.handlers.leave() }, t('Leave')));
    this.el.hidden = false;
    if (first) this.el.querySelector('h2')?.focus();
  }

  /** A facilitator could not let them in now: say so kindly, and let them knock again or go. */
  turnedAway(groupName: string): void {
    replace(
      this.status,
      h('p', null, t('A facilitator could not let you into {group} right now.', { group: groupName })),
      h('p', { class: 'muted-text' }, t('That is all right. You can ask again later, or talk to your facilitator.')),
    );
    replace(
      this.actions,
      h('button', { type: 'button', class: 'primary', onclick: () => this.handlers.knock() }, t('Ask again')),
      h('button', { type: 'button', onclick: () => this.handlers.leave() }, t('Leave')),
    );
    this.el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
