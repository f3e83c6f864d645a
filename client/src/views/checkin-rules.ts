import type { CheckinRules } from '../../../shared/index.js';
import { CHECKIN_CRAVING } from '../../../shared/vocabulary.js';
import type { AppContext } from '../context.js';
import { h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';

const SILENCE_CHOICES = [12, 24, 26, 36, 48, 72];
const OFF = 'off';

/** A select of whole numbers with "Off" first; `current` is always among them. */
function numberSelect(id: string, values: number[], current: number | null, label: (n: number) => string): HTMLSelectElement {
  const all = [...new Set(current === null ? values : [...values, current])].sort((a, b) => a - b);
  return h(
    'select',
    { id },
    h('option', { value: OFF, selected: current === null }, t('Off')),
    ...all.map((n) => h('option', { value: n, selected: n === current }, label(n))),
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const hours = (n: number) => t('{count} hours', { count: n });
const valueOf = (s: HTMLSelectElement) => (s.value === OFF ? null : Number(s.value));

/**
 * A facilitator's settings for the group's check-in alerts (§6.1): which check-ins of members who
 * share them with staff raise an alert here. Each choice shows the program's default beside it.
 */
export class CheckinRulesPanel {
  readonly el: HTMLElement;
  private readonly body = h('div');
  private readonly status = h('p', { class: 'flash', role: 'status' });

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
  ) {
    const id = nextId('checkin-rules');
    this.el = h(
      'section',
      { class: 'panel checkin-rules', 'aria-labelledby': id },
      h('h3', { id }, t('Check-in alerts')),
      this.body,
      this.status,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/checkin-rules', { params: { groupId: this.groupId } });
    if (res.ok) this.render(res.data.rules, res.data.defaults);
    else replace(this.status, describeError(res.error));
  }

  private async save(rules: Partial<CheckinRules>, done: string): Promise<void> {
    const res = await this.ctx.call('PUT /api/groups/:groupId/checkin-rules', { params: { groupId: this.groupId }, body: rules });
    if (res.ok) this.render(res.data.rules, res.data.defaults);
    replace(this.status, res.ok ? done : describeError(res.error));
  }

  private render(rules: CheckinRules, defaults: CheckinRules): void {
    const ids = { craving: nextId('rule-craving'), jump: nextId('rule-jump'), silence: nextId('rule-silence') };
    const orOff = (v: number | null, label: (n: number) => string) => (v === null ? t('off') : label(v));
    const craving = numberSelect(ids.craving, range(CHECKIN_CRAVING.min, CHECKIN_CRAVING.max), rules.craving, String);
    const jump = numberSelect(ids.jump, range(1, CHECKIN_CRAVING.max), rules.jump, (n) => t('{n} or more', { n }));
    const silence = numberSelect(ids.silence, SILENCE_CHOICES, rules.silenceHours, hours);
    const used = h('input', { type: 'checkbox', checked: rules.used });
    const hint = (text: string) => h('span', { class: 'muted-text' }, t(' (program default: {value})', { value: text }));
    const form = h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          void this.save(
            { craving: valueOf(craving), jump: valueOf(jump), used: used.checked, silenceHours: valueOf(silence) },
            t('Check-in alerts saved.'),
          );
        },
      },
      h('p', { class: 'muted-text' }, t('For members who share their check-ins with staff.')),
      h('p', null, h('label', { for: ids.craving }, t('Craving at or above')), ' ', craving, hint(orOff(defaults.craving, String))),
      h('p', null, h('label', { for: ids.jump }, t('Craving rise since the last check-in')), ' ', jump, hint(orOff(defaults.jump, String))),
      h('p', null, h('label', { class: 'choice' }, used, t(' Used since the last check-in')), hint(defaults.used ? t('on') : t('off'))),
      h(
        'p',
        null,
        h('label', { for: ids.silence }, t('No check-in (daily check-ins) for')),
        ' ',
        silence,
        hint(orOff(defaults.silenceHours, hours)),
      ),
      h(
        'p',
        { class: 'inline' },
        h('button', { type: 'submit', class: 'primary' }, t('Save check-in alerts')),
        h(
          'button',
          { type: 'button', onclick: () => void this.save({}, t('Check-in alerts are back to the program defaults.')) },
          t('Use program defaults'),
        ),
      ),
    );
    replace(this.body, form);
  }
}
