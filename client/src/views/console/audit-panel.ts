import type { AuditAction, AuditEntry } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { panelSection, type Panel } from './panel.js';
import { field, GroupChoice, type ChosenGroup } from './group-choice.js';

/**
 * What each action did, as a verb phrase after the actor's name; the target's name follows where
 * there is one. Every action has its words: a new one is a compile error until it has.
 */
const DID: Record<AuditAction, string> = {
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

/** What else an entry says, in words: minutes, role, reason. */
function details(e: AuditEntry): string {
  const parts: string[] = [];
  if (e.value !== undefined && (e.action === 'mute' || e.action === 'session_extend')) parts.push(`for ${e.value} minutes`);
  else if (e.value !== undefined && e.action === 'slowmode') parts.push(e.value ? `to ${e.value} seconds` : 'off');
  else if (e.value !== undefined && e.action === 'set_agreement') parts.push(`(version ${e.value})`);
  if (e.role) parts.push(`as ${e.role}`);
  if (e.status) parts.push(`as ${e.status}`);
  if (e.reason) parts.push(`(reason: ${e.reason})`);
  return parts.length ? ` ${parts.join(' ')}` : '';
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
    h('option', { value: '' }, 'All actions'),
    ...(Object.keys(DID) as AuditAction[]).sort().map((a) => h('option', { value: a }, DID[a])),
  );
  private readonly person = h('select', { name: 'person' });
  private readonly list = h('ol', { class: 'alerts console-list' });
  private readonly older = h('button', { type: 'button', hidden: true, onclick: () => void this.load(false) }, 'Load older');
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
    this.el = panelSection(
      'console-audit',
      'Audit log',
      'Every moderation action and enrolment change in the group, newest first. Nothing here can be edited.',
      this.groups.el,
      h(
        'fieldset',
        { class: 'console-filters' },
        h('legend', null, 'Show only'),
        field('Action', this.action),
        field('Person (who acted, or whom it concerned)', this.person),
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
    if (!res.ok) return void (this.status.textContent = `Could not load the audit log: ${describeError(res.error)}`);
    this.entries = fresh ? res.data.entries : [...this.entries, ...res.data.entries];
    this.older.hidden = !res.data.hasMore;
    this.status.textContent = fresh ? '' : `Loaded ${res.data.entries.length} older entries.`;
    for (const e of this.entries) if (e.actor.id !== 'system' && !this.people.has(e.actor.id)) this.people.set(e.actor.id, e.actor.name);
    this.renderPeople();
    this.render(g);
  }

  /** The person filter, by name, keeping the choice. */
  private renderPeople(): void {
    const was = this.person.value;
    replace(
      this.person,
      h('option', { value: '' }, 'Everyone'),
      ...[...this.people].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => h('option', { value: id }, name)),
    );
    this.person.value = was;
  }

  private render(g: ChosenGroup): void {
    const filtered = this.action.value || this.person.value;
    if (!this.entries.length)
      return replace(this.list, h('li', { class: 'muted-text' }, filtered ? 'No entry matches.' : 'Nothing recorded yet.'));
    replace(
      this.list,
      ...this.entries.map((e) =>
        h(
          'li',
          { class: 'alert' },
          h(
            'p',
            null,
            h('strong', null, e.actor.id === 'system' ? 'The schedule' : e.actor.name),
            ` ${DID[e.action]}`,
            e.targetUserId ? ` ${g.nameOf(e.targetUserId)}` : '',
            details(e),
          ),
          h('p', { class: 'meta' }, h('time', { datetime: new Date(e.at).toISOString() }, formatTime(e.at)), ` · entry ${e.seq}`),
        ),
      ),
    );
  }
}
