import { formatTime, h, nextId, replace } from '../dom.js';

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
      h('h2', { id: this.headingId, tabindex: -1 }, 'Waiting to be let in'),
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
      h('p', null, `You are in the waiting room for ${groupName}. A facilitator will let you in soon.`),
      h('p', { class: 'muted-text' }, `Waiting since ${formatTime(since)}. You can keep this page open; it opens by itself.`),
    );
    replace(this.actions, h('button', { type: 'button', onclick: () => this.handlers.leave() }, 'Leave'));
    this.el.hidden = false;
    if (first) this.el.querySelector('h2')?.focus();
  }

  /** A facilitator could not let them in now: say so kindly, and let them knock again or go. */
  turnedAway(groupName: string): void {
    replace(
      this.status,
      h('p', null, `A facilitator could not let you into ${groupName} right now.`),
      h('p', { class: 'muted-text' }, 'That is all right. You can ask again later, or talk to your facilitator.'),
    );
    replace(
      this.actions,
      h('button', { type: 'button', class: 'primary', onclick: () => this.handlers.knock() }, 'Ask again'),
      h('button', { type: 'button', onclick: () => this.handlers.leave() }, 'Leave'),
    );
    this.el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
