import type { Group } from '../../../shared/index.js';
import type { AppContext, View } from '../context.js';
import { h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { GroupReads, unreadAfter } from '../unread.js';
import { ProgramAlertsPanel } from './program-alerts.js';

/** The most recent messages a group's count looks at; more than these unread shows as "50+". */
const UNREAD_PAGE = 50;

/** "My groups": the groups I am enrolled in (all of them for an admin, after the program's alerts), with what is new in each. */
export class GroupsView implements View {
  readonly title = t('My groups');
  readonly el: HTMLElement;
  private readonly body = h('div', null, h('p', null, t('Loading your groups…')));
  private readonly alerts: ProgramAlertsPanel | undefined;
  private readonly reads: GroupReads;
  private readonly badges = new Map<string, HTMLElement>();
  private offOnline: (() => void) | undefined;

  constructor(private readonly ctx: AppContext) {
    this.reads = new GroupReads(ctx.me.id);
    this.alerts = ctx.me.role === 'admin' ? new ProgramAlertsPanel(ctx) : undefined;
    this.el = h('section', { class: 'page' }, h('h2', { tabindex: -1 }, this.title), this.alerts?.el ?? null, this.body);
    void this.load();
  }

  dispose(): void {
    this.alerts?.dispose();
    this.offOnline?.();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) {
      replace(
        this.body,
        h('p', { class: 'problem' }, t('Could not load your groups. {error}', { error: describeError(res.error) })),
        h('button', { type: 'button', onclick: () => void this.load() }, t('Try again')),
      );
      return;
    }
    const { groups } = res.data;
    if (!groups.length) {
      replace(this.body, h('p', null, t('You are not in any group yet. Your program will add you to one.')));
      return;
    }
    replace(
      this.body,
      h(
        'ul',
        { class: 'cards' },
        ...groups.map((g) =>
          h(
            'li',
            { class: 'card' },
            h('h3', null, g.name, this.badge(g.id)),
            g.schedule ? h('p', { class: 'muted-text' }, g.schedule) : null,
            g.description ? h('p', null, g.description) : null,
            h(
              'button',
              { type: 'button', class: 'primary', onclick: () => this.ctx.go({ to: 'group', groupId: g.id }) },
              t('Open'),
              h('span', { class: 'sr-only' }, ` ${g.name}`),
            ),
          ),
        ),
      ),
    );
    this.offOnline?.();
    this.offOnline = this.ctx.conn.onOnline(() => void this.countUnread(groups));
  }

  private badge(groupId: string): HTMLElement {
    const el = h('span', { class: 'unread', hidden: true });
    this.badges.set(groupId, el);
    return el;
  }

  /** For each group opened on this device before: its newest page, counted from my read mark there. */
  private async countUnread(groups: Group[]): Promise<void> {
    await Promise.all(
      groups.map(async (g) => {
        const lastRead = this.reads.get(g.id);
        const el = this.badges.get(g.id);
        if (lastRead === undefined || !el) return;
        const res = await this.ctx.conn.request('group:history', { groupId: g.id, limit: UNREAD_PAGE });
        if (!res.ok) return;
        const n = unreadAfter(res.data.messages, lastRead, this.ctx.me.id);
        const more = res.data.hasMore && res.data.messages.every((m) => m.seq > lastRead);
        el.hidden = n === 0;
        // The number is what shows; a screen reader hears the whole phrase, in the page's language.
        replace(
          el,
          h('span', { 'aria-hidden': 'true' }, more ? `${n}+` : String(n)),
          h('span', { class: 'sr-only' }, more ? t('{n} or more new messages', { n }) : t('{count} new messages', { count: n })),
        );
      }),
    );
  }
}
