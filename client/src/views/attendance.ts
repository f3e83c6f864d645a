import type { AttendanceRecord, AttendanceResult, AttendanceSession, AttendanceSettings, AttendanceStatus } from '../../../shared/index.js';
import type { AppContext, View } from '../context.js';
import { announce, formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { downloadCsv } from '../download.js';
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
  private readonly rule = h('p', { class: 'muted-text' });
  private readonly late = h('input', { type: 'number', name: 'lateAfterMin', min: 0, max: 240, step: 1, required: true });
  private readonly early = h('input', { type: 'number', name: 'earlyLeaveMin', min: 0, max: 240, step: 1, required: true });
  private readonly settingsStatus = h('p', { class: 'flash', role: 'status' });
  private readonly settingsForm = h(
    'form',
    {
      class: 'attendance-settings',
      'aria-label': t('Late and left-early thresholds'),
      hidden: true,
      onsubmit: (e) => {
        e.preventDefault();
        void this.saveSettings();
      },
    },
    labelled(t('Late after (minutes after the start)'), this.late),
    labelled(t('Left early (minutes before the end)'), this.early),
    h('button', { type: 'submit' }, t('Save thresholds')),
    this.settingsStatus,
  );
  /** The session on screen, reloaded when the thresholds change (its statuses follow them). */
  private sessionId: string | undefined;

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
      this.rule,
      this.settingsForm,
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
    this.showSettings(settings);
    if (!sessions.length) return replace(this.body, h('p', null, t('No session has started in this group yet.')));
    const select = h(
      'select',
      {
        onchange: () => {
          this.sessionId = select.value;
          void this.loadSession(select.value);
        },
      },
      ...sessions.map((s) => h('option', { value: s.id }, sessionText(s))),
    );
    replace(this.picker, labelled(t('Session'), select));
    // The newest first: after a session closes, the one that just ended.
    this.sessionId = sessions[0]!.id;
    await this.loadSession(this.sessionId);
  }

  private showSettings(settings: AttendanceSettings): void {
    this.rule.textContent = t(
      'Late: first joined more than {late} min after the start. Left early: last left more than {early} min before the end.',
      { late: settings.lateAfterMin, early: settings.earlyLeaveMin },
    );
    this.late.value = String(settings.lateAfterMin);
    this.early.value = String(settings.earlyLeaveMin);
    this.settingsForm.hidden = false;
  }

  private async saveSettings(): Promise<void> {
    const body = { lateAfterMin: this.late.valueAsNumber, earlyLeaveMin: this.early.valueAsNumber };
    const res = await this.ctx.call('PUT /api/groups/:groupId/attendance/settings', { params: { groupId: this.groupId }, body });
    if (!res.ok) {
      this.settingsStatus.textContent = t('Could not save the thresholds: {error}', { error: describeError(res.error) });
      return;
    }
    this.showSettings(res.data.settings);
    this.settingsStatus.textContent = t('Thresholds saved.');
    if (this.sessionId) await this.loadSession(this.sessionId);
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

  private async download(session: AttendanceSession): Promise<void> {
    const path = `/api/groups/${encodeURIComponent(this.groupId)}/sessions/${encodeURIComponent(session.id)}/attendance?format=csv`;
    if (!(await downloadCsv(this.ctx.me.token, path, `attendance-${session.id}.csv`)))
      announce(t('Could not download the CSV. Check your connection and try again.'), true);
  }
}

/** A control with its label before it, wired by id. */
function labelled(label: string, control: HTMLElement): HTMLElement {
  control.id ||= nextId('attendance');
  return h('p', { class: 'inline' }, h('label', { for: control.id }, label), control);
}
