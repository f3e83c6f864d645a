import type { GroupState, Member } from '../../../shared/index.js';
import { h, nextId, replace } from '../dom.js';

export type RoomControlHandlers = {
  session: (open: boolean) => void;
  lock: (locked: boolean) => void;
  slowMode: (seconds: number) => void;
  quiet: (quiet: boolean) => void;
  lowerHand: (userId: string) => void;
};

const SLOW_CHOICES = [0, 10, 30, 60, 120, 300];

/** A facilitator's room controls: session, lock, slow mode, and the speaking queue. */
export class RoomControls {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly handlers: RoomControlHandlers) {
    const id = nextId('controls');
    this.body = h('div', { class: 'controls' });
    this.el = h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, 'Room controls'), this.body);
  }

  render(state: GroupState, members: ReadonlyMap<string, Member>): void {
    const c = this.handlers;
    const slowId = nextId('slow');
    const slow = h(
      'select',
      { id: slowId, onchange: () => c.slowMode(Number(slow.value)) },
      ...[...new Set([...SLOW_CHOICES, state.slowModeSec])]
        .sort((a, b) => a - b)
        .map((s) => h('option', { value: s, selected: s === state.slowModeSec }, s === 0 ? 'Off' : `One message every ${s} s`)),
    );
    const queue = state.handQueue.map((userId, i) =>
      h(
        'li',
        null,
        h('span', null, members.get(userId)?.name ?? 'Someone', i === 0 ? ' (next)' : ''),
        ' ',
        h('button', { type: 'button', onclick: () => c.lowerHand(userId) }, 'Lower hand'),
      ),
    );
    replace(
      this.body,
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.sessionOpen ? 'The session is open.' : 'The session is closed.'),
        h('button', { type: 'button', onclick: () => c.session(!state.sessionOpen) }, state.sessionOpen ? 'Close session' : 'Open session'),
      ),
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.locked ? 'The room is locked.' : 'The room is open to members.'),
        h('button', { type: 'button', onclick: () => c.lock(!state.locked) }, state.locked ? 'Unlock room' : 'Lock room'),
      ),
      h('p', { class: 'inline' }, h('label', { for: slowId }, 'Slow mode'), slow),
      h(
        'p',
        { class: 'inline' },
        h(
          'span',
          null,
          state.quietPartnerChat ? 'Partner chat waits until the session ends.' : 'Partner chat goes through during sessions.',
        ),
        h(
          'button',
          { type: 'button', onclick: () => c.quiet(!state.quietPartnerChat) },
          state.quietPartnerChat ? 'Let partner chat through' : 'Quiet partner chat',
        ),
      ),
      h('h4', null, 'Raised hands'),
      queue.length ? h('ol', { class: 'queue' }, ...queue) : h('p', { class: 'muted-text' }, 'No hands raised.'),
    );
  }
}
