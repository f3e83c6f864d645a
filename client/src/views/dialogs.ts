import type { CrisisResource } from '../../../shared/index.js';
import { MAX_NOTE_CHARS, REPORT_REASONS, type ReportReason } from '../../../shared/vocabulary.js';
import { h, nextId } from '../dom.js';

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
  let chosen: { reason: ReportReason; note?: string } | undefined;
  const fieldset = h(
    'fieldset',
    null,
    h('legend', null, 'What is wrong?'),
    ...REPORT_REASONS.map((r, i) =>
      h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'reason', value: r, checked: i === 0 }), ' ', REASON_LABELS[r]),
    ),
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
          onclick: () => {
            const picked = dialog.querySelector<HTMLInputElement>('input[name="reason"]:checked');
            chosen = { reason: (picked?.value ?? 'other') as ReportReason };
            if (note.value.trim()) chosen.note = note.value.trim();
          },
        },
        'Send report',
      ),
    ),
  ]);
  return answer === 'report' ? chosen : undefined;
}

/**
 * The crisis resources (§7), said kindly: the message was not blocked, help is a call or a text
 * away, and nobody is in trouble for writing it.
 */
export function showCrisisResources(resources: CrisisResource[]): Promise<string> {
  return modal(
    (_d, titleId) => [
      h('h2', { id: titleId }, 'You don’t have to go through this alone'),
      h(
        'p',
        null,
        'It sounds like things may be really hard right now. Your message was sent to your group as usual. If you are thinking about hurting yourself, or might be in danger, please reach out now. These people are there for you, any time, day or night:',
      ),
      h(
        'ul',
        { class: 'resources' },
        ...resources.map((r) =>
          h(
            'li',
            null,
            h('strong', { class: 'resource-name' }, r.name),
            h('span', { class: 'resource-contact' }, r.contact),
            h('span', { class: 'resource-desc' }, r.description),
          ),
        ),
      ),
      h(
        'p',
        null,
        'If your life is in immediate danger, call your local emergency number. A facilitator from your program may also check in with you.',
      ),
      h('div', { class: 'dialog-actions' }, h('button', { value: 'close', class: 'primary', autofocus: true }, 'Close')),
    ],
    'crisis-dialog',
  );
}
