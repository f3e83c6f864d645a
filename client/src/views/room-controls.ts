import type { GroupState, Member, WaitingPerson } from '../../../shared/index.js';
import { formatTime, h, nextId, replace } from '../dom.js';

export type RoomControlHandlers = {
  session: (open: boolean) => void;
  lock: (locked: boolean) => void;
  slowMode: (seconds: number) => void;
  quiet: (quiet: boolean) => void;
  lowerHand: (userId: string) => void;
  waitingRoom: (on: boolean) => void;
  admit: (person: WaitingPerson) => void;
  admitAll: () => void;
  turnAway: (person: WaitingPerson) => void;
  /** opens the group's attendance (§5.8) */
  attendance: () => void;
};

const SLOW_CHOICES = [0, 10, 30, 60, 120, 300];

/** A facilitator's room controls: session, lock, waiting room, slow mode, who waits, and the speaking queue. */
export class RoomControls {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly handlers: RoomControlHandlers) {
    const id = nextId('controls');
    this.body = h('div', { class: 'controls' });
    this.el = h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, 'Room controls'), this.body);
  }

  render(state: GroupState, members: ReadonlyMap<string, Member>, waiting: readonly WaitingPerson[]): void {
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
      // Once a session has closed, who came is the next thing a facilitator looks at.
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.sessionOpen ? 'Attendance is being kept.' : 'The session has ended: see who came.'),
        h('button', { type: 'button', onclick: () => c.attendance() }, 'Attendance'),
      ),
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.locked ? 'The room is locked.' : 'The room is open to members.'),
        h('button', { type: 'button', onclick: () => c.lock(!state.locked) }, state.locked ? 'Unlock room' : 'Lock room'),
      ),
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.waitingRoom ? 'The waiting room is on.' : 'No waiting room.'),
        h(
          'button',
          { type: 'button', onclick: () => c.waitingRoom(!state.waitingRoom) },
          state.waitingRoom ? 'Turn waiting room off' : 'Turn waiting room on',
        ),
      ),
      ...this.waitingList(waiting, state.waitingRoom),
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

  /** "Waiting (n)": each person with since when, Admit and Turn away; Admit all. Nothing while no one waits and it is off. */
  private waitingList(waiting: readonly WaitingPerson[], on: boolean): HTMLElement[] {
    const c = this.handlers;
    if (!on && waiting.length === 0) return [];
    const id = nextId('waiting');
    const people = waiting.map((p) =>
      h(
        'li',
        { class: 'waiting-person' },
        h('span', null, h('span', { class: 'member-name' }, p.name), h('span', { class: 'muted-text' }, ` since ${formatTime(p.since)}`)),
        ' ',
        h('button', { type: 'button', class: 'primary', 'aria-label': `Admit ${p.name}`, onclick: () => c.admit(p) }, 'Admit'),
        h('button', { type: 'button', 'aria-label': `Turn away ${p.name}`, onclick: () => c.turnAway(p) }, 'Turn away'),
      ),
    );
    return [
      h('h4', { id }, `Waiting (${waiting.length})`),
      people.length
        ? h('ul', { class: 'waiting-list', 'aria-labelledby': id }, ...people)
        : h('p', { class: 'muted-text' }, 'No one is waiting.'),
      ...(people.length > 1 ? [h('p', null, h('button', { type: 'button', onclick: () => c.admitAll() }, 'Admit all'))] : []),
    ];
  }
}
