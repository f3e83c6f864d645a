import type { AppContext, View } from '../context.js';
import { h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { ProgramAlertsPanel } from './program-alerts.js';

/** "My groups": the groups I am enrolled in (all of them for an admin, after the program's alerts). */
export class GroupsView implements View {
  readonly title = 'My groups';
  readonly el: HTMLElement;
  private readonly body = h('div', null, h('p', null, 'Loading your groups…'));
  private readonly alerts: ProgramAlertsPanel | undefined;

  constructor(private readonly ctx: AppContext) {
    this.alerts = ctx.me.role === 'admin' ? new ProgramAlertsPanel(ctx) : undefined;
    this.el = h('section', { class: 'page' }, h('h2', { tabindex: -1 }, 'My groups'), this.alerts?.el ?? null, this.body);
    void this.load();
  }

  dispose(): void {
    this.alerts?.dispose();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) {
      replace(
        this.body,
        h('p', { class: 'problem' }, `Could not load your groups. ${describeError(res.error)}`),
        h('button', { type: 'button', onclick: () => void this.load() }, 'Try again'),
      );
      return;
    }
    const { groups } = res.data;
    if (!groups.length) {
      replace(this.body, h('p', null, 'You are not in any group yet. Your program will add you to one.'));
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
            h('h3', null, g.name),
            g.schedule ? h('p', { class: 'muted-text' }, g.schedule) : null,
            g.description ? h('p', null, g.description) : null,
            h(
              'button',
              { type: 'button', class: 'primary', onclick: () => this.ctx.go({ to: 'group', groupId: g.id }) },
              'Open',
              h('span', { class: 'sr-only' }, ` ${g.name}`),
            ),
          ),
        ),
      ),
    );
  }
}
