import type { Partnership } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';
import { confirmAction } from '../dialogs.js';
import type { Panel } from './panel.js';
import { distinctNames, labelsOf } from '../../names.js';
import { field, GroupChoice, type ChosenGroup } from './group-choice.js';

const pairName = (p: Partnership) => t('{first} and {second}', { first: p.users[0].name, second: p.users[1].name });

/**
 * Pairing by staff (§8.4): two participants of a group the caller facilitates paired by name, the
 * group's pairings listed (who and since when; their conversation stays theirs), one ended.
 */
export class PartnershipsPanel implements Panel {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly first = h('select', { name: 'first' });
  private readonly second = h('select', { name: 'second' });
  private readonly showEnded = h('input', { type: 'checkbox', name: 'ended' });
  private readonly list = h('ul', { class: 'alerts console-list' });
  private readonly groups: GroupChoice;

  constructor(private readonly ctx: AppContext) {
    this.groups = new GroupChoice(ctx, this.status, (g) => void this.show(g));
    this.showEnded.addEventListener('change', () => void this.reload());
    this.el = h(
      'section',
      { class: 'panel console-panel', 'aria-labelledby': 'console-partners' },
      h('h3', { id: 'console-partners' }, t('Accountability partners')),
      h('p', { class: 'muted-text' }, t('Pair two members of a group you facilitate. You see who is paired, never what they write.')),
      this.groups.el,
      h(
        'form',
        {
          class: 'console-form',
          'aria-labelledby': 'console-pair',
          onsubmit: (e) => {
            e.preventDefault();
            void this.pair();
          },
        },
        h('h4', { id: 'console-pair' }, t('Pair two members')),
        field(t('First person'), this.first),
        field(t('Second person'), this.second),
        h('button', { type: 'submit', class: 'primary' }, t('Pair them')),
      ),
      this.status,
      h('h4', null, t('Pairings in this group')),
      h('label', { class: 'choice' }, this.showEnded, t(' Show ended pairings too')),
      this.list,
    );
  }

  dispose(): void {}

  private async show(g: ChosenGroup): Promise<void> {
    const people = g.members.filter((m) => m.role === 'participant').sort((a, b) => a.name.localeCompare(b.name));
    const label = labelsOf(distinctNames(people));
    for (const select of [this.first, this.second]) replace(select, ...people.map((m) => h('option', { value: m.id }, label(m))));
    if (people.length > 1) this.second.selectedIndex = 1;
    await this.reload();
  }

  private async reload(): Promise<void> {
    const g = this.groups.current;
    if (!g) return;
    const res = await this.ctx.call('GET /api/groups/:groupId/partnerships', {
      params: { groupId: g.groupId },
      query: { status: this.showEnded.checked ? 'all' : 'active' },
    });
    if (!this.groups.still(g)) return;
    if (!res.ok) return void (this.status.textContent = t('Could not load the pairings: {error}', { error: describeError(res.error) }));
    const ps = res.data.partnerships;
    if (!ps.length) return replace(this.list, h('li', { class: 'muted-text' }, t('No pairings in this group yet.')));
    replace(this.list, ...ps.map((p) => this.item(g.groupId, p)));
  }

  private item(groupId: string, p: Partnership): HTMLElement {
    const ended = p.status === 'ended';
    const when = ended
      ? t('ended {time}', { time: formatTime(p.endedAt ?? p.createdAt) })
      : t('paired {time}', { time: formatTime(p.createdAt) });
    return h(
      'li',
      { class: 'alert' },
      h('p', { class: 'alert-title' }, h('strong', null, pairName(p)), ended ? h('span', { class: 'badge' }, t('ended')) : null),
      h('p', { class: 'meta' }, when),
      ended
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': t('End the pairing of {pair}', { pair: pairName(p) }),
              onclick: () => void this.end(groupId, p),
            },
            t('End pairing'),
          ),
    );
  }

  private async pair(): Promise<void> {
    const [a, b] = [this.first.value, this.second.value];
    if (!a || !b || a === b) return void (this.status.textContent = t('Choose two different people.'));
    const res = await this.ctx.call('POST /api/partnerships', { body: { userIds: [a, b] } });
    if (!res.ok) return void (this.status.textContent = t('Could not pair them: {error}', { error: describeError(res.error) }));
    this.status.textContent = t('{pair} are now accountability partners.', { pair: pairName(res.data.partnership) });
    await this.reload();
  }

  private async end(groupId: string, p: Partnership): Promise<void> {
    const sure = await confirmAction(
      t('End the pairing of {pair}?', { pair: pairName(p) }),
      t('Both are told. They can still read what they wrote to each other, but not write any more.'),
      t('End pairing'),
    );
    if (!sure) return;
    const res = await this.ctx.call('POST /api/groups/:groupId/partnerships/:partnershipId/end', {
      params: { groupId, partnershipId: p.id },
    });
    if (!res.ok) return void (this.status.textContent = t('Could not end the pairing: {error}', { error: describeError(res.error) }));
    this.status.textContent = t('The pairing of {pair} has ended.', { pair: pairName(p) });
    await this.reload();
  }
}
