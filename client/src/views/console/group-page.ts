import type { Group, Member } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { h, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import type { Key } from '../../i18n/en.js';
import { t } from '../../i18n/i18n.js';
import { AgreementEditor } from '../agreement-editor.js';
import { CheckinRulesPanel } from '../checkin-rules.js';
import { ScheduleEditor } from '../schedule-editor.js';
import { GroupDetailsForm } from './group-details.js';
import { MembersPanel } from './members-panel.js';
import { ModerationPanel } from './moderation-panel.js';

type Tab = { id: string; label: Key; open: () => HTMLElement };

/**
 * One group in the console: its name on top, a row of parts (details, members, mutes and bans, the
 * schedule, the agreement, check-in alerts; attendance is its own page) and the chosen part below.
 * The room's own editors are mounted here as they are in the room's side panel.
 */
export class GroupPage {
  readonly el: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly nav: HTMLElement;
  private readonly body = h('div', { class: 'console-group-body' });
  private readonly status = h('p', { class: 'flash', role: 'status' });
  /** the group's members as last read: the names in the agreement's list of who accepted */
  private members = new Map<string, Member>();

  constructor(
    private readonly ctx: AppContext,
    private group: Group,
    back: () => void,
  ) {
    const groupId = group.id;
    const flash = (text: string) => (this.status.textContent = text);
    const tabs: Tab[] = [
      {
        id: 'details',
        label: 'Details',
        open: () => new GroupDetailsForm(ctx, groupId, this.group, (g) => this.renamed(g)).el,
      },
      { id: 'members', label: 'Members', open: () => new MembersPanel(ctx, groupId).el },
      { id: 'moderation', label: 'Moderation', open: () => new ModerationPanel(ctx, groupId).el },
      {
        id: 'schedule',
        label: 'Schedule',
        open: () => {
          const editor = new ScheduleEditor({
            ctx,
            groupId,
            flash,
            closeNow: () => void this.closeSession(),
          });
          void editor.load();
          return editor.el;
        },
      },
      {
        id: 'agreement',
        label: 'Agreement',
        open: () => {
          const editor = new AgreementEditor(ctx, groupId, () => this.members);
          void this.loadMembers().then(() => editor.load());
          return editor.el;
        },
      },
      { id: 'checkins', label: 'Check-in alerts', open: () => new CheckinRulesPanel(ctx, groupId).el },
    ];
    this.heading = h('h3', { tabindex: -1 }, group.name);
    this.nav = h(
      'nav',
      { class: 'console-group-nav', 'aria-label': t('Parts of {name}', { name: group.name }) },
      ...tabs.map((tab) => h('button', { type: 'button', 'data-tab': tab.id, onclick: () => this.show(tab) }, t(tab.label))),
      h('button', { type: 'button', onclick: () => ctx.go({ to: 'attendance', groupId }) }, t('Attendance')),
    );
    this.el = h(
      'section',
      { class: 'console-group' },
      h('button', { type: 'button', class: 'link', onclick: back }, t('All groups')),
      this.heading,
      this.nav,
      this.body,
      this.status,
    );
    this.show(tabs[0]!);
  }

  focus(): void {
    this.heading.focus();
  }

  private show(tab: Tab): void {
    this.status.textContent = '';
    this.nav.querySelectorAll<HTMLButtonElement>('button[data-tab]').forEach((b) => {
      if (b.dataset.tab === tab.id) b.setAttribute('aria-current', 'true');
      else b.removeAttribute('aria-current');
    });
    replace(this.body, tab.open());
  }

  private renamed(group: Group): void {
    this.group = group;
    this.heading.textContent = group.name;
    this.nav.setAttribute('aria-label', t('Parts of {name}', { name: group.name }));
  }

  private async loadMembers(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId', { params: { groupId: this.group.id } });
    if (res.ok) this.members = new Map(res.data.members.map((m) => [m.id, m]));
    else this.status.textContent = t('Could not load the members: {error}', { error: describeError(res.error) });
  }

  /** The schedule's "Close now", as the room's controls close a session. */
  private async closeSession(): Promise<void> {
    const res = await this.ctx.conn.request('mod:session', { groupId: this.group.id, open: false });
    this.status.textContent = res.ok ? t('Session closed.') : describeError(res.error);
  }
}
