import type { CrisisResource, SafetyResources } from '../../../shared/index.js';
import { MAX_NOTE_CHARS, REPORT_REASONS, type ReportReason } from '../../../shared/vocabulary.js';
import { h, nextId, replace } from '../dom.js';
import { CRISIS_LANG_LABEL, CRISIS_WORDS, type CrisisWords } from '../i18n/crisis.js';
import type { Key } from '../i18n/en.js';
import { lang, t, type Lang } from '../i18n/i18n.js';
import { langButtons } from './language-switch.js';

/**
 * A modal <dialog> (focus is trapped and returned by the browser; Escape cancels). Resolves the
 * value of the button that closed it, or '' when cancelled.
 */
function modal(build: (dialog: HTMLDialogElement, titleId: string) => Node[], className = ''): Promise<string> {
  const titleId = nextId('dialog-title');
  const dialog = h('dialog', { class: `dialog ${className}`.trim(), 'aria-labelledby': titleId });
  const form = h('form', { method: 'dialog' }, ...build(dialog, titleId));
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue);
      dialog.remove();
    });
    dialog.showModal();
  });
}

/** Asks before a destructive action; resolves true only on the explicit confirm button. */
export async function confirmAction(title: string, detail: string, confirmLabel: string): Promise<boolean> {
  const answer = await modal((_d, titleId) => [
    h('h2', { id: titleId }, title),
    h('p', null, detail),
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { value: 'cancel', autofocus: true }, t('Cancel')),
      h('button', { value: 'confirm', class: 'danger' }, confirmLabel),
    ),
  ]);
  return answer === 'confirm';
}

const REASON_LABELS: Record<ReportReason, Key> = {
  harassment: 'Harassment or hurtful words',
  crisis: 'Someone may be in danger',
  spam: 'Spam or advertising',
  privacy: 'Shares private information',
  other: 'Something else',
};

/** Asks why a message is reported; resolves undefined when cancelled. */
export async function askReport(sender: string): Promise<{ reason: ReportReason; note?: string } | undefined> {
  const noteId = nextId('note');
  const problemId = nextId('problem');
  let chosen: { reason: ReportReason; note?: string } | undefined;
  // Nothing is pre-selected: one careless click must not file a report with a reason nobody chose.
  const problem = h('p', { id: problemId, class: 'problem', role: 'alert' });
  const fieldset = h(
    'fieldset',
    { 'aria-describedby': problemId },
    h('legend', null, t('What is wrong?')),
    ...REPORT_REASONS.map((r) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'reason', value: r }), ' ', t(REASON_LABELS[r])),
    ),
    problem,
  );
  const note = h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: MAX_NOTE_CHARS });
  const answer = await modal((dialog, titleId) => [
    h('h2', { id: titleId }, t('Report a message from {name}', { name: sender })),
    h('p', null, t('Only the group’s facilitators see reports. The person is not told who reported them.')),
    fieldset,
    h('label', { for: noteId }, t('Anything the facilitator should know (optional)')),
    note,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { value: 'cancel' }, t('Cancel')),
      h(
        'button',
        {
          value: 'report',
          class: 'primary',
          onclick: (e: Event) => {
            const picked = dialog.querySelector<HTMLInputElement>('input[name="reason"]:checked');
            if (!picked) {
              e.preventDefault();
              problem.textContent = t('Choose what is wrong before sending the report.');
              dialog.querySelector<HTMLInputElement>('input[name="reason"]')?.focus();
              return;
            }
            chosen = { reason: picked.value as ReportReason };
            if (note.value.trim()) chosen.note = note.value.trim();
          },
        },
        t('Send report'),
      ),
    ),
  ]);
  return answer === 'report' ? chosen : undefined;
}

// The server refuses anything else at start (§7); checked again so no other text reaches an href.
const NUMBER = /^\+?[0-9]{2,15}$/;

/** `+18006624357` as people write it, `1-800-662-4357`; short codes as they are. */
const spoken = (n: string) => n.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '1-$1-$2-$3');

/** A resource's tap-to-call, tap-to-text and web links, built from its checked fields only. */
function resourceLinks(r: CrisisResource, w: CrisisWords): HTMLElement[] {
  const links: HTMLElement[] = [];
  if (r.call && NUMBER.test(r.call)) links.push(h('a', { class: 'resource-link', href: `tel:${r.call}` }, w.call(spoken(r.call))));
  if (r.text && NUMBER.test(r.text)) {
    const body = r.textBody ? `?body=${encodeURIComponent(r.textBody)}` : '';
    links.push(h('a', { class: 'resource-link', href: `sms:${r.text}${body}` }, w.text(spoken(r.text), r.textBody)));
  }
  if (r.url?.startsWith('https://')) {
    links.push(h('a', { class: 'resource-link', href: r.url, target: '_blank', rel: 'noopener noreferrer' }, w.visit(new URL(r.url).host)));
  }
  return links;
}

/**
 * The crisis resources (§7) as links a phone can call or text at once, in English or Spanish
 * (the page's language, and a switch of its own). After a crisis phrase (`crisis`) it says kindly that the
 * message was not blocked and nobody is in trouble; from the "Help now" button (`help`) it just
 * offers help. Without resources (they could not be loaded) it still gives the emergency line.
 */
export function showCrisisResources(payload: SafetyResources | undefined, why: 'crisis' | 'help'): Promise<string> {
  return modal((dialog, titleId) => {
    const body = h('div');
    const langs = langButtons(CRISIS_LANG_LABEL, (l) => render(l));
    const render = (l: Lang) => {
      const w = CRISIS_WORDS[l];
      dialog.lang = l;
      langs.show(l);
      const set = payload?.sets[l] ?? [];
      replace(
        body,
        // Focus starts on the title, so the dialog opens at its top and a screen reader reads it first.
        h('h2', { id: titleId, tabindex: -1, autofocus: true }, why === 'crisis' ? w.crisisTitle : w.helpTitle),
        h('p', null, payload ? (why === 'crisis' ? w.crisisIntro : w.helpIntro) : w.missing),
        set.length > 0 &&
          h(
            'ul',
            { class: 'resources' },
            ...set.map((r) =>
              h(
                'li',
                null,
                h('strong', { class: 'resource-name' }, r.name),
                h('span', { class: 'resource-contact' }, r.contact),
                h('span', { class: 'resource-desc' }, r.description),
                h('span', { class: 'resource-links' }, ...resourceLinks(r, w)),
              ),
            ),
          ),
        h('p', null, w.emergency, why === 'crisis' ? ` ${w.checkIn}` : ''),
      );
      close.textContent = w.close;
    };
    const close = h('button', { value: 'close', class: 'primary' });
    render(lang());
    return [langs.el, body, h('div', { class: 'dialog-actions' }, close)];
  }, 'crisis-dialog');
}
