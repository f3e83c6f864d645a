import type { AttendanceStatus, AuditAction, AuditEntry } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import type { Key } from '../../i18n/en.js';
import { t } from '../../i18n/i18n.js';
import type { Panel } from './panel.js';
import { field, GroupChoice, type ChosenGroup } from './group-choice.js';
import { place } from './place.js';
import { ROLE_WORDS } from './role-words.js';

/**
 * Each action as a sentence: `{actor}` is who acted (shown in bold), `{target}` whom it concerned.
 * Every action has its words: a new one is a compile error until it has.
 */
const DID: Record<AuditAction, Key> = {
  mute: '{actor} muted {target}',
  unmute: '{actor} unmuted {target}',
  remove: '{actor} removed {target} from the room',
  ban: '{actor} banned {target}',
  unban: '{actor} unbanned {target}',
  delete: '{actor} deleted a message from {target}',
  lock: '{actor} locked the room',
  unlock: '{actor} unlocked the room',
  waiting_room_on: '{actor} turned the waiting room on',
  waiting_room_off: '{actor} turned the waiting room off',
  admit: '{actor} admitted {target}',
  turn_away: '{actor} turned away {target}',
  slowmode: '{actor} set slow mode',
  pin: '{actor} pinned a message',
  unpin: '{actor} unpinned the message',
  quiet_on: '{actor} turned quiet partner chat on',
  quiet_off: '{actor} turned quiet partner chat off',
  session_open: '{actor} opened the session',
  session_close: '{actor} closed the session',
  session_extend: '{actor} extended the session',
  session_cancel: '{actor} cancelled a session',
  schedule_set: '{actor} changed the schedule',
  session_opened: '{actor} opened the session on schedule',
  session_closed: '{actor} closed the session on schedule',
  lower_hand: '{actor} lowered the hand of {target}',
  resolve_report: '{actor} resolved a report',
  acknowledge_alert: '{actor} acknowledged an alert',
  resolve_alert: '{actor} resolved an alert',
  enrol: '{actor} enrolled {target}',
  change_role: '{actor} changed the role of {target}',
  unenrol: '{actor} unenrolled {target}',
  set_agreement: '{actor} set the group agreement',
  checkin_rules: '{actor} changed the check-in rules',
  attendance_correct: '{actor} corrected the attendance of {target}',
  attendance_settings: '{actor} changed the attendance settings',
  edit_group: "{actor} edited the group's name or description",
  end_partnership: '{actor} ended a pairing of accountability partners',
};

/** Each action in the Action filter, as what was done. */
const ACTION_NAMES: Record<AuditAction, Key> = {
  mute: 'muted',
  unmute: 'unmuted',
  remove: 'removed from the room',
  ban: 'banned',
  unban: 'unbanned',
  delete: 'deleted a message',
  lock: 'locked the room',
  unlock: 'unlocked the room',
  waiting_room_on: 'turned the waiting room on',
  waiting_room_off: 'turned the waiting room off',
  admit: 'admitted',
  turn_away: 'turned away',
  slowmode: 'set slow mode',
  pin: 'pinned a message',
  unpin: 'unpinned the message',
  quiet_on: 'turned quiet partner chat on',
  quiet_off: 'turned quiet partner chat off',
  session_open: 'opened the session',
  session_close: 'closed the session',
  session_extend: 'extended the session',
  session_cancel: 'cancelled a session',
  schedule_set: 'changed the schedule',
  session_opened: 'opened the session on schedule',
  session_closed: 'closed the session on schedule',
  lower_hand: 'lowered the hand of',
  resolve_report: 'resolved a report',
  acknowledge_alert: 'acknowledged an alert',
  resolve_alert: 'resolved an alert',
  enrol: 'enrolled',
  change_role: 'changed the role of',
  unenrol: 'unenrolled',
  set_agreement: 'set the group agreement',
  checkin_rules: 'changed the check-in rules',
  attendance_correct: 'corrected the attendance of',
  attendance_settings: 'changed the attendance settings',
  edit_group: "edited the group's name or description",
  end_partnership: 'ended a pairing of accountability partners',
};

const STATUS_WORDS: Record<AttendanceStatus, Key> = {
  present: 'present',
  late: 'late',
  left_early: 'left early',
  absent: 'absent',
};

/**
 * An entry as one sentence in the current language, its placeholders `{actor}` and `{target}` left
 * for the names; what an entry adds (minutes, seconds, version, role, status) is part of the
 * sentence, since where it goes differs between languages.
 */
function sentence(e: AuditEntry): string {
  const v = e.value;
  if (v !== undefined && e.action === 'mute') return t('{actor} muted {target} for {count} minutes', { count: v });
  if (v !== undefined && e.action === 'session_extend') return t('{actor} extended the session for {count} minutes', { count: v });
  if (v !== undefined && e.action === 'slowmode')
    return v ? t('{actor} set slow mode to {count} seconds', { count: v }) : t('{actor} set slow mode off');
  if (v !== undefined && e.action === 'set_agreement') return t('{actor} set the group agreement (version {version})', { version: v });
  if (e.role && e.action === 'enrol') return t('{actor} enrolled {target} as {role}', { role: t(ROLE_WORDS[e.role]) });
  if (e.role && e.action === 'change_role') return t('{actor} changed the role of {target} to {role}', { role: t(ROLE_WORDS[e.role]) });
  if (e.status && e.action === 'attendance_correct')
    return t('{actor} corrected the attendance of {target} as {status}', { status: t(STATUS_WORDS[e.status]) });
  return t(DID[e.action]);
}

const PAGE = 50;

/**
 * A group's audit log (§8.3), newest first, in words, narrowed by action and by person on the
 * server (the whole log, not only what is on screen), paged back with "Load older".
 */
export class AuditPanel implements Panel {
  readonly el: HTMLElement;
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly action = h(
    'select',
    { name: 'action' },
    h('option', { value: '' }, t('All actions')),
    ...(Object.keys(ACTION_NAMES) as AuditAction[]).sort().map((a) => h('option', { value: a }, t(ACTION_NAMES[a]))),
  );
  private readonly person = h('select', { name: 'person' });
  private readonly list = h('ol', { class: 'alerts console-list' });
  private readonly older = h('button', { type: 'button', hidden: true, onclick: () => void this.load(false) }, t('Load older'));
  private readonly groups: GroupChoice;
  /** Everyone the person filter offers: the group's members, and whoever acted in the entries seen (an admin who is not enrolled). */
  private readonly people = new Map<string, string>();
  private entries: AuditEntry[] = [];
  /** The latest load: an earlier one's answer (other filters) is dropped. */
  private loads = 0;

  constructor(private readonly ctx: AppContext) {
    this.groups = new GroupChoice(ctx, this.status, (g) => {
      this.people.clear();
      for (const m of g.members) this.people.set(m.id, m.name);
      this.person.value = '';
      void this.load(true);
    });
    for (const s of [this.action, this.person]) s.addEventListener('change', () => void this.load(true));
    this.el = h(
      'section',
      { class: 'panel console-panel', 'aria-labelledby': 'console-audit' },
      h('h3', { id: 'console-audit' }, t('Audit log')),
      h(
        'p',
        { class: 'muted-text' },
        t('Every moderation action and enrolment change in the group, newest first. Nothing here can be edited.'),
      ),
      this.groups.el,
      h(
        'fieldset',
        { class: 'console-filters' },
        h('legend', null, t('Show only')),
        field(t('Action'), this.action),
        field(t('Person (who acted, or whom it concerned)'), this.person),
      ),
      this.status,
      this.list,
      this.older,
    );
  }

  dispose(): void {}

  private async load(fresh: boolean): Promise<void> {
    const g = this.groups.current;
    if (!g) return;
    const query = {
      limit: PAGE,
      beforeSeq: fresh ? undefined : this.entries.at(-1)?.seq,
      action: (this.action.value || undefined) as AuditAction | undefined,
      person: this.person.value || undefined,
    };
    const load = ++this.loads;
    const res = await this.ctx.call('GET /api/groups/:groupId/audit', { params: { groupId: g.groupId }, query });
    if (load !== this.loads || !this.groups.still(g)) return;
    if (!res.ok) return void (this.status.textContent = t('Could not load the audit log: {error}', { error: describeError(res.error) }));
    this.entries = fresh ? res.data.entries : [...this.entries, ...res.data.entries];
    this.older.hidden = !res.data.hasMore;
    this.status.textContent = fresh ? '' : t('Loaded {count} older entries.', { count: res.data.entries.length });
    for (const e of this.entries) if (e.actor.id !== 'system' && !this.people.has(e.actor.id)) this.people.set(e.actor.id, e.actor.name);
    this.renderPeople();
    this.render(g);
  }

  /** The person filter, by name, keeping the choice. */
  private renderPeople(): void {
    const was = this.person.value;
    replace(
      this.person,
      h('option', { value: '' }, t('Everyone')),
      ...[...this.people].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => h('option', { value: id }, name)),
    );
    this.person.value = was;
  }

  private render(g: ChosenGroup): void {
    const filtered = this.action.value || this.person.value;
    if (!this.entries.length)
      return replace(this.list, h('li', { class: 'muted-text' }, filtered ? t('No entry matches.') : t('Nothing recorded yet.')));
    replace(
      this.list,
      ...this.entries.map((e) =>
        h(
          'li',
          { class: 'alert' },
          h(
            'p',
            null,
            ...place(sentence(e), {
              actor: h('strong', null, e.actor.id === 'system' ? t('The schedule') : e.actor.name),
              target: e.targetUserId ? g.nameOf(e.targetUserId) : t('someone'),
            }),
            e.reason ? t(' (reason: {reason})', { reason: e.reason }) : '',
          ),
          h(
            'p',
            { class: 'meta' },
            h('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)),
            t(' · entry {seq}', { seq: e.seq }),
          ),
        ),
      ),
    );
  }
}
