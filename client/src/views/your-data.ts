import type { AppContext, View } from '../context.js';
import { announce, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { languageSwitch } from './language-switch.js';

/** What `DELETE /api/me` removes and keeps: README "What erasure keeps", in plain words. */
const GOES = [
  'The text of every message you sent, in groups and with partners (each shows "message removed" where it was), and the reactions on them.',
  'Your reactions to other people’s messages.',
  'Your check-ins (mood, craving, notes) and your check-in settings.',
  'Your place in your groups, raised hands, places on waiting lists, agreement acceptances and notification subscriptions.',
  'Partner messages still waiting for a session to end.',
  'The notes on your invites and on reports you filed; invites still open are withdrawn or declined.',
] as const;
const KEPT = [
  'Your partnerships are ended, but kept as records with both people’s ids and names, so your partner keeps their side.',
  'Reports and crisis alerts about your messages, mutes and bans, and the audit log of moderation: the program’s records, by id.',
  'Emergency-disclosure records about you: kept by law (42 CFR §2.51), and they name other people too.',
  'The access log of who read your data: ids only, kept for its own period.',
  'Attendance records (times in the room and corrections): erasure does not cover them yet.',
  'Your name where others knew you by it: on removed-message placeholders, partnership and invite records, and audit entries.',
] as const;

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
    return t('Your data');
  }

  /** Draws the page in the current language; an open confirmation and the last status go (their text would be stale). */
  private render(): void {
    replace(this.downloadButton, t('Download my data'));
    replace(this.askButton, t('Delete my data…'));
    this.askButton.hidden = false;
    replace(this.confirmBox);
    this.say('');
    replace(
      this.el,
      h('h2', { tabindex: -1 }, t('Your data')),
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('Download')),
        h(
          'p',
          null,
          t(
            'Your messages, groups, partnerships, invites and check-ins, as one JSON file. The program’s own records about you (emergency disclosures, who read your data, attendance) are not in it: your program can give you those on request.',
          ),
        ),
        this.downloadButton,
      ),
      this.status,
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('Delete')),
        h('p', null, t('Remove what you wrote from Bridge. You will be asked to confirm first.')),
        this.askButton,
        this.confirmBox,
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', null, t('Language')),
        h('p', null, t('Bridge follows your browser’s language. You can choose another one here; this device remembers it.')),
        languageSwitch(() => this.render()),
      ),
    );
  }

  dispose(): void {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }

  private async download(): Promise<void> {
    this.downloadButton.disabled = true;
    this.say(t('Preparing your data…'));
    const res = await this.ctx.call('GET /api/me/export');
    this.downloadButton.disabled = false;
    if (!res.ok) return this.say(t('Your data could not be downloaded. {error}', { error: describeError(res.error) }));
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = URL.createObjectURL(new Blob([JSON.stringify(res.data, null, 2)], { type: 'application/json' }));
    const a = h('a', { href: this.objectUrl, download: `bridge-my-data-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    this.say(t('Your data was downloaded as a JSON file.'));
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private openConfirm(): void {
    const headingId = nextId('erase');
    const problem = h('p', { class: 'problem', role: 'alert', hidden: true });
    const tick = h('input', { type: 'checkbox' });
    const erase = h('button', { type: 'submit', class: 'danger' }, t('Delete my data'));
    const heading = h('h3', { id: headingId, tabindex: -1 }, t('Delete my data?'));
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
          if (!tick.checked) return this.showProblem(problem, t('Tick the box to confirm, or choose Cancel.'));
          void this.erase(erase, problem);
        },
      },
      h('label', { class: 'choice' }, tick, ' ', t('I understand: this cannot be undone.')),
      problem,
      h('p', { class: 'actions' }, erase, ' ', h('button', { type: 'button', onclick: close }, t('Cancel'))),
    );
    replace(
      this.confirmBox,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': headingId },
        heading,
        h('h4', null, t('What is deleted')),
        h('ul', null, ...GOES.map((k) => h('li', null, t(k)))),
        h('h4', null, t('What is kept, and why')),
        h('ul', null, ...KEPT.map((k) => h('li', null, t(k)))),
        h(
          'p',
          null,
          t(
            'Download your data first if you want a copy. After deleting, you are signed out; signing in again finds you in no groups and with no partners.',
          ),
        ),
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
    if (!res.ok)
      return this.showProblem(
        problem,
        t('Your data was not fully deleted. {error} Choose Delete again to finish; nothing is lost by trying again.', {
          error: describeError(res.error),
        }),
      );
    announce(t('Your data was deleted.'));
    this.signOut(t('Your data was deleted. You have been signed out.'));
  }
}
