import type { CheckinSharing } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, h, nextId, randomId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import type { Key } from '../i18n/en.js';
import { checkinForm, type CheckinDraft } from './checkin-form.js';

const SHARING = [
  ['none', 'No one but me'],
  ['partners', 'My accountability partners'],
  ['staff', 'The staff of my groups'],
] as const satisfies readonly (readonly [CheckinSharing, Key])[];

/** What the person is told before sending: who sees this check-in, and when staff are alerted. */
function noticeOf(sharing: CheckinSharing, daily: boolean): string {
  switch (sharing) {
    case 'staff':
      return daily
        ? `${t('The facilitators of your groups see your check-ins. A "Yes" to using, a high craving or a sharp rise in craving alerts them, so someone can reach out.')} ${t('You check in daily: if you miss a day, they are told too.')}`
        : t(
            'The facilitators of your groups see your check-ins. A "Yes" to using, a high craving or a sharp rise in craving alerts them, so someone can reach out.',
          );
    case 'partners':
      return t(
        'Your accountability partners see your check-ins of the last 14 days, day by day. No staff member sees them, and no one is alerted.',
      );
    case 'none':
      return t('Only you see your check-ins.');
  }
}

/**
 * A check-in of one's own, outside any partnership (§6.1), with the choice of who sees it. The
 * notice above the send button says who will see it before it goes.
 */
export function myCheckinPanel(ctx: AppContext): HTMLElement {
  const selectId = nextId('sharing');
  let sharing: CheckinSharing = 'none';
  const notice = h('p', { class: 'checkin-notice', id: nextId('checkin-notice') });
  const status = h('p', { class: 'flash', role: 'status' });
  const select = h(
    'select',
    { id: selectId, onchange: () => void choose(select.value as CheckinSharing) },
    ...SHARING.map(([value, label]) => h('option', { value }, t(label))),
  );
  const daily = h('input', { type: 'checkbox', onchange: () => void chooseDaily(daily.checked) });
  const show = (now: CheckinSharing) => {
    sharing = now;
    select.value = now;
    replace(notice, noticeOf(now, daily.checked));
  };
  const choose = async (choice: CheckinSharing) => {
    const res = await ctx.conn.request('checkin:sharing', { with: choice });
    if (res.ok) {
      show(res.data.with);
      announce(noticeOf(res.data.with, daily.checked));
    } else replace(status, describeError(res.error));
  };
  const chooseDaily = async (on: boolean) => {
    const res = await ctx.conn.request('checkin:daily', { on });
    daily.checked = res.ok ? res.data.on : !on;
    if (res.ok) show(sharing);
    replace(status, res.ok ? t(on ? 'Daily check-ins are on.' : 'Daily check-ins are off.') : describeError(res.error));
  };
  const send = async (draft: CheckinDraft) => {
    const res = await ctx.conn.request('checkin:send', { ...draft, used: draft.used ?? false, clientMsgId: randomId() });
    replace(status, res.ok ? t('Check-in saved. Thank you for checking in.') : describeError(res.error));
  };
  show('none');
  void ctx.conn.request('checkin:sharing', {}).then((res) => res.ok && show(res.data.with));
  void ctx.conn.request('checkin:daily', {}).then((res) => {
    if (!res.ok) return;
    daily.checked = res.data.on;
    show(sharing);
  });
  return h(
    'section',
    { class: 'my-checkin', 'aria-labelledby': `${selectId}-h` },
    h('h3', { id: `${selectId}-h` }, t('Your check-in')),
    h('label', { for: selectId }, t('Who sees my check-ins: ')),
    select,
    h('p', null, h('label', { class: 'choice' }, daily, ' ', t('I check in daily (if I miss a day, the staff I share with are told)'))),
    notice,
    checkinForm((d) => void send(d), { title: t('Check in now'), askUsed: true, describedBy: notice.id }),
    status,
  );
}
