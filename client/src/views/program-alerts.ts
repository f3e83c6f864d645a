import type { ProgramAlert, ProgramAlertView } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import type { Key } from '../i18n/en.js';
import { postResolve } from './alerts.js';

const WHY = {
  'no-shared-group': 'programAlerts.noSharedGroup',
  'no-facilitator': 'programAlerts.noFacilitator',
} as const satisfies Record<ProgramAlert['reason'], Key>;

/**
 * An admin's queue of the crisis alerts no facilitator could get: loaded over HTTP (so nothing
 * raised while every admin was away is missed), reloaded on every program `mod:alert` and after
 * a reconnection, resolved here.
 */
export class ProgramAlertsPanel {
  readonly el: HTMLElement;
  private readonly heading = h('h3', { id: 'program-alerts' }, t('programAlerts.heading'));
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
        announce(t('programAlerts.announce'), true);
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
      this.status.textContent = t('programAlerts.loadFailed', { error: describeError(res.error) });
      return;
    }
    this.alerts = res.data.alerts;
    this.render();
  }

  private render(): void {
    this.heading.textContent = this.alerts.length
      ? t('programAlerts.headingCount', { count: this.alerts.length })
      : t('programAlerts.heading');
    this.status.textContent = this.alerts.length ? '' : t('programAlerts.nothing');
    replace(
      this.list,
      ...this.alerts.map((a) =>
        h(
          'li',
          { class: 'alert crisis' },
          h('p', { class: 'alert-title' }, h('strong', null, t('alerts.crisis', { name: a.userName ?? t('common.someone') }))),
          h('p', null, t(WHY[a.reason])),
          h(
            'p',
            { class: 'meta' },
            h('time', { datetime: new Date(a.createdAt).toISOString() }, formatTime(a.createdAt)),
            t('programAlerts.person', { id: a.userId }),
          ),
          h('button', { type: 'button', onclick: () => void this.resolve(a) }, t('common.markResolved')),
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
