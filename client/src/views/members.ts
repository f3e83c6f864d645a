import type { GroupState, Member } from '../../../shared/index.js';
import { MUTE_MINUTES } from '../../../shared/vocabulary.js';
import { closesAfterAction, h, nextId, replace } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { distinctNames, labelsOf, type Named } from '../names.js';
import { roleName } from '../roles.js';

export type MemberControls = {
  mute: (m: Member, minutes: number | undefined) => void;
  unmute: (m: Member) => void;
  remove: (m: Member) => void;
  ban: (m: Member) => void;
  lowerHand: (m: Member) => void;
  /** The member's check-in trend, or why there is none to show. */
  checkins: (m: Member) => Promise<HTMLElement>;
};

/** How long a mute lasts (undefined: until unmuted), and its words, in the page's language when shown. */
const MUTE_CHOICES: [() => string, number | undefined][] = [
  [() => t('{count} minutes', { count: 5 }), 5],
  [() => t('{count} minutes', { count: 15 }), 15],
  [() => t('1 hour'), 60],
  [() => t('Until the end of the day'), MUTE_MINUTES.max],
  [() => t('Until I unmute'), undefined],
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
  /** how a member is named (the room also knows past senders); told apart among these members by default */
  nameOf?: (m: Named) => string,
): HTMLElement {
  const sorted = [...members].sort(
    (a, b) => Number(b.online) - Number(a.online) || (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'facilitator' ? -1 : 1),
  );
  const label = nameOf ?? labelsOf(distinctNames(members));
  return h(
    'ul',
    { class: 'members' },
    ...sorted.map((m) => {
      const name = label(m);
      const place = state.handQueue.indexOf(m.id);
      const li = h(
        'li',
        { class: 'member', 'data-user': m.id },
        h('span', { class: `dot ${m.online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
        h('span', { class: 'member-name' }, m.id === me ? t('{name} (you)', { name }) : name),
        h('span', { class: 'sr-only' }, m.online ? t(', online') : t(', offline')),
        m.role === 'facilitator' ? h('span', { class: 'role' }, roleName(m.role)) : null,
        mutedHere.has(m.id) ? h('span', { class: 'badge' }, t('state\u0004muted')) : null,
        place >= 0
          ? h(
              'span',
              { class: 'hand', title: t('Hand raised') },
              '✋',
              h('span', { class: 'sr-only' }, ' ', t('hand raised, number {n} in the queue', { n: place + 1 })),
              h('span', { 'aria-hidden': 'true' }, ` ${place + 1}`),
            )
          : null,
      );
      if (controls && m.id !== me && canModerate(m)) li.append(memberMenu({ ...m, name }, place >= 0, controls));
      return li;
    }),
  );
}

/** `m` named as the list names them, so a confirmation says which Sam. */
function memberMenu(m: Member, handRaised: boolean, c: MemberControls): HTMLElement {
  const selectId = nextId('mute-for');
  const select = h('select', { id: selectId }, ...MUTE_CHOICES.map(([label], i) => h('option', { value: i }, label())));
  const trend = h('div', { 'aria-live': 'polite' });
  const showTrend = async () => replace(trend, await c.checkins(m));
  return closesAfterAction(
    h(
      'details',
      { class: 'menu' },
      h('summary', null, t('Manage'), h('span', { class: 'sr-only' }, ` ${m.name}`)),
      h(
        'div',
        { class: 'menu-body' },
        h(
          'div',
          { class: 'inline' },
          h('label', { for: selectId }, t('Mute for')),
          select,
          h('button', { type: 'button', onclick: () => c.mute(m, MUTE_CHOICES[Number(select.value)]?.[1]) }, t('Mute')),
        ),
        h('button', { type: 'button', onclick: () => c.unmute(m) }, t('Unmute')),
        h('button', { type: 'button', 'data-keep-open': true, onclick: () => void showTrend() }, t('Check-ins (14 days)')),
        trend,
        handRaised ? h('button', { type: 'button', onclick: () => c.lowerHand(m) }, t('Lower hand')) : null,
        h('button', { type: 'button', class: 'danger', onclick: () => c.remove(m) }, t('Remove from room')),
        h('button', { type: 'button', class: 'danger', onclick: () => c.ban(m) }, t('Ban from group')),
      ),
    ),
  );
}

/** The members panel of a room: a heading with the online count, and the list. */
export class MembersPanel {
  readonly el: HTMLElement;
  private readonly heading = h('h3', { id: nextId('members') }, t('Members'));
  private readonly box = h('div');

  constructor() {
    this.el = h('section', { class: 'panel', 'aria-labelledby': this.heading.id }, this.heading, this.box);
  }

  render(...args: Parameters<typeof renderMembers>): void {
    const [members] = args;
    this.heading.textContent = t('Members ({online} of {count} online)', {
      online: members.filter((m) => m.online).length,
      count: members.length,
    });
    replace(this.box, renderMembers(...args));
  }
}
