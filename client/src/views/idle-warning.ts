import { h, nextId } from '../dom.js';
import { t } from '../i18n/i18n.js';

/**
 * The warning before an idle sign-out: a modal alert dialog, so a screen reader reads it out at
 * once, with focus on "Stay signed in". Any activity closes it (the idle clock decides), as does
 * a click anywhere on it (the button, or the backdrop around it) or Escape.
 */
export class IdleWarning {
  private dialog: HTMLDialogElement | undefined;

  constructor(private readonly onStay: () => void) {}

  get open(): boolean {
    return this.dialog !== undefined;
  }

  show(inWords: string): void {
    if (this.dialog) return;
    const titleId = nextId('idle-title');
    const textId = nextId('idle-text');
    const stay = h('button', { type: 'button', class: 'primary', autofocus: true }, t('Stay signed in'));
    const dialog = h(
      'dialog',
      {
        class: 'dialog idle-warning',
        role: 'alertdialog',
        'aria-labelledby': titleId,
        'aria-describedby': textId,
        // The button's click, and a click on the backdrop (whose target is the dialog itself).
        onclick: () => this.onStay(),
      },
      h('h2', { id: titleId }, t('Still there?')),
      h(
        'p',
        { id: textId },
        t('You will be signed out in {time}, so nobody else using this device can read your conversations.', { time: inWords }),
      ),
      h('div', { class: 'dialog-actions' }, stay),
    );
    // Escape closes a modal dialog by itself; staying is what it means here.
    dialog.addEventListener('cancel', () => this.onStay());
    document.body.append(dialog);
    this.dialog = dialog;
    dialog.showModal();
    stay.focus();
  }

  hide(): void {
    const dialog = this.dialog;
    this.dialog = undefined;
    if (!dialog) return;
    dialog.close();
    dialog.remove();
  }
}
