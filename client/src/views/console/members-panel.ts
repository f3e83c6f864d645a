import type { GroupRole, Member } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { h, nextId, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';
import { confirmAction } from '../dialogs.js';
import { refocus } from './focus.js';
import { place } from './place.js';
import { ROLE_NAMES, ROLE_WORDS } from './role-words.js';

/**
 * A group's enrolled members with their role: enrol someone by user id and name, change a role,
 * unenrol (asked first). A facilitator's enrolment is an admin's to change (the server refuses
 * anyone else), so others are not offered it.
 */
export class MembersPanel {
  readonly el: HTMLElement;
  private readonly list = h('div', null, h('p', null, t('Loading members…')));
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly heading: HTMLHeadingElement;

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
  ) {
    const id = nextId('members');
    this.heading = h('h4', { id, tabindex: -1 }, t('Members'));
    this.el = h(
      'section',
      { class: 'panel console-members', 'aria-labelledby': id },
      this.heading,
      this.list,
      this.status,
      this.enrolForm(),
    );
    void this.load();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId', { params: { groupId: this.groupId } });
    if (!res.ok) {
      replace(this.list, h('p', { class: 'problem' }, t('Could not load the members: {error}', { error: describeError(res.error) })));
      return;
    }
    const members = [...res.data.members].sort((a, b) => a.name.localeCompare(b.name));
    replace(this.list, h('ul', { class: 'console-list' }, ...members.map((m) => this.row(m))));
    refocus(this.heading);
  }

  private row(m: Member): HTMLElement {
    const mayChange = this.ctx.me.role === 'admin' || m.role !== 'facilitator';
    const other: GroupRole = m.role === 'facilitator' ? 'participant' : 'facilitator';
    return h(
      'li',
      { class: 'console-row' },
      h(
        'span',
        { class: 'console-who' },
        h('strong', null, m.name),
        ' ',
        h('span', { class: 'muted-text' }, `${t(ROLE_NAMES[m.role])} · ${m.id}`),
      ),
      mayChange
        ? h(
            'span',
            { class: 'console-actions' },
            h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  void this.enrol(m.id, other, m.name, t('{name} is now a {role}.', { name: m.name, role: t(ROLE_WORDS[other]) })),
              },
              ...place(t('Make {name} {role}', { role: t(ROLE_WORDS[other]) }), { name: h('span', { class: 'sr-only' }, m.name) }),
            ),
            h(
              'button',
              { type: 'button', class: 'danger', onclick: () => void this.unenrol(m) },
              ...place(t('Unenrol {name}'), { name: h('span', { class: 'sr-only' }, m.name) }),
            ),
          )
        : h('span', { class: 'muted-text' }, t('Only an admin changes a facilitator.')),
    );
  }

  private async enrol(userId: string, role: GroupRole, name: string, done: string): Promise<boolean> {
    const res = await this.ctx.call('PUT /api/groups/:groupId/members/:userId', {
      params: { groupId: this.groupId, userId },
      body: { role, name },
    });
    this.status.textContent = res.ok ? done : describeError(res.error);
    if (res.ok) await this.load();
    return res.ok;
  }

  private async unenrol(m: Member): Promise<void> {
    const sure = await confirmAction(
      t('Unenrol {name}?', { name: m.name }),
      t('They leave the room now, in every tab, and can no longer join this group. Their messages stay. You can enrol them again later.'),
      t('Unenrol'),
    );
    if (!sure) return;
    const res = await this.ctx.call('DELETE /api/groups/:groupId/members/:userId', { params: { groupId: this.groupId, userId: m.id } });
    this.status.textContent = res.ok ? t('{name} is unenrolled.', { name: m.name }) : describeError(res.error);
    if (res.ok) await this.load();
  }

  private enrolForm(): HTMLElement {
    const id = nextId('enrol');
    const ids = { user: nextId('enrol-user'), name: nextId('enrol-name'), role: nextId('enrol-role'), hint: nextId('enrol-hint') };
    const userId = h('input', {
      id: ids.user,
      type: 'text',
      required: true,
      maxlength: 64,
      pattern: '[A-Za-z0-9_\\-]{1,64}',
      autocomplete: 'off',
      'aria-describedby': ids.hint,
    });
    const name = h('input', { id: ids.name, type: 'text', required: true, maxlength: 80, autocomplete: 'off' });
    const role = h(
      'select',
      { id: ids.role },
      ...(['participant', 'facilitator'] as const).map((r) => h('option', { value: r }, t(ROLE_NAMES[r]))),
    );
    const form: HTMLFormElement = h(
      'form',
      {
        'aria-labelledby': id,
        onsubmit: (e: Event) => {
          e.preventDefault();
          const chosen = role.value === 'facilitator' ? 'facilitator' : 'participant';
          void this.enrol(userId.value.trim(), chosen, name.value, t('{name} is enrolled.', { name: name.value })).then(
            (ok) => ok && form.reset(),
          );
        },
      },
      h('h5', { id }, t('Enrol someone')),
      h('label', { for: ids.user }, t('User id')),
      userId,
      h('p', { id: ids.hint, class: 'muted-text' }, t('The id your program’s sign-in gives them: letters, digits, - and _.')),
      h('label', { for: ids.name }, t('Name shown in the group')),
      name,
      h('label', { for: ids.role }, t('Role')),
      role,
      h('button', { type: 'submit', class: 'primary' }, t('Enrol')),
    );
    return form;
  }
}
