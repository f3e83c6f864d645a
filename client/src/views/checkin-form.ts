import { CHECKIN_CRAVING, CHECKIN_MOOD, MAX_NOTE_CHARS } from '../../../shared/vocabulary.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n/i18n.js';

export type CheckinDraft = { mood: number; craving: number; used?: boolean; note?: string };

/** A check-in of one's own (§6.1) also asks about use, and says before sending who will see it. */
export type CheckinFormOptions = {
  title?: string;
  askUsed?: boolean;
  /** the id of what the send button should be read with */ describedBy?: string;
};

export const MOOD_WORDS = ['very low', 'low', 'okay', 'good', 'very good'] as const;

/** The daily check-in: mood 1–5, craving 0–10, optionally use since the last one, and a short note (§6). */
export function checkinForm(send: (c: CheckinDraft) => void, opts: CheckinFormOptions = {}): HTMLElement {
  const name = nextId('mood');
  const cravingId = nextId('craving');
  const noteId = nextId('checkin-note');
  const craving = h('input', { id: cravingId, type: 'range', min: CHECKIN_CRAVING.min, max: CHECKIN_CRAVING.max, step: 1, value: 0 });
  const shown = h('output', { for: cravingId }, '0');
  craving.addEventListener('input', () => (shown.textContent = craving.value));
  const note = h('textarea', { id: noteId, rows: 2, maxlength: MAX_NOTE_CHARS });
  const moods = h(
    'fieldset',
    { class: 'moods' },
    h('legend', null, t('How is your mood today?')),
    ...MOOD_WORDS.map((word, i) => {
      const value = CHECKIN_MOOD.min + i;
      return h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked: value === 3 }), ` ${value} · ${t(word)}`);
    }),
  );
  const usedName = nextId('used');
  const used = opts.askUsed
    ? h(
        'fieldset',
        { class: 'moods' },
        h('legend', null, t('Used since your last check-in?')),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: usedName, value: 'no', checked: true }), ' ', t('No')),
        h('label', { class: 'choice' }, h('input', { type: 'radio', name: usedName, value: 'yes' }), ' ', t('Yes')),
      )
    : null;
  const details = h('details', { class: 'panel checkin-form' }, h('summary', null, opts.title ?? t('Daily check-in')));
  const form = h(
    'form',
    {
      onsubmit: (e) => {
        e.preventDefault();
        const mood = Number(form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? 3);
        const draft: CheckinDraft = { mood, craving: Number(craving.value) };
        if (used) draft.used = form.querySelector<HTMLInputElement>(`input[name="${usedName}"]:checked`)?.value === 'yes';
        if (note.value.trim()) draft.note = note.value.trim();
        send(draft);
        note.value = '';
        details.open = false;
      },
    },
    moods,
    h(
      'label',
      { for: cravingId },
      t('Craving right now ({min} none, {max} very strong): ', { min: CHECKIN_CRAVING.min, max: CHECKIN_CRAVING.max }),
      shown,
    ),
    craving,
    h('label', { for: noteId }, t('A few words (optional)')),
    used,
    note,
    h('button', { type: 'submit', class: 'primary', 'aria-describedby': opts.describedBy }, t('Send check-in')),
  );
  details.append(form);
  return details;
}
