import type { Group } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { h, nextId, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';
import { GroupPage } from './group-page.js';
import type { Panel } from './panel.js';
import { place } from './place.js';

/**
 * The console's Groups section: the groups the person facilitates (an admin: every group), a form
 * to create one, and one group's page at a time (its details, members, mutes and bans, editors).
 */
export class GroupsPanel implements Panel {
  readonly el = h('div', { class: 'console-groups' });

  constructor(private readonly ctx: AppContext) {
    void this.showList();
  }

  /** Nothing of its own keeps running: the parts only answer clicks. */
  dispose(): void {}

  /** The list (again); `focus`: back from a group's page, so keyboard and screen reader users land on it. */
  private async showList(focus = false): Promise<void> {
    const listId = nextId('console-groups');
    const heading = h('h3', { id: listId, tabindex: -1 }, t('Groups'));
    const list = h('div', null, h('p', null, t('Loading groups…')));
    replace(this.el, h('section', { 'aria-labelledby': listId }, heading, list), this.createForm());
    if (focus) heading.focus();
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) {
      replace(
        list,
        h('p', { class: 'problem' }, t('Could not load the groups. {error}', { error: describeError(res.error) })),
        h('button', { type: 'button', onclick: () => void this.showList(true) }, t('Try again')),
      );
      return;
    }
    const { groups } = res.data;
    replace(
      list,
      groups.length
        ? h(
            'ul',
            { class: 'cards' },
            ...groups.map((g) =>
              h(
                'li',
                { class: 'card' },
                h('h4', null, g.name),
                g.description ? h('p', null, g.description) : null,
                h(
                  'button',
                  { type: 'button', class: 'primary', onclick: () => this.openGroup(g) },
                  ...place(t('Manage {name}'), { name: h('span', { class: 'sr-only' }, g.name) }),
                ),
              ),
            ),
          )
        : h('p', null, t('No groups yet. Create the first one below.')),
    );
  }

  private openGroup(group: Group): void {
    const page = new GroupPage(this.ctx, group, () => void this.showList(true));
    replace(this.el, page.el);
    page.focus();
  }

  private createForm(): HTMLElement {
    const id = nextId('create-group');
    const ids = { name: nextId('group-name'), description: nextId('group-description'), earlier: nextId('group-earlier') };
    const name = h('input', { id: ids.name, type: 'text', required: true, maxlength: 80, autocomplete: 'off' });
    const description = h('textarea', { id: ids.description, rows: 2, maxlength: 1000 });
    const earlier = h(
      'select',
      { id: ids.earlier },
      h('option', { value: 'private' }, t('Only what was said after they joined')),
      h('option', { value: 'shared' }, t('Everything, from the group’s start')),
    );
    const status = h('p', { class: 'flash', role: 'status' });
    const submit = h('button', { type: 'submit', class: 'primary' }, t('Create group'));
    const create = async () => {
      submit.disabled = true;
      const res = await this.ctx.call('POST /api/groups', {
        body: {
          name: name.value,
          description: description.value || undefined,
          earlierMessages: earlier.value === 'shared' ? 'shared' : 'private',
        },
      });
      submit.disabled = false;
      if (res.ok) this.openGroup(res.data.group);
      else status.textContent = describeError(res.error);
    };
    return h(
      'form',
      {
        class: 'panel',
        'aria-labelledby': id,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void create();
        },
      },
      h('h3', { id }, t('New group')),
      h('label', { for: ids.name }, t('Name')),
      name,
      h('label', { for: ids.description }, t('Description (optional)')),
      description,
      h('label', { for: ids.earlier }, t('New members can read')),
      earlier,
      submit,
      status,
    );
  }
}
