import type { Message } from '../../../shared/index.js';
import { REACTIONS, type Reaction } from '../../../shared/vocabulary.js';
import { closesAfterAction, h } from '../dom.js';
import { t } from '../i18n/i18n.js';

export type MessageActionHandlers = {
  me: string;
  react?: (m: Message, emoji: Reaction) => void;
  report?: (m: Message) => void;
  /** facilitator only */
  remove?: (m: Message) => void;
  pin?: (m: Message) => void;
  pinnedId?: () => string | null;
};

/** A small menu per message: the supportive reactions, report, and a facilitator's delete/pin. */
export function messageActions(m: Message, a: MessageActionHandlers): HTMLElement | null {
  if (m.deleted || m.kind === 'system') return null;
  const mine = m.sender.id === a.me;
  const buttons: HTMLElement[] = [];
  if (a.react) {
    const react = a.react;
    buttons.push(
      h(
        'div',
        { class: 'react-row', role: 'group', 'aria-label': t('React') },
        ...REACTIONS.map((emoji) => {
          const pressed = (m.reactions?.[emoji] ?? []).includes(a.me);
          return h(
            'button',
            {
              type: 'button',
              class: 'emoji',
              'aria-pressed': String(pressed),
              'aria-label': t('React {emoji}', { emoji }),
              onclick: () => react(m, emoji),
            },
            emoji,
          );
        }),
      ),
    );
  }
  if (a.report && !mine) {
    const report = a.report;
    buttons.push(h('button', { type: 'button', onclick: () => report(m) }, t('verb\u0004Report')));
  }
  if (a.pin) {
    const pin = a.pin;
    buttons.push(h('button', { type: 'button', onclick: () => pin(m) }, a.pinnedId?.() === m.id ? t('Unpin') : t('Pin')));
  }
  if (a.remove) {
    const remove = a.remove;
    buttons.push(h('button', { type: 'button', class: 'danger', onclick: () => remove(m) }, t('Delete')));
  }
  if (!buttons.length) return null;
  return closesAfterAction(
    h(
      'details',
      { class: 'menu msg-menu' },
      h(
        'summary',
        null,
        h('span', { 'aria-hidden': 'true' }, '⋯'),
        h('span', { class: 'sr-only' }, t('Actions for the message from {name}', { name: m.sender.name })),
      ),
      h('div', { class: 'menu-body' }, ...buttons),
    ),
  );
}
