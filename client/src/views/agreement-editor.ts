import type { Acceptance, Agreement, Member } from '../../../shared/index.js';
import { MAX_AGREEMENT_CHARS } from '../../../shared/text-rules.js';
import type { AppContext } from '../context.js';
import { formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';

/**
 * A facilitator's editor for the group's agreement (§8.2): the current version, its text to edit
 * (each save is a new version, which participants accept at their next join), and who accepted
 * which version.
 */
export class AgreementEditor {
  readonly el: HTMLElement;
  private readonly version: HTMLElement;
  private readonly text: HTMLTextAreaElement;
  private readonly saveButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly accepted: HTMLElement;
  private current: Agreement | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
    private readonly members: () => ReadonlyMap<string, Member>,
  ) {
    const id = nextId('agreement-editor');
    const textId = nextId('agreement-text');
    const hintId = nextId('agreement-hint');
    this.version = h('p', { class: 'muted-text' });
    this.text = h('textarea', { id: textId, rows: 6, maxlength: MAX_AGREEMENT_CHARS, 'aria-describedby': hintId });
    this.saveButton = h('button', { type: 'button', class: 'primary', onclick: () => void this.save() }, t('Save as new version'));
    this.status = h('p', { class: 'flash', role: 'status' });
    this.accepted = h('div');
    this.el = h(
      'section',
      { class: 'panel agreement-editor', 'aria-labelledby': id },
      h('h3', { id }, t('Group agreement')),
      this.version,
      h('label', { for: textId }, t('Agreement text')),
      this.text,
      h(
        'p',
        { id: hintId, class: 'muted-text' },
        t('Saving makes a new version. Participants read and accept it the next time they join; no one in the room now is interrupted.'),
      ),
      this.saveButton,
      this.status,
      h('h4', null, t('Who has agreed')),
      this.accepted,
      h('button', { type: 'button', onclick: () => void this.refresh() }, t('Refresh')),
    );
  }

  /** The current version into the editor, and who accepted it. */
  async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/agreement', { params: { groupId: this.groupId } });
    if (!res.ok) {
      this.status.textContent = t('Could not load the agreement: {error}', { error: describeError(res.error) });
      return;
    }
    this.current = res.data.agreement;
    this.text.value = this.current?.text ?? '';
    await this.refresh();
  }

  /** Who accepted which version, leaving the text being edited alone. */
  private async refresh(): Promise<void> {
    this.version.textContent = this.current
      ? t('Version {version}, set {time}.', { version: this.current.version, time: formatTime(this.current.at) })
      : t('No agreement yet: participants join without one.');
    const res = await this.ctx.call('GET /api/groups/:groupId/agreement/acceptances', { params: { groupId: this.groupId } });
    if (!res.ok) {
      replace(
        this.accepted,
        h('p', { class: 'problem' }, t('Could not load who has agreed: {error}', { error: describeError(res.error) })),
      );
      return;
    }
    this.renderAcceptances(res.data.acceptances);
  }

  private renderAcceptances(acceptances: Acceptance[]): void {
    const members = this.members();
    const nameOf = (userId: string) => members.get(userId)?.name ?? t('A former member');
    const current = this.current?.version ?? 0;
    const upToDate = new Set(acceptances.filter((a) => a.version >= current).map((a) => a.userId));
    const waiting = [...members.values()].filter((m) => m.role === 'participant' && !upToDate.has(m.id)).map((m) => m.name);
    replace(
      this.accepted,
      acceptances.length
        ? h(
            'ul',
            null,
            ...acceptances.map((a) =>
              h(
                'li',
                null,
                t('{name}: version {version}', { name: nameOf(a.userId), version: a.version }),
                ' ',
                h('span', { class: 'muted-text' }, `(${formatTime(a.at)})`),
              ),
            ),
          )
        : h('p', { class: 'muted-text' }, t('No one yet.')),
      current === 0
        ? null
        : h(
            'p',
            null,
            waiting.length
              ? t('Not yet accepted: {names}', { names: waiting.join(', ') })
              : t('Every participant has accepted the current version.'),
          ),
    );
  }

  private async save(): Promise<void> {
    this.saveButton.disabled = true;
    const res = await this.ctx.call('PUT /api/groups/:groupId/agreement', {
      params: { groupId: this.groupId },
      body: { text: this.text.value },
    });
    this.saveButton.disabled = false;
    if (!res.ok) {
      this.status.textContent = describeError(res.error);
      return;
    }
    this.current = res.data.agreement;
    this.text.value = this.current.text;
    this.status.textContent = t('Saved as version {version}.', { version: this.current.version });
    await this.refresh();
  }
}
