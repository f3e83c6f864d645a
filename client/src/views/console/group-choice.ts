import type { Member } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { h, nextId } from '../../dom.js';
import { describeError } from '../../errors.js';
import { t } from '../../i18n/i18n.js';

/** A labelled control: the label above it, wired by id. */
export function field(label: string, control: HTMLElement): HTMLElement {
  control.id ||= nextId('console-field');
  return h('p', { class: 'console-field' }, h('label', { for: control.id }, label), control);
}

/** The group a console section works on, and the names its members go by there. */
export type ChosenGroup = { groupId: string; members: Member[]; nameOf: (userId: string) => string };

/**
 * A "Group" picker over the caller's groups (admins: all). Once a group is chosen its members are
 * loaded, so a section can say names rather than ids, and `onChoose` runs; the server still
 * decides every request (a participant's group answers FORBIDDEN, said in `status`).
 */
export class GroupChoice {
  readonly el: HTMLElement;
  private readonly select = h('select', { name: 'groupId' });
  private chosen: ChosenGroup | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly status: HTMLElement,
    private readonly onChoose: (g: ChosenGroup) => void,
  ) {
    this.select.addEventListener('change', () => void this.choose(this.select.value));
    this.el = field(t('Group'), this.select);
    void this.load();
  }

  get current(): ChosenGroup | undefined {
    return this.chosen;
  }

  /** Whether `g` is still the chosen group: an answer about one chosen before is dropped. */
  still(g: ChosenGroup): boolean {
    return this.chosen === g;
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups');
    if (!res.ok) {
      this.status.textContent = t('Could not load your groups: {error}', { error: describeError(res.error) });
      return;
    }
    const groups = res.data.groups;
    this.select.replaceChildren(...groups.map((g) => h('option', { value: g.id }, g.name)));
    if (!groups.length) this.status.textContent = t('You are in no group yet.');
    else await this.choose(groups[0]!.id);
  }

  private async choose(groupId: string): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId', { params: { groupId } });
    if (this.select.value !== groupId) return; // another group was chosen meanwhile
    if (!res.ok) {
      this.status.textContent = t('Could not open this group: {error}', { error: describeError(res.error) });
      return;
    }
    const names = new Map(res.data.members.map((m) => [m.id, m.name]));
    this.chosen = { groupId, members: res.data.members, nameOf: (id) => names.get(id) ?? id };
    this.onChoose(this.chosen);
  }
}
