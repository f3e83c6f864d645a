import type { CheckinSharing } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, h, nextId, randomId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import type { Key } from '../i18n/en.js';
import { checkinForm, type CheckinDraft } from './checkin-form.js';

const SHARING = [
  ['none', 'checkin.shareNone'],
  ['partners', 'checkin.sharePartners'],
  ['staff', 'checkin.shareStaff'],
] as const satisfies readonly (readonly [CheckinSharing, Key])[];

/** What the person is told before sending: who sees this check-in, and when staff are alerted. */
function noticeOf(sharing: CheckinSharing, daily: boolean): string {
  switch (sharing) {
    case 'staff':
      return daily ? `${t('checkin.noticeStaff')} ${t('checkin.noticeStaffDaily')}` : t('checkin.noticeStaff');
    case 'partners':
      return t('checkin.noticePartners');
    case 'none':
      return t('checkin.noticeNone');
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
    replace(status, res.ok ? t(on ? 'checkin.dailyOn' : 'checkin.dailyOff') : describeError(res.error));
  };
  const send = async (draft: CheckinDraft) => {
    const res = await ctx.conn.request('checkin:send', { ...draft, used: draft.used ?? false, clientMsgId: randomId() });
    replace(status, res.ok ? t('checkin.saved') : describeError(res.error));
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
    h('h3', { id: `${selectId}-h` }, t('checkin.mine')),
    h('label', { for: selectId }, t('checkin.whoSees')),
    select,
    h('p', null, h('label', { class: 'choice' }, daily, ' ', t('checkin.dailyChoice'))),
    notice,
    checkinForm((d) => void send(d), { title: t('checkin.now'), askUsed: true, describedBy: notice.id }),
    status,
  );
}
