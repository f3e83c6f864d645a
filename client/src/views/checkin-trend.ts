import type { CheckinTrendDay } from '../../../shared/index.js';
import { h } from '../dom.js';
import { t } from '../i18n/i18n.js';

/** A person's check-ins over the last 14 days, one row per day (§8.2), as a small table for the staff or partners they share them with. */
export function checkinTrendTable(name: string, days: CheckinTrendDay[]): HTMLElement {
  if (!days.length) return h('p', { class: 'checkin-trend' }, t('{name} has not checked in in the last 14 days.', { name }));
  return h(
    'table',
    { class: 'checkin-trend' },
    h('caption', null, t("{name}'s check-ins, last 14 days", { name })),
    h(
      'thead',
      null,
      h('tr', null, ...(['Day', 'Mood (1–5)', 'Highest craving (0–10)', 'Used'] as const).map((k) => h('th', { scope: 'col' }, t(k)))),
    ),
    h(
      'tbody',
      null,
      ...days.map((d) =>
        h(
          'tr',
          { class: d.used ? 'used' : null },
          h('th', { scope: 'row' }, d.day),
          h('td', null, String(d.mood)),
          h('td', null, String(d.craving)),
          h('td', null, t(d.used ? 'yes' : 'no')),
        ),
      ),
    ),
  );
}
