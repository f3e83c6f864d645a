import type { AccessEntry, AccessWhat, RouteRequest } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { panelSection, type Panel } from './panel.js';
import { field } from './group-choice.js';

/** What was read, in words. */
const READ: Partial<Record<AccessWhat, string>> = {
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
  private readonly older = h('button', { type: 'button', hidden: true, onclick: () => void this.load(false) }, 'Load older');
  private filters: Filters = {};
  private entries: AccessEntry[] = [];

  constructor(private readonly ctx: AppContext) {
    this.el = panelSection(
      'console-access',
      'Access log',
      'Every read by staff of data about a person, newest first. Ids only: the log never holds names or text.',
      h(
        'form',
        {
          class: 'console-form',
          'aria-label': 'Filter the access log',
          onsubmit: (e) => {
            e.preventDefault();
            void this.search();
          },
        },
        field('About person (user id)', this.person),
        field('Read by (user id)', this.actor),
        field('From', this.from),
        field('To', this.to),
        h('button', { type: 'submit', class: 'primary' }, 'Show entries'),
      ),
      this.status,
      this.list,
      this.older,
    );
    void this.search();
  }

  dispose(): void {}

  private async search(): Promise<void> {
    const at = (input: HTMLInputElement, end: boolean) => {
      // A minute's field covers its whole minute: "to 10:05" includes 10:05:59.
      const ms = input.value ? new Date(input.value).getTime() : NaN;
      return Number.isNaN(ms) ? undefined : end ? ms + 59_999 : ms;
    };
    const [from, to] = [at(this.from, false), at(this.to, true)];
    if (from !== undefined && to !== undefined && from > to)
      return void (this.status.textContent = '"From" is after "To": nothing can match.');
    const filters: Filters = { person: this.person.value.trim() || undefined, actor: this.actor.value.trim() || undefined, from, to };
    this.filters = filters;
    await this.load(true);
  }

  private async load(fresh: boolean): Promise<void> {
    const beforeSeq = fresh ? undefined : this.entries.at(-1)?.seq;
    const res = await this.ctx.call('GET /api/access-log', { query: { ...this.filters, limit: PAGE, beforeSeq } });
    if (!res.ok) return void (this.status.textContent = `Could not load the access log: ${describeError(res.error)}`);
    this.entries = fresh ? res.data.entries : [...this.entries, ...res.data.entries];
    this.older.hidden = !res.data.hasMore;
    this.status.textContent = `${this.entries.length} ${this.entries.length === 1 ? 'entry' : 'entries'} shown${res.data.hasMore ? ', more are older' : ''}.`;
    if (!this.entries.length) return replace(this.list, h('li', { class: 'muted-text' }, 'No entry matches.'));
    replace(this.list, ...this.entries.map(entryItem));
  }
}

function entryItem(e: AccessEntry): HTMLElement {
  return h(
    'li',
    { class: 'alert' },
    h('p', null, h('strong', null, `${e.actor.id} (${e.actor.role})`), ` read ${READ[e.what] ?? e.what.replace(/_/g, ' ')}`),
    e.about.length ? h('p', { class: 'console-ids' }, `About: ${e.about.join(', ')}`) : null,
    h(
      'p',
      { class: 'meta' },
      h('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)),
      e.groupId ? ` · group ${e.groupId}` : '',
      ` · node ${e.node} · entry ${e.seq}`,
    ),
  );
}
