import type { GroupState, Member, WaitingPerson } from '../../../shared/index.js';
import { formatTime, h, nextId, replace } from '../dom.js';
import { t } from '../i18n/i18n.js';

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
    this.el = h('section', { class: 'panel', 'aria-labelledby': id }, h('h3', { id }, t('Room controls')), this.body);
  }

  render(state: GroupState, members: ReadonlyMap<string, Member>, waiting: readonly WaitingPerson[]): void {
    const c = this.handlers;
    const slowId = nextId('slow');
    const slow = h(
      'select',
      { id: slowId, onchange: () => c.slowMode(Number(slow.value)) },
      ...[...new Set([...SLOW_CHOICES, state.slowModeSec])]
        .sort((a, b) => a - b)
        .map((s) =>
          h('option', { value: s, selected: s === state.slowModeSec }, s === 0 ? t('Off') : t('One message every {n} s', { n: s })),
        ),
    );
    const nameOf = (userId: string) => members.get(userId)?.name ?? t('Someone');
    const queue = state.handQueue.map((userId, i) =>
      h(
        'li',
        null,
        h('span', null, i === 0 ? t('{name} (next)', { name: nameOf(userId) }) : nameOf(userId)),
        ' ',
        h('button', { type: 'button', onclick: () => c.lowerHand(userId) }, t('Lower hand')),
      ),
    );
    replace(
      this.body,
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.sessionOpen ? t('The session is open.') : t('The session is closed.')),
        h(
          'button',
          { type: 'button', onclick: () => c.session(!state.sessionOpen) },
          state.sessionOpen ? t('Close session') : t('Open session'),
        ),
      ),
      // Once a session has closed, who came is the next thing a facilitator looks at.
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.sessionOpen ? t('Attendance is being kept.') : t('The session has ended: see who came.')),
        h('button', { type: 'button', onclick: () => c.attendance() }, t('Attendance')),
      ),
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.locked ? t('The room is locked.') : t('The room is open to members.')),
        h('button', { type: 'button', onclick: () => c.lock(!state.locked) }, state.locked ? t('Unlock room') : t('Lock room')),
      ),
      h(
        'p',
        { class: 'inline' },
        h('span', null, state.waitingRoom ? t('The waiting room is on.') : t('No waiting room.')),
        h(
          'button',
          { type: 'button', onclick: () => c.waitingRoom(!state.waitingRoom) },
          state.waitingRoom ? t('Turn waiting room off') : t('Turn waiting room on'),
        ),
      ),
      ...this.waitingList(waiting, state.waitingRoom),
      h('p', { class: 'inline' }, h('label', { for: slowId }, t('Slow mode')), slow),
      h(
        'p',
        { class: 'inline' },
        h(
          'span',
          null,
          state.quietPartnerChat ? t('Partner chat waits until the session ends.') : t('Partner chat goes through during sessions.'),
        ),
        h(
          'button',
          { type: 'button', onclick: () => c.quiet(!state.quietPartnerChat) },
          state.quietPartnerChat ? t('Let partner chat through') : t('Quiet partner chat'),
        ),
      ),
      h('h4', null, t('Raised hands')),
      queue.length ? h('ol', { class: 'queue' }, ...queue) : h('p', { class: 'muted-text' }, t('No hands raised.')),
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
        h(
          'span',
          null,
          h('span', { class: 'member-name' }, p.name),
          h('span', { class: 'muted-text' }, ' ', t('since {time}', { time: formatTime(p.since) })),
        ),
        ' ',
        h(
          'button',
          { type: 'button', class: 'primary', 'aria-label': t('Admit {name}', { name: p.name }), onclick: () => c.admit(p) },
          t('Admit'),
        ),
        h(
          'button',
          { type: 'button', 'aria-label': t('Turn away {name}', { name: p.name }), onclick: () => c.turnAway(p) },
          t('Turn away'),
        ),
      ),
    );
    return [
      h('h4', { id }, t('Waiting ({count})', { count: waiting.length })),
      people.length
        ? h('ul', { class: 'waiting-list', 'aria-labelledby': id }, ...people)
        : h('p', { class: 'muted-text' }, t('No one is waiting.')),
      ...(people.length > 1 ? [h('p', null, h('button', { type: 'button', onclick: () => c.admitAll() }, t('Admit all')))] : []),
    ];
  }
}
