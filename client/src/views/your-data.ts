import type { AppContext, View } from '../context.js';
import { announce, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from './language-switch.js';

/** What `DELETE /api/me` removes and keeps: README "What erasure keeps", in plain words. */
const GOES = ['yourData.goes1', 'yourData.goes2', 'yourData.goes3', 'yourData.goes4', 'yourData.goes5', 'yourData.goes6'] as const;
const KEPT = ['yourData.kept1', 'yourData.kept2', 'yourData.kept3', 'yourData.kept4', 'yourData.kept5', 'yourData.kept6'] as const;

/**
 * The privacy centre (§8.5): download what the server keeps about me as JSON, or erase it after
 * saying plainly what goes and what stays. Erasure does not end the token, so the page signs out.
 * The language switch lives here too, and redraws the page in the language chosen.
 */
export class YourDataView implements View {
  readonly el = h('section', { class: 'page privacy' });
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly downloadButton = h('button', { type: 'button', class: 'primary', onclick: () => void this.download() });
  private readonly askButton = h('button', { type: 'button', class: 'danger', onclick: () => this.openConfirm() });
  private readonly confirmBox = h('div');
  private objectUrl: string | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly signOut: (reason: string) => void,
  ) {
    this.render();
  }

  get title(): string {
    return t('yourData.title');
  }

  /** Draws the page in the current language; an open confirmation and the last status go (their text would be stale). */
  private render(): void {
    replace(this.downloadButton, t('yourData.download'));
    replace(this.askButton, t('yourData.ask'));
    this.askButton.hidden = false;
    replace(this.confirmBox);
    this.say('');
    replace(
      this.el,
      h('h2', { tabindex: -1 }, t('yourData.title')),
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('yourData.downloadHeading')),
        h('p', null, t('yourData.downloadText')),
        this.downloadButton,
      ),
      this.status,
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('yourData.deleteHeading')),
        h('p', null, t('yourData.deleteText')),
        this.askButton,
        this.confirmBox,
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('yourData.languageHeading')),
        h('p', null, t('yourData.languageText')),
        languageSwitch(() => this.render()),
      ),
    );
  }

  dispose(): void {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }

  private async download(): Promise<void> {
    this.downloadButton.disabled = true;
    this.say(t('yourData.preparing'));
    const res = await this.ctx.call('GET /api/me/export');
    this.downloadButton.disabled = false;
    if (!res.ok) return this.say(t('yourData.downloadFailed', { error: describeError(res.error) }));
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = URL.createObjectURL(new Blob([JSON.stringify(res.data, null, 2)], { type: 'application/json' }));
    const a = h('a', { href: this.objectUrl, download: `bridge-my-data-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    this.say(t('yourData.downloaded'));
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private openConfirm(): void {
    const headingId = nextId('erase');
    const problem = h('p', { class: 'problem', role: 'alert', hidden: true });
    const tick = h('input', { type: 'checkbox' });
    const erase = h('button', { type: 'submit', class: 'danger' }, t('yourData.erase'));
    const heading = h('h3', { id: headingId, tabindex: -1 }, t('yourData.confirmHeading'));
    const close = () => {
      replace(this.confirmBox);
      this.askButton.hidden = false;
      this.askButton.focus();
    };
    const form = h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          if (!tick.checked) return this.showProblem(problem, t('yourData.tickFirst'));
          void this.erase(erase, problem);
        },
      },
      h('label', { class: 'choice' }, tick, ' ', t('yourData.understand')),
      problem,
      h('p', { class: 'actions' }, erase, ' ', h('button', { type: 'button', onclick: close }, t('common.cancel'))),
    );
    replace(
      this.confirmBox,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': headingId },
        heading,
        h('h4', null, t('yourData.goesHeading')),
        h('ul', null, ...GOES.map((k) => h('li', null, t(k)))),
        h('h4', null, t('yourData.keptHeading')),
        h('ul', null, ...KEPT.map((k) => h('li', null, t(k)))),
        h('p', null, t('yourData.copyFirst')),
        form,
      ),
    );
    this.askButton.hidden = true;
    heading.focus();
  }

  private showProblem(el: HTMLElement, text: string): void {
    el.textContent = text;
    el.hidden = false;
  }

  private async erase(button: HTMLButtonElement, problem: HTMLElement): Promise<void> {
    button.disabled = true;
    const res = await this.ctx.call('DELETE /api/me');
    button.disabled = false;
    if (!res.ok) return this.showProblem(problem, t('yourData.eraseFailed', { error: describeError(res.error) }));
    announce(t('yourData.erased'));
    this.signOut(t('yourData.erasedSignedOut'));
  }
}
