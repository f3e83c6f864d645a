import type { AttendanceRecord, AttendanceResult, AttendanceSession, AttendanceStatus } from '../../../shared/index.js';
import type { AppContext, View } from '../context.js';
import { announce, formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';

const STATUS_TEXT: Record<AttendanceStatus, string> = {
  present: 'Present',
  late: 'Late',
  left_early: 'Left early',
  absent: 'Absent',
};

const sessionText = (s: AttendanceSession) => `${formatTime(s.start)} – ${s.end === null ? 'still open' : formatTime(s.end)}`;

/**
 * A group's attendance for its facilitators (§5.8): pick one of the sessions that have started,
 * see every participant's record, correct one, or download them as CSV.
 */
export class AttendanceView implements View {
  readonly title = 'Attendance';
  readonly el: HTMLElement;
  private readonly picker = h('div');
  private readonly body = h('div', null, h('p', null, 'Loading the sessions…'));

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
  ) {
    this.el = h(
      'section',
      { class: 'page attendance' },
      h('h2', { tabindex: -1 }, 'Attendance'),
      h('button', { type: 'button', class: 'link', onclick: () => ctx.go({ to: 'group', groupId }) }, 'Back to the room'),
      this.picker,
      this.body,
    );
    void this.loadSessions();
  }

  dispose(): void {}

  private async loadSessions(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/attendance', { params: { groupId: this.groupId } });
    if (!res.ok) return replace(this.body, h('p', { class: 'problem' }, `Could not load the sessions. ${describeError(res.error)}`));
    const { sessions, settings } = res.data;
    if (!sessions.length) return replace(this.body, h('p', null, 'No session has started in this group yet.'));
    const id = nextId('session');
    const select = h(
      'select',
      { id, onchange: () => void this.loadSession(select.value) },
      ...sessions.map((s) => h('option', { value: s.id }, sessionText(s))),
    );
    replace(
      this.picker,
      h('p', { class: 'inline' }, h('label', { for: id }, 'Session'), select),
      h(
        'p',
        { class: 'muted-text' },
        `Late: first joined more than ${settings.lateAfterMin} min after the start. Left early: last left more than ${settings.earlyLeaveMin} min before the end.`,
      ),
    );
    // The newest first: after a session closes, the one that just ended.
    await this.loadSession(sessions[0]!.id);
  }

  private async loadSession(sessionId: string): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/sessions/:sessionId/attendance', {
      params: { groupId: this.groupId, sessionId },
    });
    if (!res.ok) return replace(this.body, h('p', { class: 'problem' }, `Could not load this session. ${describeError(res.error)}`));
    this.render(res.data);
  }

  private render({ session, records }: AttendanceResult): void {
    const table = h(
      'table',
      { class: 'attendance-table' },
      h('caption', null, `Attendance, ${sessionText(session)}`),
      h(
        'thead',
        null,
        h('tr', null, ...['Name', 'First joined', 'Last left', 'Minutes', 'Status', 'Correct'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      h('tbody', null, ...records.map((r) => this.row(session, r))),
    );
    replace(
      this.body,
      // Focusable, so a keyboard can scroll it sideways on a narrow screen.
      records.length
        ? h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Attendance table' }, table)
        : h('p', null, 'This group has no participants.'),
      h('button', { type: 'button', onclick: () => void this.download(session) }, 'Download CSV'),
    );
  }

  private row(session: AttendanceSession, r: AttendanceRecord): HTMLElement {
    const select = h(
      'select',
      { 'aria-label': `Status for ${r.name}` },
      ...(Object.keys(STATUS_TEXT) as AttendanceStatus[]).map((s) => h('option', { value: s, selected: s === r.status }, STATUS_TEXT[s])),
    );
    const note = h('input', { type: 'text', maxlength: 500, 'aria-label': `Note for ${r.name}`, value: r.corrected?.note ?? '' });
    const save = async () => {
      const body = { status: select.value as AttendanceStatus, ...(note.value.trim() ? { note: note.value.trim() } : {}) };
      const res = await this.ctx.call('PUT /api/groups/:groupId/sessions/:sessionId/attendance/:userId', {
        params: { groupId: this.groupId, sessionId: session.id, userId: r.userId },
        body,
      });
      announce(res.ok ? `${r.name}: ${STATUS_TEXT[res.data.record.status]}, saved.` : describeError(res.error));
      if (res.ok) await this.loadSession(session.id);
    };
    return h(
      'tr',
      null,
      h('th', { scope: 'row' }, r.name),
      h('td', null, r.firstJoined === null ? '—' : formatTime(r.firstJoined)),
      h('td', null, r.lastLeft === null ? (r.firstJoined === null ? '—' : 'still in') : formatTime(r.lastLeft)),
      h('td', null, String(r.minutes)),
      h(
        'td',
        null,
        STATUS_TEXT[r.status],
        r.corrected ? h('span', { class: 'muted-text' }, ` (corrected; was ${STATUS_TEXT[r.computedStatus]})`) : null,
      ),
      h(
        'td',
        { class: 'correct' },
        select,
        note,
        h('button', { type: 'button', onclick: () => void save() }, 'Save', h('span', { class: 'sr-only' }, ` status for ${r.name}`)),
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
      announce('Could not download the CSV. Check your connection and try again.', true);
    }
  }
}
