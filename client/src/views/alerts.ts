import type { CheckinRule, ReportWithMessage, ServerPayload } from '../../../shared/index.js';
import { REPORT_REASONS, type ReportReason } from '../../../shared/vocabulary.js';
import type { Reply } from '../api.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import type { Key } from '../i18n/en.js';
import { t } from '../i18n/i18n.js';

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
    this.heading = h('h3', { id: `alerts-${groupId}` }, t('Alerts and reports'));
    this.list = h('ul', { class: 'alerts' });
    this.status = h('p', { class: 'muted-text' });
    this.el = h('section', { class: 'panel alerts-panel', 'aria-labelledby': `alerts-${groupId}` }, this.heading, this.status, this.list);
  }

  async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/reports', { params: { groupId: this.groupId } });
    if (!res.ok) {
      this.status.textContent = t('Could not load reports: {error}', { error: describeError(res.error) });
      return;
    }
    this.reports = res.data.reports;
    this.render();
  }

  /** A live alert: say it (a crisis interrupts), then reload the queue for its details. */
  onAlert(a: ServerPayload<'mod:alert'>): void {
    const who = this.nameOf(a.userId);
    announce(
      a.kind === 'crisis'
        ? t('Crisis alert: {name} may need support now.', { name: who })
        : t('New report about a message from {name}.', { name: who }),
      a.kind === 'crisis',
    );
    void this.load();
  }

  private render(): void {
    const open = this.reports.filter((r) => r.status === 'open');
    this.heading.textContent = open.length ? t('Alerts and reports ({count})', { count: open.length }) : t('Alerts and reports');
    this.status.textContent = open.length ? '' : t('Nothing waiting. Reports and crisis alerts appear here.');
    replace(this.list, ...open.map((r) => this.renderReport(r)));
  }

  private renderReport(r: ReportWithMessage): HTMLElement {
    const messageId = r.messageId;
    return reportItem(
      r,
      this.nameOf,
      r.conversation?.kind === 'group' && messageId
        ? h('button', { type: 'button', onclick: () => this.jumpTo(messageId) }, t('Show message'))
        : null,
      h('button', { type: 'button', onclick: () => void this.resolve(r) }, t('Mark resolved')),
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
    ? t('Crisis alert: {name} may need support', { name: nameOf(r.userId) })
    : r.kind === 'checkin'
      ? t('Check-in alert ({rule}) for {name}', { rule: checkinRuleText(r.rule), name: nameOf(r.userId) })
      : t('Report ({reason}) about {name}', { reason: reasonText(r.reason), name: nameOf(r.userId) });
  const excerpt =
    r.conversation?.kind === 'partner'
      ? t('In a private partner conversation (its text stays between the partners).')
      : r.message?.deleted
        ? t('The message has been removed.')
        : r.message
          ? `“${r.message.text}”`
          : '';
  return h(
    'li',
    { class: `alert${crisis ? ' crisis' : ''}` },
    h('p', { class: 'alert-title' }, h('strong', null, title)),
    excerpt ? h('p', { class: 'alert-text' }, excerpt) : null,
    r.note ? h('p', { class: 'alert-note' }, t('Note: {note}', { note: r.note })) : null,
    h(
      'p',
      { class: 'meta' },
      h('time', { datetime: new Date(r.createdAt).toISOString() }, formatTime(r.createdAt)),
      r.reporterId ? t(' · reported by {name}', { name: nameOf(r.reporterId) }) : '',
    ),
    h('div', { class: 'inline' }, ...actions),
  );
}

/** Waits for a queued report or alert to be resolved; says so, or says why not in `status`. */
export async function postResolve(request: Promise<Reply<unknown>>, status: HTMLElement): Promise<boolean> {
  const res = await request;
  if (!res.ok) {
    status.textContent = t('Could not resolve: {error}', { error: describeError(res.error) });
    return false;
  }
  announce(t('Marked resolved.'));
  return true;
}

const REASON_CODES: Record<ReportReason, Key> = {
  harassment: 'harassment',
  crisis: 'crisis',
  spam: 'spam',
  privacy: 'privacy',
  other: 'other',
};

/** A report's reason, short, for staff lists ("spam"); a reason this client does not know, as the server gave it. */
export function reasonText(reason: string | undefined): string {
  const known = REPORT_REASONS.find((r) => r === (reason ?? 'other'));
  return known ? t(REASON_CODES[known]) : (reason ?? '');
}

const RULES: Record<CheckinRule, Key> = {
  craving: 'high craving',
  jump: 'craving jumped',
  used: 'used since last check-in',
  silence: 'no check-in for a while',
};

/** What a check-in alert's rule means, in words (§6.1). */
export function checkinRuleText(rule: CheckinRule | undefined): string {
  return t(rule ? RULES[rule] : 'check-in');
}
