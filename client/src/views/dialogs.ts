import type { CrisisResource, SafetyResources } from '../../../shared/index.js';
import { MAX_NOTE_CHARS, REPORT_REASONS, type ReportReason } from '../../../shared/vocabulary.js';
import { h, nextId, replace } from '../dom.js';

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
      h('button', { value: 'cancel', autofocus: true }, 'Cancel'),
      h('button', { value: 'confirm', class: 'danger' }, confirmLabel),
    ),
  ]);
  return answer === 'confirm';
}

const REASON_LABELS: Record<ReportReason, string> = {
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
    h('legend', null, 'What is wrong?'),
    ...REPORT_REASONS.map((r) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'reason', value: r }), ' ', REASON_LABELS[r]),
    ),
    problem,
  );
  const note = h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: MAX_NOTE_CHARS });
  const answer = await modal((dialog, titleId) => [
    h('h2', { id: titleId }, `Report a message from ${sender}`),
    h('p', null, 'Only the group’s facilitators see reports. The person is not told who reported them.'),
    fieldset,
    h('label', { for: noteId }, 'Anything the facilitator should know (optional)'),
    note,
    h(
      'div',
      { class: 'dialog-actions' },
      h('button', { value: 'cancel' }, 'Cancel'),
      h(
        'button',
        {
          value: 'report',
          class: 'primary',
          onclick: (e: Event) => {
            const picked = dialog.querySelector<HTMLInputElement>('input[name="reason"]:checked');
            if (!picked) {
              e.preventDefault();
              problem.textContent = 'Choose what is wrong before sending the report.';
              dialog.querySelector<HTMLInputElement>('input[name="reason"]')?.focus();
              return;
            }
            chosen = { reason: picked.value as ReportReason };
            if (note.value.trim()) chosen.note = note.value.trim();
          },
        },
        'Send report',
      ),
    ),
  ]);
  return answer === 'report' ? chosen : undefined;
}

type Lang = 'en' | 'es';

const WORDS = {
  en: {
    crisisTitle: 'You don’t have to go through this alone',
    crisisIntro:
      'It sounds like things may be really hard right now. Your message was sent to your group as usual. If you are thinking about hurting yourself, or might be in danger, please reach out now. These people are there for you, any time, day or night:',
    helpTitle: 'Help now',
    helpIntro:
      'If you are thinking about hurting yourself, or might be in danger, please reach out now. These people are there for you, any time, day or night:',
    missing: 'The list of helplines could not be loaded right now.',
    emergency: 'If your life is in immediate danger, call your local emergency number.',
    checkIn: 'A facilitator from your program may also check in with you.',
    close: 'Close',
    call: (n: string) => `Call ${n}`,
    text: (n: string, body?: string) => (body ? `Text ${body} to ${n}` : `Text ${n}`),
    visit: (host: string) => `Visit ${host}`,
  },
  es: {
    crisisTitle: 'No tienes que pasar por esto a solas',
    crisisIntro:
      'Parece que las cosas pueden estar muy difíciles ahora. Tu mensaje se envió como siempre. Si estás pensando en hacerte daño, o podrías estar en peligro, busca ayuda ahora. Estas personas están para ti, a cualquier hora, de día o de noche:',
    helpTitle: 'Ayuda ahora',
    helpIntro:
      'Si estás pensando en hacerte daño, o podrías estar en peligro, busca ayuda ahora. Estas personas están para ti, a cualquier hora, de día o de noche:',
    missing: 'No se pudo cargar la lista de líneas de ayuda en este momento.',
    emergency: 'Si tu vida corre peligro inmediato, llama al número de emergencias local.',
    checkIn: 'Es posible que alguien de tu programa también se comunique contigo.',
    close: 'Cerrar',
    call: (n: string) => `Llamar al ${n}`,
    text: (n: string, body?: string) => (body ? `Enviar ${body} al ${n}` : `Enviar un mensaje al ${n}`),
    visit: (host: string) => `Visitar ${host}`,
  },
} satisfies Record<Lang, unknown>;

// The server refuses anything else at start (§7); checked again so no other text reaches an href.
const NUMBER = /^\+?[0-9]{2,15}$/;

/** `+18006624357` as people write it, `1-800-662-4357`; short codes as they are. */
const spoken = (n: string) => n.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '1-$1-$2-$3');

/** A resource's tap-to-call, tap-to-text and web links, built from its checked fields only. */
function resourceLinks(r: CrisisResource, w: (typeof WORDS)[Lang]): HTMLElement[] {
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

/** Spanish when the browser asks for it first; English otherwise. */
const browserLang = (): Lang => (navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en');

/**
 * The crisis resources (§7) as links a phone can call or text at once, in English or Spanish
 * (the browser's language, and a switch). After a crisis phrase (`crisis`) it says kindly that the
 * message was not blocked and nobody is in trouble; from the "Help now" button (`help`) it just
 * offers help. Without resources (they could not be loaded) it still gives the emergency line.
 */
export function showCrisisResources(payload: SafetyResources | undefined, why: 'crisis' | 'help'): Promise<string> {
  return modal((dialog, titleId) => {
    const body = h('div');
    const switcher = (l: Lang, label: string) => h('button', { type: 'button', lang: l, 'data-lang': l, onclick: () => render(l) }, label);
    const langs = h(
      'div',
      { class: 'lang-switch', role: 'group', 'aria-label': 'Language / Idioma' },
      switcher('en', 'English'),
      switcher('es', 'Español'),
    );
    const render = (l: Lang) => {
      const w = WORDS[l];
      dialog.lang = l;
      langs.querySelectorAll<HTMLButtonElement>('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === l)));
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
    render(browserLang());
    return [langs, body, h('div', { class: 'dialog-actions' }, close)];
  }, 'crisis-dialog');
}
