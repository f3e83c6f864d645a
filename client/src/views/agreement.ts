import type { AgreementTerms } from '../../../shared/index.js';
import type { ClientError } from '../api.js';
import { h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';

export type AgreementHandlers = {
  /** Emits group:agree for this version; resolves null once accepted (the room hides this and joins), else the refusal. */
  accept: (version: number) => Promise<ClientError | null>;
  /** Back to the groups, without accepting. */
  leave: () => void;
};

/**
 * The group's agreement, shown in the room in place of the conversation when a join answers
 * AGREEMENT_REQUIRED (§5.1): its heading takes the focus so a screen reader starts there, then
 * the text, "I agree" and "Back to groups"; Escape goes back too. The room re-joins once accepted.
 */
export class AgreementPanel {
  readonly el: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly body: HTMLElement;
  private terms: AgreementTerms | undefined;

  constructor(private readonly handlers: AgreementHandlers) {
    const id = nextId('agreement');
    this.heading = h('h3', { id, tabindex: -1 }, t('Group agreement'));
    this.body = h('div');
    this.el = h(
      'section',
      {
        class: 'panel agreement',
        'aria-labelledby': id,
        hidden: true,
        onkeydown: (e) => {
          if ((e as KeyboardEvent).key === 'Escape') handlers.leave();
        },
      },
      this.heading,
      this.body,
    );
  }

  get shown(): boolean {
    return !this.el.hidden;
  }

  /** Shows this version (again, if it changed meanwhile) and moves the focus to the heading. */
  show(terms: AgreementTerms, problem?: string): void {
    this.terms = terms;
    replace(
      this.body,
      h('p', null, t("Before you join, please read this group's agreement (version {version}).", { version: terms.version })),
      h('div', { class: 'agreement-text' }, terms.text),
      problem ? h('p', { class: 'problem', role: 'alert' }, problem) : null,
      h(
        'div',
        { class: 'dialog-actions' },
        h(
          'button',
          { type: 'button', class: 'primary', onclick: (e) => void this.accept(e.currentTarget as HTMLButtonElement) },
          t('I agree'),
        ),
        h('button', { type: 'button', onclick: () => this.handlers.leave() }, t('Back to groups')),
      ),
    );
    this.el.hidden = false;
    this.heading.focus();
  }

  hide(): void {
    this.el.hidden = true;
  }

  private async accept(button: HTMLButtonElement): Promise<void> {
    if (!this.terms) return;
    button.disabled = true;
    const refused = await this.handlers.accept(this.terms.version);
    if (!refused) return;
    if (refused.code === 'AGREEMENT_CHANGED' && refused.agreement)
      return this.show(refused.agreement, t('The agreement has just changed. Please read the new version.'));
    this.show(this.terms, describeError(refused));
  }
}
