import type { AccessEntry, AccessWhat, RouteRequest } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import type { Key } from '../../i18n/en.js';
import { t } from '../../i18n/i18n.js';
import type { Panel } from './panel.js';
import { field } from './group-choice.js';
import { place } from './place.js';
import { ROLE_WORDS } from './role-words.js';
import { minuteRange } from './time-range.js';

/** What was read, in words (every kind has its words: a new one is a compile error until it has). */
const READ: Record<AccessWhat, Key> = {
  checkins: 'a check-in trend',
  attendance: "a session's attendance",
  reports: "a group's report queue",
  alerts: 'alerts',
  audit: "a group's audit log",
  disclosures: 'disclosure records',
  group: "a group's members",
  export: 'their own data export',
  access_log: 'the access log',
  partnerships: "a group's pairings",
};

type Filters = NonNullable<RouteRequest<'GET /api/access-log'>['query']>;
const PAGE = 50;

/**
 * The program's access log (§8.8, admins): who read what about whom, newest first, filtered by
 * person, reader and time, paged back with "Load older". Reading it is itself logged.
 */
export class AccessLogPanel implements Panel {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly person = h('input', { type: 'text', name: 'person', autocomplete: 'off', spellcheck: 'false' });
  private readonly actor = h('input', { type: 'text', name: 'actor', autocomplete: 'off', spellcheck: 'false' });
  private readonly from = h('input', { type: 'datetime-local', name: 'from' });
  private readonly to = h('input', { type: 'datetime-local', name: 'to' });
  private readonly list = h('ol', { class: 'alerts console-list' });
  private readonly older = h('button', { type: 'button', hidden: true, onclick: () => void this.load(false) }, t('Load older'));
  private filters: Filters = {};
  private entries: AccessEntry[] = [];

  constructor(private readonly ctx: AppContext) {
    this.el = h(
      'section',
      { class: 'panel console-panel', 'aria-labelledby': 'console-access' },
      h('h3', { id: 'console-access' }, t('Access log')),
      h(
        'p',
        { class: 'muted-text' },
        t('Every read by staff of data about a person, newest first. Ids only: the log never holds names or text.'),
      ),
      h(
        'form',
        {
          class: 'console-form',
          'aria-label': t('Filter the access log'),
          onsubmit: (e) => {
            e.preventDefault();
            void this.search();
          },
        },
        field(t('About person (user id)'), this.person),
        field(t('Read by (user id)'), this.actor),
        field(t('From'), this.from),
        field(t('To'), this.to),
        h('button', { type: 'submit', class: 'primary' }, t('Show entries')),
      ),
      this.status,
      this.list,
      this.older,
    );
    void this.search();
  }

  dispose(): void {}

  private async search(): Promise<void> {
    const { from, to } = minuteRange(this.from, this.to);
    if (from !== undefined && to !== undefined && from > to)
      return void (this.status.textContent = t('"From" is after "To": nothing can match.'));
    const filters: Filters = { person: this.person.value.trim() || undefined, actor: this.actor.value.trim() || undefined, from, to };
    this.filters = filters;
    await this.load(true);
  }

  private async load(fresh: boolean): Promise<void> {
    const beforeSeq = fresh ? undefined : this.entries.at(-1)?.seq;
    const res = await this.ctx.call('GET /api/access-log', { query: { ...this.filters, limit: PAGE, beforeSeq } });
    if (!res.ok) return void (this.status.textContent = t('Could not load the access log: {error}', { error: describeError(res.error) }));
    this.entries = fresh ? res.data.entries : [...this.entries, ...res.data.entries];
    this.older.hidden = !res.data.hasMore;
    this.status.textContent = t(res.data.hasMore ? '{count} entries shown, more are older.' : '{count} entries shown.', {
      count: this.entries.length,
    });
    if (!this.entries.length) return replace(this.list, h('li', { class: 'muted-text' }, t('No entry matches.')));
    replace(this.list, ...this.entries.map(entryItem));
  }
}

function entryItem(e: AccessEntry): HTMLElement {
  return h(
    'li',
    { class: 'alert' },
    h(
      'p',
      null,
      ...place(t('{reader} read {what}', { what: t(READ[e.what]) }), {
        reader: h('strong', null, t('{id} ({role})', { id: e.actor.id, role: t(ROLE_WORDS[e.actor.role]) })),
      }),
    ),
    e.about.length ? h('p', { class: 'console-ids' }, t('About: {ids}', { ids: e.about.join(', ') })) : null,
    h(
      'p',
      { class: 'meta' },
      h('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)),
      e.groupId ? t(' · group {id}', { id: e.groupId }) : '',
      t(' · node {node}', { node: e.node }),
      t(' · entry {seq}', { seq: e.seq }),
    ),
  );
}
