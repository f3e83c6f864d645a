import type { ProgramAlert, ProgramAlertView } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import type { Key } from '../i18n/en.js';
import { postResolve } from './alerts.js';

const WHY = {
  'no-shared-group':
    'In a private partner conversation between people who share no group, so no facilitator was told. Its text stays between the partners.',
  'no-facilitator': 'Where no facilitator could be told: the group has none.',
} as const satisfies Record<ProgramAlert['reason'], Key>;

/**
 * An admin's queue of the crisis alerts no facilitator could get: loaded over HTTP (so nothing
 * raised while every admin was away is missed), reloaded on every program `mod:alert` and after
 * a reconnection, resolved here.
 */
export class ProgramAlertsPanel {
  readonly el: HTMLElement;
  private readonly heading = h('h3', { id: 'program-alerts' }, t('Program alerts'));
  private readonly list = h('ul', { class: 'alerts' });
  private readonly status = h('p', { class: 'muted-text' });
  private readonly offs: (() => void)[];
  private alerts: ProgramAlertView[] = [];

  constructor(private readonly ctx: AppContext) {
    this.el = h('section', { class: 'panel alerts-panel', 'aria-labelledby': 'program-alerts' }, this.heading, this.status, this.list);
    this.offs = [
      ctx.conn.onOnline(() => void this.load()),
      ctx.conn.on('mod:alert', (a) => {
        if (a.scope !== 'program') return;
        announce(t('Crisis alert for the program: someone may need support now, and no facilitator could be told.'), true);
        void this.load();
      }),
    ];
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/alerts');
    if (!res.ok) {
      this.status.textContent = t("Could not load the program's alerts: {error}", { error: describeError(res.error) });
      return;
    }
    this.alerts = res.data.alerts;
    this.render();
  }

  private render(): void {
    this.heading.textContent = this.alerts.length ? t('Program alerts ({count})', { count: this.alerts.length }) : t('Program alerts');
    this.status.textContent = this.alerts.length ? '' : t('Nothing waiting. Crisis alerts that no facilitator could get appear here.');
    replace(
      this.list,
      ...this.alerts.map((a) =>
        h(
          'li',
          { class: 'alert crisis' },
          h(
            'p',
            { class: 'alert-title' },
            h('strong', null, t('Crisis alert: {name} may need support', { name: a.userName ?? t('someone') })),
          ),
          h('p', null, t(WHY[a.reason])),
          h(
            'p',
            { class: 'meta' },
            h('time', { datetime: new Date(a.createdAt).toISOString() }, formatTime(a.createdAt)),
            t(' · person {id}', { id: a.userId }),
          ),
          h('button', { type: 'button', onclick: () => void this.resolve(a) }, t('Mark resolved')),
        ),
      ),
    );
  }

  private async resolve(a: ProgramAlertView): Promise<void> {
    if (!(await postResolve(this.ctx.call('POST /api/alerts/:alertId/resolve', { params: { alertId: a.id } }), this.status))) return;
    this.alerts = this.alerts.filter((x) => x.id !== a.id);
    this.render();
  }
}
