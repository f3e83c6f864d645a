import type { GroupState, Schedule, ScheduledSession, WeeklySlot } from '../../../shared/index.js';
import { SESSION_MINUTES, WEEKDAYS } from '../../../shared/vocabulary.js';
import type { AppContext } from '../context.js';
import { formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { locale, t } from '../i18n/i18n.js';
import { confirmAction } from './dialogs.js';
import { formatSessionStart } from './schedule-line.js';

export type ScheduleEditorDeps = {
  ctx: AppContext;
  groupId: string;
  flash: (text: string) => void;
  /** Closes the open session now (mod:session), as the room controls do. */
  closeNow: () => void;
};

const EXTEND_BY = 15;
/** How many coming sessions the panel lists (the route answers up to 10). */
const LISTED = 5;
const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** 1 Jan 2024 was a Monday: the day names in the page's language, Monday first as WEEKDAYS. */
const dayNames = () => {
  const name = new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' });
  return WEEKDAYS.map((_, i) => name.format(Date.UTC(2024, 0, 1 + i)));
};
const zones: readonly string[] = (Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }).supportedValuesOf?.('timeZone') ?? [];
const emptySchedule = (): Schedule => ({ timeZone: viewerZone, weekly: [], oneOff: [], cancelled: [] });

/**
 * A facilitator's schedule panel (§5.6): the open session (extend, close now), the coming sessions
 * (cancel one), and an editor for the time zone, weekly slots and one-off sessions, saved whole
 * with PUT. The server decides and answers the schedule as it now is.
 */
export class ScheduleEditor {
  readonly el: HTMLElement;
  private readonly status = h('div', { class: 'schedule-status' });
  private readonly coming = h('div');
  private readonly editor = h('div', { class: 'schedule-form' });
  private saved: Schedule | null = null;
  private draft: Schedule = emptySchedule();
  private sessions: ScheduledSession[] = [];
  private session: GroupState['session'] = null;
  /** what the last group:state said, to reload the list when a session opens, closes or moves */
  private seen = '';

  constructor(private readonly deps: ScheduleEditorDeps) {
    const id = nextId('schedule');
    this.el = h(
      'section',
      { class: 'panel schedule', 'aria-labelledby': id },
      h('h3', { id }, t('Schedule')),
      this.status,
      this.coming,
      h('details', null, h('summary', null, t('Edit schedule')), this.editor),
    );
  }

  async load(): Promise<void> {
    const res = await this.deps.ctx.call('GET /api/groups/:groupId/schedule', { params: { groupId: this.deps.groupId } });
    if (!res.ok) return this.deps.flash(describeError(res.error));
    this.adopt(res.data);
  }

  /** A new group:state: the open session's buttons, and the list again when the sessions changed. */
  render(state: GroupState): void {
    this.session = state.session;
    const seen = JSON.stringify([state.session, state.nextSessionStart]);
    if (seen !== this.seen && this.seen !== '') void this.load();
    this.seen = seen;
    this.renderStatus();
  }

  private adopt(data: { schedule: Schedule | null; sessions: ScheduledSession[] }): void {
    this.saved = data.schedule;
    this.draft = structuredClone(data.schedule ?? emptySchedule());
    this.sessions = data.sessions;
    this.renderStatus();
    this.renderComing();
    this.renderEditor();
  }

  private renderStatus(): void {
    const s = this.session;
    replace(
      this.status,
      !this.saved
        ? h('p', { class: 'muted-text' }, t('No schedule: sessions are opened and closed by hand.'))
        : s
          ? h(
              'p',
              { class: 'inline' },
              h('span', null, t('Session open until {time}.', { time: formatTime(s.end) })),
              h('button', { type: 'button', onclick: () => void this.extend() }, t('Extend {n} min', { n: EXTEND_BY })),
              h('button', { type: 'button', onclick: () => this.deps.closeNow() }, t('Close now')),
            )
          : null,
    );
  }

  private renderComing(): void {
    const now = Date.now();
    const items = this.sessions.slice(0, LISTED).map((s) =>
      h(
        'li',
        null,
        h('span', null, `${formatSessionStart(s.start, now)} – ${formatTime(s.end)}`),
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-label': t('Cancel the session of {when}', { when: formatSessionStart(s.start, now) }),
            onclick: () => void this.cancel(s),
          },
          t('Cancel'),
        ),
      ),
    );
    replace(
      this.coming,
      this.saved ? h('h4', null, t('Coming sessions')) : null,
      this.saved
        ? items.length
          ? h('ul', { class: 'sessions' }, ...items)
          : h('p', { class: 'muted-text' }, t('No sessions planned.'))
        : null,
    );
  }

  private renderEditor(): void {
    const d = this.draft;
    const zoneId = nextId('zone');
    const zoneList = nextId('zones');
    const zone = h('input', {
      id: zoneId,
      type: 'text',
      list: zoneList,
      value: d.timeZone,
      autocomplete: 'off',
      onchange: () => (d.timeZone = zone.value.trim()),
    });
    const startId = nextId('oneoff-start');
    const lengthId = nextId('oneoff-minutes');
    const oneOffStart = h('input', { id: startId, type: 'datetime-local' });
    const oneOffMinutes = h('input', { id: lengthId, type: 'number', min: SESSION_MINUTES.min, max: SESSION_MINUTES.max, value: 60 });
    replace(
      this.editor,
      h(
        'p',
        null,
        h('label', { for: zoneId }, t('Time zone')),
        zone,
        h('datalist', { id: zoneList }, ...zones.map((z) => h('option', { value: z }))),
      ),
      h('h4', null, t('Every week')),
      d.weekly.length
        ? h('ul', { class: 'slots' }, ...d.weekly.map((slot, i) => this.slotRow(slot, i)))
        : h('p', { class: 'muted-text' }, t('No weekly sessions.')),
      h(
        'button',
        { type: 'button', onclick: () => this.edit(() => d.weekly.push({ day: 'tue', start: '18:00', minutes: 90 })) },
        t('Add weekly session'),
      ),
      h('h4', null, t('One-off sessions')),
      d.oneOff.length
        ? h(
            'ul',
            { class: 'slots' },
            ...d.oneOff.map((o, i) =>
              h(
                'li',
                null,
                h('span', null, `${formatSessionStart(Date.parse(o.start), Date.now())} – ${formatTime(Date.parse(o.end))}`),
                ' ',
                h('button', { type: 'button', class: 'link', onclick: () => this.edit(() => d.oneOff.splice(i, 1)) }, t('Remove')),
              ),
            ),
          )
        : null,
      h(
        'p',
        { class: 'inline' },
        h('label', { for: startId }, t('Starts')),
        oneOffStart,
        h('label', { for: lengthId }, t('Minutes')),
        oneOffMinutes,
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              const start = new Date(oneOffStart.value).getTime();
              if (Number.isNaN(start)) return this.deps.flash(t('Choose when the one-off session starts.'));
              const end = start + Number(oneOffMinutes.value) * 60_000;
              this.edit(() => d.oneOff.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() }));
            },
          },
          t('Add one-off session'),
        ),
      ),
      h(
        'p',
        { class: 'inline' },
        h('button', { type: 'button', class: 'primary', onclick: () => void this.save() }, t('Save schedule')),
        this.saved ? h('button', { type: 'button', onclick: () => void this.remove() }, t('Remove schedule')) : null,
      ),
    );
  }

  private slotRow(slot: WeeklySlot, i: number): HTMLElement {
    const [dayId, timeId, minId] = [nextId('day'), nextId('time'), nextId('minutes')];
    const remove = h(
      'button',
      { type: 'button', class: 'link', onclick: () => this.edit(() => this.draft.weekly.splice(i, 1)) },
      t('Remove'),
    );
    // The button names the session it removes, as the row now reads.
    const days = dayNames();
    const named = () =>
      remove.setAttribute(
        'aria-label',
        t('Remove the {day} {time} session', { day: days[WEEKDAYS.indexOf(slot.day)] ?? slot.day, time: slot.start }),
      );
    named();
    const day = h(
      'select',
      { id: dayId, onchange: () => ((slot.day = day.value as WeeklySlot['day']), named()) },
      ...WEEKDAYS.map((w, j) => h('option', { value: w, selected: w === slot.day }, days[j])),
    );
    const time = h('input', {
      id: timeId,
      type: 'time',
      value: slot.start,
      required: true,
      onchange: () => ((slot.start = time.value), named()),
    });
    const minutes = h('input', {
      id: minId,
      type: 'number',
      min: SESSION_MINUTES.min,
      max: SESSION_MINUTES.max,
      value: slot.minutes,
      onchange: () => (slot.minutes = Number(minutes.value)),
    });
    return h(
      'li',
      { class: 'inline' },
      h('label', { for: dayId }, t('Day')),
      day,
      h('label', { for: timeId }, t('Starts')),
      time,
      h('label', { for: minId }, t('Minutes')),
      minutes,
      remove,
    );
  }

  /** Changes the draft and draws the editor again (not saved until "Save schedule"). */
  private edit(change: () => void): void {
    change();
    this.renderEditor();
  }

  private async save(): Promise<void> {
    const res = await this.deps.ctx.call('PUT /api/groups/:groupId/schedule', { params: { groupId: this.deps.groupId }, body: this.draft });
    if (!res.ok) return this.deps.flash(describeError(res.error));
    this.adopt(res.data);
    this.deps.flash(t('Schedule saved.'));
  }

  private async remove(): Promise<void> {
    if (
      !(await confirmAction(
        t('Remove the schedule?'),
        t('Sessions will no longer open and close by themselves; you open and close them by hand.'),
        t('Remove schedule'),
      ))
    )
      return;
    const res = await this.deps.ctx.call('DELETE /api/groups/:groupId/schedule', { params: { groupId: this.deps.groupId } });
    if (!res.ok) return this.deps.flash(describeError(res.error));
    this.adopt(res.data);
    this.deps.flash(t('Schedule removed.'));
  }

  private async cancel(s: ScheduledSession): Promise<void> {
    const when = formatSessionStart(s.start, Date.now());
    if (
      !(await confirmAction(
        t('Cancel the session of {when}?', { when }),
        t('It will not open. Other sessions stay as they are.'),
        t('Cancel session'),
      ))
    )
      return;
    const res = await this.deps.ctx.call('POST /api/groups/:groupId/sessions/:sessionId/cancel', {
      params: { groupId: this.deps.groupId, sessionId: s.id },
    });
    if (!res.ok) return this.deps.flash(describeError(res.error));
    this.adopt(res.data);
    this.deps.flash(t('The session of {when} is cancelled.', { when }));
  }

  private async extend(): Promise<void> {
    const res = await this.deps.ctx.call('POST /api/groups/:groupId/session/extend', {
      params: { groupId: this.deps.groupId },
      body: { minutes: EXTEND_BY },
    });
    if (!res.ok) return this.deps.flash(describeError(res.error));
    this.adopt(res.data);
    this.deps.flash(t('Session extended by {n} min.', { n: EXTEND_BY }));
  }
}
