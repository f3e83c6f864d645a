import type { AttendanceRecord, AttendanceResult, AttendanceSession, AttendanceStatus } from '../../../shared/index.js';
import type { AppContext, View } from '../context.js';
import { announce, formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import type { Key } from '../i18n/en.js';
import { t } from '../i18n/i18n.js';

const STATUS_TEXT: Record<AttendanceStatus, Key> = {
  present: 'Present',
  late: 'Late',
  left_early: 'Left early',
  absent: 'Absent',
};

const sessionText = (s: AttendanceSession) =>
  s.end === null ? t('{start} – still open', { start: formatTime(s.start) }) : `${formatTime(s.start)} – ${formatTime(s.end)}`;
const statusText = (s: AttendanceStatus) => t(STATUS_TEXT[s]);

/**
 * A group's attendance for its facilitators (§5.8): pick one of the sessions that have started,
 * see every participant's record, correct one, or download them as CSV.
 */
export class AttendanceView implements View {
  readonly el: HTMLElement;
  private readonly picker = h('div');
  private readonly body = h('div', null, h('p', null, t('Loading the sessions…')));

  get title(): string {
    return t('Attendance');
  }

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
  ) {
    this.el = h(
      'section',
      { class: 'page attendance' },
      h('h2', { tabindex: -1 }, t('Attendance')),
      h('button', { type: 'button', class: 'link', onclick: () => ctx.go({ to: 'group', groupId }) }, t('Back to the room')),
      this.picker,
      this.body,
    );
    void this.loadSessions();
  }

  dispose(): void {}

  private async loadSessions(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/attendance', { params: { groupId: this.groupId } });
    if (!res.ok)
      return replace(
        this.body,
        h('p', { class: 'problem' }, t('Could not load the sessions. {error}', { error: describeError(res.error) })),
      );
    const { sessions, settings } = res.data;
    if (!sessions.length) return replace(this.body, h('p', null, t('No session has started in this group yet.')));
    const id = nextId('session');
    const select = h(
      'select',
      { id, onchange: () => void this.loadSession(select.value) },
      ...sessions.map((s) => h('option', { value: s.id }, sessionText(s))),
    );
    replace(
      this.picker,
      h('p', { class: 'inline' }, h('label', { for: id }, t('Session')), select),
      h(
        'p',
        { class: 'muted-text' },
        t('Late: first joined more than {late} min after the start. Left early: last left more than {early} min before the end.', {
          late: settings.lateAfterMin,
          early: settings.earlyLeaveMin,
        }),
      ),
    );
    // The newest first: after a session closes, the one that just ended.
    await this.loadSession(sessions[0]!.id);
  }

  private async loadSession(sessionId: string): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/sessions/:sessionId/attendance', {
      params: { groupId: this.groupId, sessionId },
    });
    if (!res.ok)
      return replace(
        this.body,
        h('p', { class: 'problem' }, t('Could not load this session. {error}', { error: describeError(res.error) })),
      );
    this.render(res.data);
  }

  private render({ session, records }: AttendanceResult): void {
    const table = h(
      'table',
      { class: 'attendance-table' },
      h('caption', null, t('Attendance, {session}', { session: sessionText(session) })),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...[t('Name'), t('First joined'), t('Last left'), t('Minutes'), t('Status'), t('Correct')].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h('tbody', null, ...records.map((r) => this.row(session, r))),
    );
    replace(
      this.body,
      // Focusable, so a keyboard can scroll it sideways on a narrow screen.
      records.length
        ? h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('Attendance table') }, table)
        : h('p', null, t('This group has no participants.')),
      h('button', { type: 'button', onclick: () => void this.download(session) }, t('Download CSV')),
    );
  }

  private row(session: AttendanceSession, r: AttendanceRecord): HTMLElement {
    const select = h(
      'select',
      { 'aria-label': t('Status for {name}', { name: r.name }) },
      ...(Object.keys(STATUS_TEXT) as AttendanceStatus[]).map((s) => h('option', { value: s, selected: s === r.status }, statusText(s))),
    );
    const note = h('input', {
      type: 'text',
      maxlength: 500,
      'aria-label': t('Note for {name}', { name: r.name }),
      value: r.corrected?.note ?? '',
    });
    const save = async () => {
      const body = { status: select.value as AttendanceStatus, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
      const res = await this.ctx.call('PUT /api/groups/:groupId/sessions/:sessionId/attendance/:userId', {
        params: { groupId: this.groupId, sessionId: session.id, userId: r.userId },
        body,
      });
      announce(
        res.ok ? t('{name}: {status}, saved.', { name: r.name, status: statusText(res.data.record.status) }) : describeError(res.error),
      );
      if (res.ok) await this.loadSession(session.id);
    };
    return h(
      'tr',
      null,
      h('th', { scope: 'row' }, r.name),
      h('td', null, r.firstJoined === null ? '—' : formatTime(r.firstJoined)),
      h('td', null, r.lastLeft === null ? (r.firstJoined === null ? '—' : t('still in')) : formatTime(r.lastLeft)),
      h('td', null, String(r.minutes)),
      h(
        'td',
        null,
        statusText(r.status),
        r.corrected ? h('span', { class: 'muted-text' }, t(' (corrected; was {status})', { status: statusText(r.computedStatus) })) : null,
      ),
      h(
        'td',
        { class: 'correct' },
        select,
        note,
        h('button', { type: 'button', 'aria-label': t('Save status for {name}', { name: r.name }), onclick: () => void save() }, t('Save')),
      ),
    );
  }

  /** The CSV needs the bearer token, so it is fetched and handed to the browser as a file. */
  private async download(session: AttendanceSession): Promise<void> {
    try {
      const res = await fetch(
        `/api/groups/${encodeURIComponent(this.groupId)}/sessions/${encodeURIComponent(session.id)}/attendance?format=csv`,
        {
          headers: { authorization: `Bearer ${this.ctx.me.token}`, accept: 'text/csv' },
        },
      );
      if (!res.ok) throw new Error(String(res.status));
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: `attendance-${session.id}.csv`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch {
      announce(t('Could not download the CSV. Check your connection and try again.'), true);
    }
  }
}
