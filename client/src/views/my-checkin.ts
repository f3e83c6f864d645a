import type { CheckinSharing } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { announce, h, nextId, randomId, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { checkinForm, type CheckinDraft } from './checkin-form.js';

const SHARING: [CheckinSharing, string][] = [
  ['none', 'No one but me'],
  ['partners', 'My accountability partners'],
  ['staff', 'The staff of my groups'],
];

/** What the person is told before sending: who sees this check-in, and that staff are alerted. */
function noticeOf(sharing: CheckinSharing): string {
  switch (sharing) {
    case 'staff':
      return 'The facilitators of your groups see your check-ins. A "Yes" to using, a high craving or a sharp rise in craving alerts them, so someone can reach out.';
    case 'partners':
      return 'No staff member sees your check-ins. To show one to a partner, send it in your conversation with them.';
    case 'none':
      return 'Only you see your check-ins.';
  }
}

/**
 * A check-in of one's own, outside any partnership (§6.1), with the choice of who sees it. The
 * notice above the send button says who will see it before it goes.
 */
export function myCheckinPanel(ctx: AppContext): HTMLElement {
  const selectId = nextId('sharing');
  const notice = h('p', { class: 'checkin-notice', id: nextId('checkin-notice') });
  const status = h('p', { class: 'flash', role: 'status' });
  const select = h(
    'select',
    { id: selectId, onchange: () => void choose(select.value as CheckinSharing) },
    ...SHARING.map(([value, label]) => h('option', { value }, label)),
  );
  const show = (sharing: CheckinSharing) => {
    select.value = sharing;
    replace(notice, noticeOf(sharing));
  };
  const choose = async (sharing: CheckinSharing) => {
    const res = await ctx.conn.request('checkin:sharing', { with: sharing });
    if (res.ok) {
      show(res.data.with);
      announce(noticeOf(res.data.with));
    } else replace(status, describeError(res.error));
  };
  const send = async (draft: CheckinDraft) => {
    const res = await ctx.conn.request('checkin:send', { ...draft, used: draft.used ?? false, clientMsgId: randomId() });
    replace(status, res.ok ? 'Check-in saved. Thank you for checking in.' : describeError(res.error));
  };
  show('none');
  void ctx.conn.request('checkin:sharing', {}).then((res) => res.ok && show(res.data.with));
  return h(
    'section',
    { class: 'my-checkin', 'aria-labelledby': `${selectId}-h` },
    h('h3', { id: `${selectId}-h` }, 'Your check-in'),
    h('label', { for: selectId }, 'Who sees my check-ins: '),
    select,
    notice,
    checkinForm((d) => void send(d), { title: 'Check in now', askUsed: true, describedBy: notice.id }),
    status,
  );
}
