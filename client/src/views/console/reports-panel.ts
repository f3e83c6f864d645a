import type { ReportWithMessage } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';
import { postResolve, reportItem } from '../alerts.js';
import type { Panel } from './panel.js';
import { field, GroupChoice, type ChosenGroup } from './group-choice.js';

/**
 * A group's report queue (§8.3): the open reports and alerts, or all of them, oldest first, each
 * resolved here, and reloaded when a new one arrives. A message's text shows only as the API gives it (never a partner message's).
 */
export class ReportsPanel implements Panel {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly which = h(
    'select',
    { name: 'status' },
    h('option', { value: 'open' }, t('Waiting to be resolved')),
    h('option', { value: 'all' }, t('All, resolved ones too')),
  );
  private readonly list = h('ul', { class: 'alerts console-list' });
  private readonly groups: GroupChoice;
  private readonly offs: (() => void)[];

  constructor(private readonly ctx: AppContext) {
    this.groups = new GroupChoice(ctx, this.status, () => void this.load());
    // A facilitator of the group hears its new reports live; after a reconnection, what came meanwhile.
    this.offs = [
      ctx.conn.on('mod:alert', (a) => {
        if (a.groupId !== undefined && a.groupId === this.groups.current?.groupId) void this.load();
      }),
      ctx.conn.onOnline(() => void this.load()),
    ];
    this.which.addEventListener('change', () => void this.load());
    this.el = h(
      'section',
      { class: 'panel console-panel', 'aria-labelledby': 'console-reports' },
      h('h3', { id: 'console-reports' }, t('Reports')),
      h('p', { class: 'muted-text' }, t("Reports by members, crisis alerts and check-in alerts in the group's queue, oldest first.")),
      this.groups.el,
      field(t('Show'), this.which),
      this.status,
      this.list,
    );
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private async load(): Promise<void> {
    const g = this.groups.current;
    if (!g) return;
    const status = this.which.value === 'all' ? 'all' : 'open';
    const res = await this.ctx.call('GET /api/groups/:groupId/reports', { params: { groupId: g.groupId }, query: { status } });
    if (!this.groups.still(g)) return;
    if (!res.ok) return void (this.status.textContent = t('Could not load the reports: {error}', { error: describeError(res.error) }));
    const reports = res.data.reports;
    if (!reports.length) return replace(this.list, h('li', { class: 'muted-text' }, t('Nothing waiting.')));
    replace(this.list, ...reports.map((r) => this.item(g, r)));
  }

  private item(g: ChosenGroup, r: ReportWithMessage): HTMLElement {
    return reportItem(
      r,
      g.nameOf,
      r.status === 'open'
        ? h('button', { type: 'button', onclick: () => void this.resolve(g, r) }, t('Mark resolved'))
        : h('span', { class: 'badge' }, r.resolvedAt ? t('resolved {time}', { time: formatTime(r.resolvedAt) }) : t('resolved')),
    );
  }

  private async resolve(g: ChosenGroup, r: ReportWithMessage): Promise<void> {
    const call = this.ctx.call('POST /api/groups/:groupId/reports/:reportId/resolve', { params: { groupId: g.groupId, reportId: r.id } });
    if (await postResolve(call, this.status)) await this.load();
  }
}
