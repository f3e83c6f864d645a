import type { CheckinRule, ReportWithMessage, ServerPayload } from '../../../shared/index.js';
import type { Reply } from '../api.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';

/**
 * A facilitator's queue of reports and crisis alerts for one group: loaded over HTTP (so nothing
 * raised while they were away is missed), refreshed on every live `mod:alert`, resolved here.
 */
export class AlertsPanel {
  readonly el: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private reports: ReportWithMessage[] = [];

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
    private readonly nameOf: (userId: string) => string,
    private readonly jumpTo: (messageId: string) => void,
  ) {
    this.heading = h('h3', { id: `alerts-${groupId}` }, 'Alerts and reports');
    this.list = h('ul', { class: 'alerts' });
    this.status = h('p', { class: 'muted-text' });
    this.el = h('section', { class: 'panel alerts-panel', 'aria-labelledby': `alerts-${groupId}` }, this.heading, this.status, this.list);
  }

  async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/reports', { params: { groupId: this.groupId } });
    if (!res.ok) {
      this.status.textContent = `Could not load reports: ${describeError(res.error)}`;
      return;
    }
    this.reports = res.data.reports;
    this.render();
  }

  /** A live alert: say it (a crisis interrupts), then reload the queue for its details. */
  onAlert(a: ServerPayload<'mod:alert'>): void {
    const who = this.nameOf(a.userId);
    announce(
      a.kind === 'crisis' ? `Crisis alert: ${who} may need support now.` : `New report about a message from ${who}.`,
      a.kind === 'crisis',
    );
    void this.load();
  }

  private render(): void {
    const open = this.reports.filter((r) => r.status === 'open');
    this.heading.textContent = open.length ? `Alerts and reports (${open.length})` : 'Alerts and reports';
    this.status.textContent = open.length ? '' : 'Nothing waiting. Reports and crisis alerts appear here.';
    replace(this.list, ...open.map((r) => this.renderReport(r)));
  }

  private renderReport(r: ReportWithMessage): HTMLElement {
    const messageId = r.messageId;
    return reportItem(
      r,
      this.nameOf,
      r.conversation?.kind === 'group' && messageId
        ? h('button', { type: 'button', onclick: () => this.jumpTo(messageId) }, 'Show message')
        : null,
      h('button', { type: 'button', onclick: () => void this.resolve(r) }, 'Mark resolved'),
    );
  }

  private async resolve(r: ReportWithMessage): Promise<void> {
    if (
      !(await postResolve(
        this.ctx.call('POST /api/groups/:groupId/reports/:reportId/resolve', { params: { groupId: this.groupId, reportId: r.id } }),
        this.status,
      ))
    )
      return;
    this.reports = this.reports.filter((x) => x.id !== r.id);
    this.render();
  }
}

/**
 * One report or alert of a group's queue in words, with `actions` under it. A partner message's
 * text is never shown: the API does not give it.
 */
export function reportItem(r: ReportWithMessage, nameOf: (userId: string) => string, ...actions: (HTMLElement | null)[]): HTMLElement {
  const crisis = r.kind === 'crisis';
  const title = crisis
    ? `Crisis alert: ${nameOf(r.userId)} may need support`
    : r.kind === 'checkin'
      ? `Check-in alert (${checkinRuleText(r.rule)}) for ${nameOf(r.userId)}`
      : `Report (${r.reason ?? 'other'}) about ${nameOf(r.userId)}`;
  const excerpt =
    r.conversation?.kind === 'partner'
      ? 'In a private partner conversation (its text stays between the partners).'
      : r.message?.deleted
        ? 'The message has been removed.'
        : r.message
          ? `“${r.message.text}”`
          : '';
  return h(
    'li',
    { class: `alert${crisis ? ' crisis' : ''}` },
    h('p', { class: 'alert-title' }, h('strong', null, title)),
    excerpt ? h('p', { class: 'alert-text' }, excerpt) : null,
    r.note ? h('p', { class: 'alert-note' }, `Note: ${r.note}`) : null,
    h(
      'p',
      { class: 'meta' },
      h('time', { datetime: new Date(r.createdAt).toISOString() }, formatTime(r.createdAt)),
      r.reporterId ? ` · reported by ${nameOf(r.reporterId)}` : '',
    ),
    h('div', { class: 'inline' }, ...actions),
  );
}

/** Waits for a queued report or alert to be resolved; says so, or says why not in `status`. */
export async function postResolve(request: Promise<Reply<unknown>>, status: HTMLElement): Promise<boolean> {
  const res = await request;
  if (!res.ok) {
    status.textContent = `Could not resolve: ${describeError(res.error)}`;
    return false;
  }
  announce('Marked resolved.');
  return true;
}

/** What a check-in alert's rule means, in words (§6.1). */
export function checkinRuleText(rule: CheckinRule | undefined): string {
  switch (rule) {
    case 'craving':
      return 'high craving';
    case 'jump':
      return 'craving jumped';
    case 'used':
      return 'used since last check-in';
    case 'silence':
      return 'no check-in for a while';
    case undefined:
      return 'check-in';
  }
}
