import type { Disclosure, RouteRequest } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { announce, formatTime, h, replace } from '../../dom.js';
import { downloadCsv } from '../../download.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';
import { disclosureItem } from '../disclosures.js';
import { field } from './group-choice.js';
import type { Panel } from './panel.js';
import { minuteRange } from './time-range.js';

type Filters = NonNullable<RouteRequest<'GET /api/disclosures'>['query']>;

/**
 * The program's emergency-disclosure records (42 CFR §2.51, §8.8, admins): every alert's records
 * in one list, oldest first, filtered by person, group and time, with the redisclosure notice
 * (§2.32) the server sends with them, and the same as CSV. Each read is access-logged.
 */
export class DisclosuresPanel implements Panel {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly person = h('input', { type: 'text', name: 'person', autocomplete: 'off', spellcheck: 'false' });
  private readonly group = h('select', { name: 'groupId' }, h('option', { value: '' }, t('All groups')));
  private readonly from = h('input', { type: 'datetime-local', name: 'from' });
  private readonly to = h('input', { type: 'datetime-local', name: 'to' });
  private readonly notice = h('div', { class: 'disclosure-notice' });
  private readonly list = h('ol', { class: 'alerts console-list disclosure-list' });
  private filters: Filters = {};
  private readonly groupNames = new Map<string, string>();

  constructor(private readonly ctx: AppContext) {
    this.el = h(
      'section',
      { class: 'panel console-panel', 'aria-labelledby': 'console-disclosures' },
      h('h3', { id: 'console-disclosures' }, t('Emergency disclosures')),
      h(
        'p',
        { class: 'muted-text' },
        t('Every emergency disclosure recorded from an alert, oldest first. A correction is a new record; none is ever edited.'),
      ),
      h(
        'form',
        {
          class: 'console-form',
          'aria-label': t('Filter the disclosures'),
          onsubmit: (e) => {
            e.preventDefault();
            void this.search();
          },
        },
        field(t('Person disclosed about (user id)'), this.person),
        field(t('Group'), this.group),
        field(t('From'), this.from),
        field(t('To'), this.to),
        h('button', { type: 'submit', class: 'primary' }, t('Show records')),
        h('button', { type: 'button', onclick: () => void this.download() }, t('Download CSV')),
      ),
      this.status,
      this.notice,
      this.list,
    );
    // The groups first, so the records name them.
    void this.loadGroups().then(() => this.search());
  }

  dispose(): void {}

  private async loadGroups(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) return void (this.status.textContent = t('Could not load your groups: {error}', { error: describeError(res.error) }));
    for (const g of res.data.groups) this.groupNames.set(g.id, g.name);
    this.group.append(...res.data.groups.map((g) => h('option', { value: g.id }, g.name)));
  }

  /** The filters as the form has them; undefined (and a status said) when they cannot match. */
  private read(): Filters | undefined {
    const { from, to } = minuteRange(this.from, this.to);
    if (from !== undefined && to !== undefined && from > to) {
      this.status.textContent = t('"From" is after "To": nothing can match.');
      return undefined;
    }
    return { person: this.person.value.trim() || undefined, groupId: this.group.value || undefined, from, to };
  }

  private async search(): Promise<void> {
    const filters = this.read();
    if (!filters) return;
    this.filters = filters;
    const res = await this.ctx.call('GET /api/disclosures', { query: filters });
    if (this.filters !== filters) return; // a newer search was started meanwhile
    if (!res.ok) return void (this.status.textContent = t('Could not load the disclosures: {error}', { error: describeError(res.error) }));
    const { notice, disclosures } = res.data;
    // The notice is the regulation's own words, shown as the server sends them (in English).
    replace(
      this.notice,
      h('p', null, h('strong', null, t('Notice to anyone receiving these records (42 CFR §2.32):'))),
      h('blockquote', { lang: 'en' }, notice),
    );
    this.status.textContent = t('{count} records shown.', { count: disclosures.length });
    if (!disclosures.length) return replace(this.list, h('li', { class: 'muted-text' }, t('No disclosures recorded.')));
    const byId = new Map(disclosures.map((d) => [d.id, d]));
    replace(this.list, ...disclosures.map((d) => this.item(d, byId)));
  }

  private item(d: Disclosure, byId: Map<string, Disclosure>): HTMLElement {
    const corrected = d.correctsId ? byId.get(d.correctsId) : undefined;
    return disclosureItem(
      d,
      h(
        'p',
        { class: 'meta' },
        t('About {person}', { person: d.userId }),
        d.groupId ? t(' · group {name}', { name: this.groupNames.get(d.groupId) ?? d.groupId }) : t(' · a program alert'),
        t(' · recorded by {id}, ', { id: d.recordedBy }),
        h('time', { datetime: new Date(d.recordedAt).toISOString() }, formatTime(d.recordedAt)),
        corrected ? t(' · corrects the record to {name}, {time}', { name: corrected.recipientName, time: formatTime(corrected.at) }) : '',
      ),
    );
  }

  private async download(): Promise<void> {
    const filters = this.read();
    if (!filters) return;
    const query = new URLSearchParams({ format: 'csv' });
    const { person, groupId, from, to } = filters;
    for (const [k, v] of [
      ['person', person],
      ['groupId', groupId],
      ['from', from?.toString()],
      ['to', to?.toString()],
    ] as const)
      if (v !== undefined) query.set(k, v);
    const ok = await downloadCsv(
      this.ctx.me.token,
      `/api/disclosures?${query}`,
      `disclosures-${new Date().toISOString().slice(0, 10)}.csv`,
    );
    announce(
      ok ? t('The records were downloaded as a CSV file.') : t('Could not download the CSV. Check your connection and try again.'),
      !ok,
    );
  }
}
