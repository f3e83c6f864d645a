import type { ServerPayload } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import type { Key } from '../i18n/en.js';
import { t } from '../i18n/i18n.js';

type Escalation = ServerPayload<'alert:escalated'>;

/**
 * `alert:escalated` (§7.1) for the on-call person whose inbox does not hold the alert: someone on
 * `ON_CALL` who staffs none of its groups, a participant included. It shows what the event
 * carries that is safe on a screen (the alert's id, kind, group, the step and when), never its
 * author, and the way on: the group's room when they are in it. Staff whose inbox holds the alert
 * see it there instead.
 */
export class EscalationNotices {
  readonly el = h('section', { class: 'panel escalations', 'aria-labelledby': 'escalations-heading', hidden: true });
  /** The latest step of each escalated alert, until dismissed. */
  private readonly shown = new Map<string, Escalation>();
  /** The groups I am in, asked for when first needed: where "Open group" can go. */
  private myGroups: Set<string> | undefined;
  private readonly stop: () => void;

  constructor(
    private readonly ctx: AppContext,
    private readonly inInbox: (alertId: string) => boolean,
  ) {
    this.stop = ctx.conn.on('alert:escalated', (e) => void this.add(e));
  }

  dispose(): void {
    this.stop();
    this.el.remove();
  }

  private async add(e: Escalation): Promise<void> {
    if (this.inInbox(e.alert.id)) return;
    if (e.alert.groupId !== undefined && !this.myGroups) {
      const res = await this.ctx.call('GET /api/groups');
      if (res.ok) this.myGroups = new Set(res.data.groups.map((g) => g.id));
    }
    this.shown.set(e.alert.id, e);
    announce(t('Escalated alert: someone may need support and no staff member has acknowledged it yet.'), true);
    this.render();
  }

  private render(): void {
    this.el.hidden = this.shown.size === 0;
    replace(
      this.el,
      h('h2', { id: 'escalations-heading' }, t('Escalated alerts')),
      h('p', null, t('You are on call. Nobody on staff has acknowledged these yet: reach the staff on duty, or the group, now.')),
      h(
        'ul',
        { class: 'alerts' },
        ...[...this.shown.values()].map(({ alert, step, at }) =>
          h(
            'li',
            { class: `alert${alert.severity === 'crisis' ? ' crisis' : ''}`, 'data-alert-id': alert.id },
            h(
              'p',
              { class: 'alert-title' },
              h('strong', null, t('{kind}, escalated', { kind: t(KIND[alert.kind]) })),
              t(' · step {step}', { step }),
            ),
            h(
              'p',
              { class: 'meta' },
              h('time', { datetime: new Date(at).toISOString() }, formatTime(at)),
              t(' · alert {id}', { id: alert.id }),
              alert.groupId ? t(' · group {id}', { id: alert.groupId }) : t(' · no group (program alert)'),
            ),
            h(
              'div',
              { class: 'inline' },
              alert.groupId && this.myGroups?.has(alert.groupId)
                ? h('button', { type: 'button', onclick: () => this.ctx.go({ to: 'group', groupId: alert.groupId! }) }, t('Open group'))
                : null,
              h('button', { type: 'button', onclick: () => (this.shown.delete(alert.id), this.render()) }, t('Dismiss')),
            ),
          ),
        ),
      ),
    );
  }
}

const KIND: Record<Escalation['alert']['kind'], Key> = {
  crisis: 'Crisis alert',
  report: 'Report',
  checkin: 'Check-in alert',
};
