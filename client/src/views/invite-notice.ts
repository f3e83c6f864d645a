import type { Invite } from '../../../shared/index.js';
import { announce, h, replace } from '../dom.js';
import { t } from '../i18n/i18n.js';

/**
 * Partner invitations waiting for my answer, wherever I am (issue 19: they showed on the Partners
 * page only): a count on the Partners button and, for one that arrives live elsewhere, a notice
 * with a way there. The notice is no dialog and never takes the focus: someone in a group session
 * keeps their place. The count is of invitations not yet seen on the Partners page; after a
 * reload every pending one counts again, as a reminder that it waits for an answer.
 */
export class InviteNotice {
  private pending = new Set<string>();
  private readonly seen = new Set<string>();
  /** who the invitation on the notice is from, while it shows */
  private from: string | undefined;

  /** `badge` and `el` are the shell's (in place before this code loads): the count and the notice. */
  constructor(
    private readonly me: string,
    private readonly badge: HTMLElement,
    private readonly el: HTMLElement,
    private readonly openPartners: () => void,
    private onPartners: boolean,
  ) {}

  /** The invitations as `partner:list` gives them: the pending ones to me count. */
  set(invites: Invite[]): void {
    this.pending = new Set(invites.filter((i) => i.status === 'pending' && i.to.id === this.me).map((i) => i.id));
    if (this.pending.size === 0) this.from = undefined;
    this.render();
  }

  /** A `partner:invited` event: noticed here unless the Partners page, which lists it, is on screen. */
  arrived(p: { inviteId: string; from: { name: string } }): void {
    this.pending.add(p.inviteId);
    if (!this.onPartners) {
      this.from = p.from.name;
      announce(t('{name} invited you to be accountability partners.', { name: p.from.name }));
    }
    this.render();
  }

  /** The Partners page came on screen or went: while it shows, invitations are seen there. */
  showing(onPartners: boolean): void {
    this.onPartners = onPartners;
    this.render();
  }

  /** The badge and the notice, in the page's language. */
  render(): void {
    if (this.onPartners) {
      for (const id of this.pending) this.seen.add(id);
      this.from = undefined;
    }
    const count = [...this.pending].filter((id) => !this.seen.has(id)).length;
    this.badge.hidden = count === 0;
    // The envelope tells it from the unread count beside it; screen readers hear the words.
    replace(
      this.badge,
      h('span', { 'aria-hidden': 'true' }, `✉ ${count}`),
      h('span', { class: 'sr-only' }, t('{count} invitations', { count })),
    );
    this.el.setAttribute('aria-label', t('Partner invitation'));
    this.el.hidden = this.from === undefined;
    if (this.from === undefined) return replace(this.el);
    replace(
      this.el,
      h('p', null, t('{name} invited you to be accountability partners.', { name: this.from })),
      h(
        'div',
        { class: 'inline' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.openPartners() }, t('Open Partners')),
        h('button', { type: 'button', onclick: () => this.dismiss() }, t('Dismiss')),
      ),
    );
  }

  /** Gone at a tap; the focus, which was on the button that goes with it, returns to the page's heading. */
  private dismiss(): void {
    this.from = undefined;
    this.render();
    document.querySelector<HTMLElement>('#main h2')?.focus();
  }
}
