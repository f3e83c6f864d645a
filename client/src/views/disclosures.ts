import type { Disclosure, StaffAlert } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, formatTime, h, nextId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';

/**
 * An alert's emergency-disclosure records (42 CFR §2.51, §8.8) under the alert in the staff
 * inbox: the records, loaded when opened (each read is access-logged, so never before), and a
 * small form to record one. Records are never edited: a correction is a new record naming the one
 * it corrects. One panel per alert, kept across the inbox's re-renders so typing survives them.
 */
export class DisclosurePanel {
  readonly el: HTMLDetailsElement;
  private readonly list = h('ul', { class: 'disclosure-list' });
  private readonly status = h('p', { class: 'muted-text', role: 'status' });
  private readonly corrects = h('select', { name: 'correctsId' });
  private records: Disclosure[] = [];
  private loaded = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly alert: Pick<StaffAlert, 'id' | 'groupId'>,
  ) {
    const field = (label: string, control: HTMLElement) => {
      const id = nextId('disclosure');
      control.id = id;
      return h('p', null, h('label', { for: id }, label), ' ', control);
    };
    const recipient = h('input', { name: 'recipientName', required: true, maxlength: 200, autocomplete: 'off' });
    const affiliation = h('input', { name: 'recipientAffiliation', required: true, maxlength: 200, autocomplete: 'off' });
    const by = h('input', { name: 'disclosedBy', required: true, maxlength: 200, value: ctx.me.name, autocomplete: 'off' });
    const at = h('input', { name: 'at', type: 'datetime-local', required: true, value: localNow() });
    const nature = h('textarea', { name: 'nature', required: true, maxlength: 2000, rows: 3 });
    const form = h(
      'form',
      {
        class: 'disclosure-form',
        onsubmit: (e) => {
          e.preventDefault();
          void this.submit({
            recipientName: recipient.value,
            recipientAffiliation: affiliation.value,
            disclosedBy: by.value,
            at: new Date(at.value).toISOString(),
            nature: nature.value,
            ...(this.corrects.value ? { correctsId: this.corrects.value } : {}),
          }).then((ok) => {
            if (ok) for (const c of [recipient, affiliation, nature]) c.value = '';
          });
        },
      },
      h('h4', null, t('Record a disclosure')),
      field(t('Recipient (medical personnel)'), recipient),
      field(t('Their affiliation'), affiliation),
      field(t('Disclosed by'), by),
      field(t('Date and time'), at),
      field(t('Nature of the emergency'), nature),
      field(t('Corrects'), this.corrects),
      h('button', { type: 'submit' }, t('Record disclosure')),
    );
    this.el = h(
      'details',
      { class: 'disclosures', ontoggle: () => void (this.el.open && !this.loaded && this.load()) },
      h('summary', null, t('Emergency disclosures')),
      this.list,
      this.status,
      form,
    );
    this.render();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/alerts/:alertId/disclosures', { params: { alertId: this.alert.id }, query: this.where() });
    if (!res.ok) {
      this.status.textContent = t('Could not load the disclosures: {error}', { error: describeError(res.error) });
      return;
    }
    this.loaded = true;
    this.records = res.data.disclosures;
    this.render();
  }

  private async submit(body: {
    recipientName: string;
    recipientAffiliation: string;
    disclosedBy: string;
    at: string;
    nature: string;
    correctsId?: string;
  }): Promise<boolean> {
    const res = await this.ctx.call('POST /api/alerts/:alertId/disclosures', {
      params: { alertId: this.alert.id },
      body: { ...this.where(), ...body },
    });
    if (!res.ok) {
      this.status.textContent = t('Could not record the disclosure: {error}', { error: describeError(res.error) });
      return false;
    }
    this.records.push(res.data.disclosure);
    this.status.textContent = '';
    announce(t('Disclosure recorded.'));
    this.render();
    return true;
  }

  private where(): { groupId?: string } {
    return this.alert.groupId ? { groupId: this.alert.groupId } : {};
  }

  private render(): void {
    replace(this.list, ...this.records.map((d) => disclosureItem(d)));
    if (this.loaded && this.records.length === 0) this.list.append(h('li', null, t('No disclosures recorded.')));
    const chosen = this.corrects.value;
    replace(
      this.corrects,
      h('option', { value: '' }, t('Nothing (a new record)')),
      ...this.records.map((d) => h('option', { value: d.id }, t('To {name}, {time}', { name: d.recipientName, time: formatTime(d.at) }))),
    );
    this.corrects.value = chosen;
  }
}

/** Now, as a datetime-local input takes it (local time, to the minute). */
function localNow(): string {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** One record in words: to whom, by whom, when, whether it corrects one, and the emergency; `more` after. */
export function disclosureItem(d: Disclosure, ...more: Node[]): HTMLElement {
  return h(
    'li',
    null,
    h('strong', null, t('To {name} ({affiliation})', { name: d.recipientName, affiliation: d.recipientAffiliation })),
    t(' by {name}, ', { name: d.disclosedBy }),
    h('time', { datetime: new Date(d.at).toISOString() }, formatTime(d.at)),
    d.correctsId ? t(' · corrects an earlier record') : '',
    h('br'),
    d.nature,
    ...more,
  );
}
