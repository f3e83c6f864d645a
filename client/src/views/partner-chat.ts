import type { HeldMessage, Message, PartnershipView } from '../../../shared/index.js';
import type { ClientError } from '../api.js';
import type { AppContext, View } from '../context.js';
import { announce, h } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { Outbox } from '../outbox.js';
import { Timeline, type PendingMsg } from '../timeline.js';
import { checkinForm } from './checkin-form.js';
import { checkinTrendTable } from './checkin-trend.js';
import { Composer } from './composer.js';
import { askReport, confirmAction } from './dialogs.js';
import { messageActions } from './message-actions.js';
import { MessageList } from './messages.js';
import { TypingLine } from './typing.js';

const CATCH_UP_ROUNDS = 10;

/** One partnership's conversation: messages and check-ins, "seen", typing, presence. */
export class PartnerChat implements View {
  title = t('Partner');
  readonly el: HTMLElement;
  private readonly timeline = new Timeline();
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly outbox: Outbox;
  private readonly typing = new TypingLine();
  private readonly offs: (() => void)[] = [];
  private p: PartnershipView | undefined;
  private myRead = 0;
  private partnerRead = 0;
  private opening = false;
  private retryTimer = 0;
  private readonly heading = h('h2', { tabindex: -1 }, t('Partner'));
  private readonly presence = h('p', { class: 'muted-text' });
  private readonly notice = h('p', { class: 'notice', hidden: true });
  /** The partner's own check-ins over 14 days, when they share them with partners (§6.1). */
  private readonly trend = h('details', { class: 'panel partner-trend' }, h('summary', null, t("Your partner's check-ins")));
  private trendLoaded = false;
  /** Why messages wait (§6.2): held counts by group session, from partner:held. */
  private readonly heldNote = h('p', { class: 'notice-text held-note', role: 'status', hidden: true });
  private readonly held = new Map<string, number>();
  private readonly flashEl = h('p', { class: 'flash', role: 'status' });

  constructor(
    private readonly ctx: AppContext,
    private readonly partnershipId: string,
  ) {
    const me = ctx.me.id;
    this.list = new MessageList({
      label: t('Conversation'),
      me,
      loadEarlier: () => this.loadEarlier(),
      empty: t('No messages yet. Say hello, or send a check-in, whenever you are ready.'),
      actions: (m) => messageActions(m, { me, report: (msg) => void this.report(msg) }),
    });
    this.composer = new Composer({
      label: t('Message to your partner'),
      onSend: (text) => this.outbox.send({ text }),
      onTyping: (typing) => ctx.conn.signal('partner:typing', { partnershipId, typing }),
    });
    this.outbox = new Outbox(this.timeline, {
      send: (p) =>
        p.checkin
          ? ctx.conn.request('partner:checkin', { partnershipId, ...p.checkin, clientMsgId: p.clientMsgId })
          : ctx.conn.request('partner:send', { partnershipId, text: p.text, clientMsgId: p.clientMsgId }),
      accepted: (m) => this.receive(m),
      held: (m) => this.showHeld(m),
      pending: (p) => this.list.showMine(p, ctx.me.name),
      refused: (p, e) => this.refused(p, e),
      isOnline: () => ctx.conn.state === 'online',
    });
    this.el = h(
      'section',
      { class: 'room partner-chat' },
      h(
        'div',
        { class: 'room-main' },
        h(
          'div',
          { class: 'room-head' },
          h(
            'div',
            { class: 'room-links' },
            h('button', { type: 'button', class: 'link', onclick: () => ctx.go({ to: 'partners' }) }, t('← All partners')),
            h('button', { type: 'button', class: 'link danger', onclick: () => void this.end() }, t('End this partnership')),
          ),
          this.heading,
          this.presence,
        ),
        this.notice,
        this.trend,
        this.heldNote,
        this.list.el,
        this.typing.el,
        this.composer.el,
        checkinForm((c) => this.outbox.send({ text: '', checkin: c })),
        this.flashEl,
      ),
    );
    ctx.unread.open = partnershipId;
    const mine = (p: { partnershipId: string }) => p.partnershipId === partnershipId;
    this.offs.push(
      ctx.conn.onOnline(() => void this.open()),
      ctx.conn.on('partner:message', (m) => m.conversation.kind === 'partner' && m.conversation.id === partnershipId && this.receive(m)),
      ctx.conn.on('partner:read', (p) => {
        if (!mine(p) || p.userId === me) return;
        this.partnerRead = Math.max(this.partnerRead, p.seq);
        this.renderSeen();
      }),
      ctx.conn.on(
        'partner:typing',
        (p) => mine(p) && p.userId !== me && this.typing.set(p.userId, this.p?.partner.name ?? t('Your partner'), p.typing),
      ),
      ctx.conn.on('partner:held', (p) => {
        if (!mine(p)) return;
        const key = `${p.groupId} ${p.sessionId}`;
        if (p.count) this.held.set(key, p.count);
        else this.held.clear(); // released: what a reload listed went out with it
        this.renderHeld();
      }),
      ctx.conn.on('partner:presence', (p) => {
        if (!mine(p) || !this.p || p.userId === me) return;
        this.p = { ...this.p, partner: { ...this.p.partner, online: p.online } };
        this.renderHead();
      }),
      ctx.conn.on('partner:updated', ({ partnership }) => {
        if (partnership.id !== partnershipId || !this.p) return;
        this.p = { ...this.p, ...partnership };
        this.renderHead();
      }),
    );
    const onVisible = () => this.markRead();
    document.addEventListener('visibilitychange', onVisible);
    this.offs.push(
      () => document.removeEventListener('visibilitychange', onVisible),
      () => this.typing.dispose(),
      this.composer.followConnection(ctx.conn),
    );
  }

  dispose(): void {
    if (this.ctx.unread.open === this.partnershipId) this.ctx.unread.open = null;
    for (const off of this.offs.splice(0)) off();
    window.clearTimeout(this.retryTimer);
    this.outbox.dispose();
    this.composer.dispose();
  }

  private async open(): Promise<void> {
    if (this.opening) return;
    this.opening = true;
    try {
      const first = this.timeline.size === 0;
      let caughtUp = false;
      for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
        const at = this.timeline.position();
        const res = await this.ctx.conn.request('partner:open', { partnershipId: this.partnershipId, ...at });
        if (!res.ok) {
          if (res.error.code !== 'NO_ANSWER') this.showNotice(describeError(res.error));
          else if (this.ctx.conn.state === 'online') this.retryTimer = window.setTimeout(() => void this.open(), 3000);
          return;
        }
        const d = res.data;
        if (this.timeline.adopt(d)) this.forget();
        const since = d.resync ? undefined : at.since;
        caughtUp ||= since !== undefined;
        this.p = d.partnership;
        this.myRead = Math.max(this.myRead, d.partnership.lastReadSeq[this.ctx.me.id] ?? 0);
        this.partnerRead = Math.max(this.partnerRead, d.partnership.lastReadSeq[d.partnership.partner.id] ?? 0);
        if (since === undefined) this.list.setHasMore(d.hasMore);
        for (const m of d.messages) this.receive(m, true);
        for (const m of d.held) if (!this.timeline.get(m.id)) this.showHeld(m);
        if (d.held.length && !this.held.size) this.held.set('listed', d.held.length);
        this.renderHeld();
        if (since === undefined || !d.hasMore) break;
      }
      if (first) this.list.scrollToBottom();
      this.renderHead();
      this.renderSeen();
      this.markRead();
      if (!this.trendLoaded) void this.loadTrend();
      if (caughtUp) void this.refreshRecent();
      await this.outbox.flush();
    } finally {
      this.opening = false;
    }
  }

  /** A catch-up brings only newer messages; ones shown may have been erased meanwhile (§8.5). */
  private async refreshRecent(): Promise<void> {
    const res = await this.ctx.conn.request('partner:history', { partnershipId: this.partnershipId, limit: 50 });
    if (res.ok) for (const m of this.timeline.known(res.data.messages)) this.receive(m, true);
  }

  private async loadEarlier(): Promise<void> {
    const beforeSeq = this.timeline.minSeq;
    if (beforeSeq === undefined || beforeSeq <= 1) return this.list.setHasMore(false);
    const res = await this.ctx.conn.request('partner:history', { partnershipId: this.partnershipId, beforeSeq, limit: 50 });
    if (!res.ok) return this.flash(describeError(res.error));
    this.list.keepPosition(() => {
      for (const m of res.data.messages) this.receive(m, true);
    });
    this.list.setHasMore(res.data.hasMore);
    this.renderSeen();
  }

  /** Drops what was shown of a log that no longer exists, read marks included. */
  private forget(): void {
    this.list.clear();
    this.myRead = 0;
    this.partnerRead = 0;
  }

  private receive(m: Message, quiet = false): void {
    const wasNear = this.list.nearBottom();
    const change = this.timeline.put(m);
    if (change === 'same') return;
    if (change === 'conflict') {
      // The server's log started over: show it from its newest page, as on a first open.
      this.timeline.reset();
      this.forget();
      return void this.open();
    }
    this.list.put(m);
    if (change !== 'new') return;
    const fromMe = m.sender.id === this.ctx.me.id;
    if (fromMe)
      this.myRead = Math.max(this.myRead, m.seq); // writing marks everything before it read
    else this.typing.set(m.sender.id, m.sender.name, false);
    if (!quiet && !fromMe)
      announce(
        m.kind === 'checkin'
          ? t('{name}: sent a check-in', { name: m.sender.name })
          : t('{name}: {text}', { name: m.sender.name, text: m.text }),
      );
    if (!quiet) this.list.arrived(m.seq, fromMe || wasNear);
    else if (fromMe || wasNear) this.list.scrollToBottom();
    this.renderSeen();
    if (!quiet) this.markRead();
  }

  /** One of my messages, held until a group session ends: shown as waiting until it arrives released. */
  private showHeld(m: HeldMessage): void {
    if (!m.clientMsgId) return;
    const { clientMsgId, text, checkin, createdAt } = m;
    this.list.showHeld(
      checkin ? { clientMsgId, text, checkin, createdAt, state: 'held' } : { clientMsgId, text, createdAt, state: 'held' },
      this.ctx.me.name,
    );
  }

  private renderHeld(): void {
    const count = [...this.held.values()].reduce((a, b) => a + b, 0);
    this.heldNote.hidden = count === 0;
    this.heldNote.textContent = count ? t('Messages wait until group ends — {count} held.', { count }) : '';
  }

  /** Tells the server (and so my partner) how far I have read, when the page is actually visible. */
  private markRead(): void {
    const max = this.timeline.maxSeq;
    if (document.visibilityState !== 'visible' || max <= this.myRead) {
      if (document.visibilityState === 'visible') this.ctx.unread.set(this.partnershipId, 0);
      return;
    }
    this.myRead = max;
    this.ctx.unread.set(this.partnershipId, 0);
    void this.ctx.conn.request('partner:read', { partnershipId: this.partnershipId, seq: max });
  }

  private renderSeen(): void {
    let seen: number | undefined;
    for (const m of this.timeline.all()) if (m.sender.id === this.ctx.me.id && m.seq <= this.partnerRead) seen = m.seq;
    this.list.markSeen(seen);
  }

  private renderHead(): void {
    if (!this.p) return;
    const name = this.p.partner.name;
    this.title = t('Partner: {name}', { name });
    this.heading.textContent = t('You and {name}', { name });
    document.title = t('{name} · Bridge', { name });
    this.presence.textContent =
      this.p.status === 'ended'
        ? t('This partnership has ended. You can still read it.')
        : this.p.partner.online
          ? t('{name} is online.', { name })
          : t('{name} is offline; your messages will wait for them.', { name });
    this.composer.block(this.p.status === 'ended' ? t('This partnership has ended, so no one can write here any more.') : null);
  }

  /** Shows the partner's trend, or why there is none to show (they do not share it with partners). */
  private async loadTrend(): Promise<void> {
    const name = this.p?.partner.name ?? t('Your partner');
    const res = await this.ctx.call('GET /api/partnerships/:partnershipId/checkins', { params: { partnershipId: this.partnershipId } });
    if (!res.ok && res.error.code === 'NO_ANSWER') return;
    this.trendLoaded = true;
    this.trend.querySelector('summary')!.textContent = t("{name}'s check-ins", { name });
    const body = res.ok
      ? checkinTrendTable(name, res.data.days)
      : h(
          'p',
          null,
          res.error.code === 'FORBIDDEN' ? t('{name} does not share check-ins with partners.', { name }) : describeError(res.error),
        );
    this.trend.replaceChildren(this.trend.querySelector('summary')!, body);
  }

  private refused(p: PendingMsg, e: ClientError): void {
    this.list.removePending(p.clientMsgId);
    if (!p.checkin) this.composer.restore(p.text);
    this.composer.refuse(describeError(e), e.retryAfterMs);
  }

  private async report(m: Message): Promise<void> {
    const answer = await askReport(m.sender.name);
    if (!answer) return;
    const res = await this.ctx.conn.request('report', {
      conversation: { kind: 'partner', id: this.partnershipId },
      messageId: m.id,
      ...answer,
    });
    this.flash(res.ok ? t('Thank you. The facilitators of your shared group will follow up.') : describeError(res.error));
  }

  private async end(): Promise<void> {
    const name = this.p?.partner.name ?? t('your partner');
    if (
      !(await confirmAction(
        t('End your partnership with {name}?', { name }),
        t('Neither of you will be able to write here any more. The conversation stays readable to both of you.'),
        t('End partnership'),
      ))
    )
      return;
    const res = await this.ctx.conn.request('partner:end', { partnershipId: this.partnershipId });
    this.flash(res.ok ? t('The partnership has ended.') : describeError(res.error));
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private flash(text: string): void {
    this.flashEl.textContent = text;
  }
}
