import type { Group } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { h, nextId } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';

/** A group's name and description, to change (PATCH /api/groups/:groupId); the server normalises and decides. */
export class GroupDetailsForm {
  readonly el: HTMLElement;
  private readonly name: HTMLInputElement;
  private readonly description: HTMLTextAreaElement;
  private readonly submit = h('button', { type: 'submit', class: 'primary' }, t('Save details'));
  private readonly status = h('p', { class: 'flash', role: 'status' });

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
    group: Group,
    private readonly saved: (group: Group) => void,
  ) {
    const id = nextId('group-details');
    const ids = { name: nextId('edit-name'), description: nextId('edit-description') };
    this.name = h('input', { id: ids.name, type: 'text', required: true, maxlength: 80, value: group.name, autocomplete: 'off' });
    this.description = h('textarea', { id: ids.description, rows: 3, maxlength: 1000 });
    this.description.value = group.description ?? '';
    this.el = h(
      'form',
      {
        class: 'panel',
        'aria-labelledby': id,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.save();
        },
      },
      h('h4', { id }, t('Details')),
      h('label', { for: ids.name }, t('Name')),
      this.name,
      h('label', { for: ids.description }, t('Description')),
      this.description,
      this.submit,
      this.status,
    );
  }

  private async save(): Promise<void> {
    this.submit.disabled = true;
    const res = await this.ctx.call('PATCH /api/groups/:groupId', {
      params: { groupId: this.groupId },
      body: { name: this.name.value, description: this.description.value },
    });
    this.submit.disabled = false;
    if (!res.ok) {
      this.status.textContent = describeError(res.error);
      return;
    }
    this.name.value = res.data.group.name;
    this.description.value = res.data.group.description ?? '';
    this.status.textContent = t('Saved.');
    this.saved(res.data.group);
  }
}
