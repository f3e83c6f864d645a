import type { StaffAlert } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { checkinRuleText, reasonText } from './alerts.js';
import { DisclosurePanel } from './disclosures.js';

/**
 * The staff alert inbox on every page (§5.5): the open alerts of the groups I facilitate (and the
 * program's, for admins), listed over the socket when online and kept current by `alert:changed`
 * from any node or tab. Crisis alerts come first, apart from reports, under a banner that stays
 * while one waits for someone to take it on; the shell puts this above the page and the count in
 * the navigation and the title.
 */
export class StaffInbox {
  readonly el: HTMLElement;
  readonly badge = h('span', { class: 'unread alerts-unread', hidden: true });
  private readonly alerts = new Map<string, StaffAlert>();
  private readonly groupNames = new Map<string, string>();
  /** notes being typed, kept across re-renders */
  private readonly notes = new Map<string, string>();
  /** each crisis alert's disclosure records, kept across re-renders */
  private readonly disclosures = new Map<string, DisclosurePanel>();
  private readonly banner = h('p', { class: 'crisis-banner', role: 'alert' });
  private readonly crisisList = h('ul', { class: 'alerts' });
  private readonly reportList = h('ul', { class: 'alerts' });
  private readonly status = h('p', { class: 'muted-text', role: 'status' });
  private readonly stops: (() => void)[];
  /** Whether `alert:list` has answered since the page opened. */
  private loaded = false;
  /** The alert a link named (`#alert=<id>`) until the list is in; then the one shown highlighted. */
  private wanted: string | undefined;
  private highlighted: string | undefined;
  /** Said when the named alert is not in this person's inbox; stays until dismissed. */
  private readonly unavailable = h(
    'p',
    { class: 'notice-text', hidden: true },
    t('This alert is not available to you. It may have been resolved, or it belongs to a group you do not staff.'),
    ' ',
    h('button', { type: 'button', class: 'link', onclick: () => ((this.unavailable.hidden = true), this.render()) }, t('Dismiss')),
  );

  constructor(
    private readonly ctx: AppContext,
    private readonly changed: () => void,
  ) {
    this.el = h('section', { id: 'inbox', class: 'panel inbox', 'aria-label': t('Staff alerts'), hidden: true });
    this.stops = [
      ctx.conn.onOnline(() => void this.load()),
      ctx.conn.on('alert:changed', (a) => {
        if (!this.alerts.has(a.id) && a.status === 'open' && a.severity !== 'crisis') announce(t('A new report in one of your groups.'));
        this.apply(a);
        void this.nameGroups([a]);
      }),
    ];
  }

  /** Crisis alerts nobody has taken on yet: the banner and the page title count these. */
  get waitingCrises(): number {
    return [...this.alerts.values()].filter((a) => a.severity === 'crisis' && a.status === 'open').length;
  }

  /** Whether the alert is in this inbox (one the signed-in person staffs, still open). */
  has(alertId: string): boolean {
    return this.alerts.has(alertId);
  }

  /**
   * Opens the alert a link or a notification named (`#alert=<id>`): highlighted and focused in the
   * list once it is loaded, or a calm word that it is not there for this person (not theirs to see,
   * or resolved since).
   */
  show(alertId: string): void {
    this.wanted = alertId;
    if (this.loaded) this.reveal();
  }

  dispose(): void {
    for (const stop of this.stops) stop();
    this.el.remove();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.conn.request('alert:list', {});
    if (!res.ok) return;
    this.alerts.clear();
    for (const a of res.data.alerts) this.alerts.set(a.id, a);
    this.loaded = true;
    this.render();
    this.reveal();
    await this.nameGroups(res.data.alerts);
  }

  /** Looks the groups' names up (once per group new to this page), then shows them. */
  private async nameGroups(alerts: StaffAlert[]): Promise<void> {
    if (alerts.every((a) => a.groupId === undefined || this.groupNames.has(a.groupId))) return;
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) return;
    for (const g of res.data.groups) this.groupNames.set(g.id, g.name);
    this.render();
  }

  private reveal(): void {
    const id = this.wanted;
    if (id === undefined) return;
    this.wanted = undefined;
    this.highlighted = this.alerts.has(id) ? id : undefined;
    this.unavailable.hidden = this.highlighted !== undefined;
    if (!this.highlighted)
      announce(t('This alert is not available to you. It may have been resolved, or it belongs to a group you do not staff.'));
    this.render();
    const item = this.el.querySelector<HTMLElement>('li.highlighted');
    (item ?? this.unavailable).scrollIntoView({ block: 'center' });
    item?.focus();
  }

  private apply(a: StaffAlert): void {
    if (a.status !== 'resolved') this.alerts.set(a.id, a);
    else if (this.alerts.delete(a.id)) {
      this.notes.delete(a.id);
      this.disclosures.delete(a.id);
    }
    this.render();
  }

  private render(): void {
    const all = [...this.alerts.values()].sort((a, b) => a.createdAt - b.createdAt);
    const crises = all.filter((a) => a.severity === 'crisis');
    const reports = all.filter((a) => a.severity !== 'crisis');
    const waiting = this.waitingCrises;
    // The items are rebuilt: the one a link opened keeps the focus it had (a group's name arriving re-renders).
    const focused = document.activeElement?.matches('li.highlighted') && this.el.contains(document.activeElement);
    this.badge.hidden = all.length === 0;
    replace(this.badge, String(all.length), h('span', { class: 'sr-only' }, t(' open alerts')));
    this.banner.hidden = waiting === 0;
    this.banner.textContent = waiting
      ? t('Crisis alert: {count} people in your care may need support now. Acknowledge to tell the other staff you are on it.', {
          count: waiting,
        })
      : '';
    replace(
      this.el,
      this.banner,
      h('h2', null, t('Alerts ({count})', { count: all.length })),
      this.unavailable,
      this.status,
      crises.length ? h('h3', null, t('Crisis alerts ({count})', { count: crises.length })) : null,
      this.crisisList,
      reports.length ? h('h3', null, t('Reports ({count})', { count: reports.length })) : null,
      this.reportList,
    );
    replace(this.crisisList, ...crises.map((a) => this.item(a)));
    replace(this.reportList, ...reports.map((a) => this.item(a)));
    this.el.hidden = all.length === 0 && this.unavailable.hidden;
    if (focused) this.el.querySelector<HTMLElement>('li.highlighted')?.focus();
    this.changed();
  }

  private item(a: StaffAlert): HTMLElement {
    const crisis = a.severity === 'crisis';
    const where =
      a.scope === 'program'
        ? t('no facilitator could be told')
        : `${this.groupNames.get(a.groupId ?? '') ?? t('a group')}${a.conversation?.kind === 'partner' ? t(', partner conversation') : a.kind === 'checkin' ? t(', check-in: {rule}', { rule: checkinRuleText(a.rule) }) : ''}`;
    const by = (id: string) => t(id === this.ctx.me.id ? 'you' : 'another staff member');
    const note = h('input', {
      name: 'note',
      maxlength: 500,
      autocomplete: 'off',
      value: this.notes.get(a.id),
      oninput: () => this.notes.set(a.id, note.value),
    });
    return h(
      'li',
      {
        class: `alert${crisis ? ' crisis' : ''}${a.id === this.highlighted ? ' highlighted' : ''}`,
        'data-alert-id': a.id,
        tabindex: a.id === this.highlighted ? -1 : null,
      },
      h(
        'p',
        { class: 'alert-title' },
        h('strong', null, crisis ? t('Crisis alert') : t('Report ({reason})', { reason: reasonText(a.reason) })),
        t(' · {where}', { where }),
      ),
      h(
        'p',
        { class: 'meta' },
        h('time', { datetime: new Date(a.createdAt).toISOString() }, formatTime(a.createdAt)),
        a.acknowledgedBy ? t(' · acknowledged by {who}', { who: by(a.acknowledgedBy) }) : t(' · waiting for someone'),
      ),
      h(
        'form',
        { class: 'inline', onsubmit: (e) => (e.preventDefault(), void this.step(a, note.value.trim())) },
        a.scope === 'group' && a.groupId
          ? h('button', { type: 'button', onclick: () => this.ctx.go({ to: 'group', groupId: a.groupId! }) }, t('Open group'))
          : null,
        a.status === 'open' ? h('button', { type: 'button', class: 'primary', onclick: () => void this.step(a) }, t('Acknowledge')) : null,
        h('label', null, t('Note '), note),
        h('button', { type: 'submit' }, t('Resolve')),
      ),
      crisis ? this.disclosurePanel(a).el : null,
    );
  }

  private disclosurePanel(a: StaffAlert): DisclosurePanel {
    let panel = this.disclosures.get(a.id);
    if (!panel) this.disclosures.set(a.id, (panel = new DisclosurePanel(this.ctx, a)));
    return panel;
  }

  /** Acknowledges (`note` undefined) or resolves the alert; the answer is its new state. */
  private async step(a: StaffAlert, note?: string): Promise<void> {
    const ref = a.groupId ? { alertId: a.id, groupId: a.groupId } : { alertId: a.id };
    const res =
      note === undefined
        ? await this.ctx.conn.request('alert:ack', ref)
        : await this.ctx.conn.request('alert:resolve', note ? { ...ref, note } : ref);
    if (!res.ok) {
      this.status.textContent = t('Could not update the alert: {error}', { error: describeError(res.error) });
      return;
    }
    this.status.textContent = '';
    announce(t(note === undefined ? 'Acknowledged.' : 'Resolved.'));
    this.apply(res.data.alert);
  }
}
