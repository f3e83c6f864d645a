import type { GroupState, Member } from '../../../shared/index.js';
import { MUTE_MINUTES } from '../../../shared/vocabulary.js';
import { closesAfterAction, h, nextId, replace } from '../dom.js';

export type MemberControls = {
  mute: (m: Member, minutes: number | undefined) => void;
  unmute: (m: Member) => void;
  remove: (m: Member) => void;
  ban: (m: Member) => void;
  lowerHand: (m: Member) => void;
  /** The member's check-in trend, or why there is none to show. */
  checkins: (m: Member) => Promise<HTMLElement>;
};

const MUTE_CHOICES: [string, number | undefined][] = [
  ['5 minutes', 5],
  ['15 minutes', 15],
  ['1 hour', 60],
  ['Until the end of the day', MUTE_MINUTES.max],
  ['Until I unmute', undefined],
];

/**
 * The member list: online dot, role, raised hand with its place in the queue, and — for a
 * facilitator — a small menu per member. Dots always come with words for screen readers.
 */
export function renderMembers(
  members: Member[],
  state: GroupState,
  me: string,
  controls: MemberControls | null,
  canModerate: (m: Member) => boolean,
  mutedHere: ReadonlySet<string>,
): HTMLElement {
  const sorted = [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'facilitator' ? -1 : 1),
  );
  return h(
    'ul',
    { class: 'members' },
    ...sorted.map((m) => {
      const place = state.handQueue.indexOf(m.id);
      const li = h(
        'li',
        { class: 'member', 'data-user': m.id },
        h('span', { class: `dot ${m.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
        h('span', { class: 'member-name' }, m.id === me ? `${m.name} (you)` : m.name),
        h('span', { class: 'sr-only' }, m.online ? ', online' : ', offline'),
        m.role === 'facilitator' ? h('span', { class: 'role' }, 'facilitator') : null,
        mutedHere.has(m.id) ? h('span', { class: 'badge' }, 'muted') : null,
        place >= 0
          ? h(
              'span',
              { class: 'hand', title: 'Hand raised' },
              '✋',
              h('span', { class: 'sr-only' }, ` hand raised, number ${place + 1} in the queue`),
              h('span', { 'aria-hidden': 'true' }, ` ${place + 1}`),
            )
          : null,
      );
      if (controls && m.id !== me && canModerate(m)) li.append(memberMenu(m, place >= 0, controls));
      return li;
    }),
  );
}

function memberMenu(m: Member, handRaised: boolean, c: MemberControls): HTMLElement {
  const selectId = nextId('mute-for');
  const select = h('select', { id: selectId }, ...MUTE_CHOICES.map(([label], i) => h('option', { value: i }, label)));
  const trend = h('div', { 'aria-live': 'polite' });
  const showTrend = async () => replace(trend, await c.checkins(m));
  return closesAfterAction(
    h(
      'details',
      { class: 'menu' },
      h('summary', null, 'Manage', h('span', { class: 'sr-only' }, ` ${m.name}`)),
      h(
        'div',
        { class: 'menu-body' },
        h(
          'div',
          { class: 'inline' },
          h('label', { for: selectId }, 'Mute for'),
          select,
          h('button', { type: 'button', onclick: () => c.mute(m, MUTE_CHOICES[Number(select.value)]?.[1]) }, 'Mute'),
        ),
        h('button', { type: 'button', onclick: () => c.unmute(m) }, 'Unmute'),
        h('button', { type: 'button', 'data-keep-open': true, onclick: () => void showTrend() }, 'Check-ins (14 days)'),
        trend,
        handRaised ? h('button', { type: 'button', onclick: () => c.lowerHand(m) }, 'Lower hand') : null,
        h('button', { type: 'button', class: 'danger', onclick: () => c.remove(m) }, 'Remove from room'),
        h('button', { type: 'button', class: 'danger', onclick: () => c.ban(m) }, 'Ban from group'),
      ),
    ),
  );
}

/** The members panel of a room: a heading with the online count, and the list. */
export class MembersPanel {
  readonly el: HTMLElement;
  private readonly heading = h('h3', { id: nextId('members') }, 'Members');
  private readonly box = h('div');

  constructor() {
    this.el = h('section', { class: 'panel', 'aria-labelledby': this.heading.id }, this.heading, this.box);
  }

  render(...args: Parameters<typeof renderMembers>): void {
    const [members] = args;
    this.heading.textContent = `Members (${members.filter((m) => m.online).length} of ${members.length} online)`;
    replace(this.box, renderMembers(...args));
  }
}
