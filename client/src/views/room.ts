import type {
  AgreementTerms,
  Group,
  GroupJoinWaiting,
  GroupState,
  Member,
  Message,
  ServerPayload,
  WaitingPerson,
} from '../../../shared/index.js';
import type { Reaction } from '../../../shared/vocabulary.js';
import type { ClientError } from '../api.js';
import type { AppContext, View } from '../context.js';
import { announce, formatTime, h, replace } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { Outbox } from '../outbox.js';
import { Timeline, type PendingMsg } from '../timeline.js';
import { GroupReads } from '../unread.js';
import { AgreementPanel } from './agreement.js';
import { Composer } from './composer.js';
import { askReport } from './dialogs.js';
import type { FacilitatorTools } from './facilitator.js';
import { MembersPanel } from './members.js';
import { NameBook, type Named } from '../names.js';
import { messageActions } from './message-actions.js';
import { MessageList } from './messages.js';
import { RoomHeader } from './room-header.js';
import { TypingLine } from './typing.js';
import { WaitingScreen } from './waiting-screen.js';

/** The most catch-up rounds after a reconnect (500 messages each, §4) before showing what we have. */
const CATCH_UP_ROUNDS = 10;
/** How often a member the locked room keeps out asks again: nothing tells them it was unlocked. */
const LOCKED_RETRY_MS = 5000;
/** How long a word on the last action stays (long enough to read, also with a screen reader). */
const FLASH_MS = 8000;

/**
 * A group room: joins (and re-joins with `since` after every reconnect), keeps the timeline and
 * the room's live state, and wires the list, composer, members and a facilitator's panels.
 */
export class GroupRoom implements View {
  readonly el: HTMLElement;
  title = t('Group room');
  private readonly timeline = new Timeline();
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly outbox: Outbox;
  private readonly typing: TypingLine;
  private readonly offs: (() => void)[] = [];
  private group: Group | undefined;
  private state: GroupState | undefined;
  private readonly members = new Map<string, Member>();
  private you: { muted: boolean; mutedUntil?: number } = { muted: false };
  private out: 'removed' | 'banned' | null = null;
  /** the locked room keeps me out (§5.1): nothing to send, react or raise until a join gets in */
  private lockedOut = false;
  private joined = false;
  private joining = false;
  private unmuteTimer = 0;
  private flashTimer = 0;
  private retryTimer = 0;
  private lastBlock: string | null = null;
  /** the composer is counting down a slow-mode refusal */
  private slowWait = false;
  /** a facilitator's moderation, controls and alerts; mounted once the join says I am one */
  private fac: FacilitatorTools | undefined;
  /**
   * This person runs the room: their tools are fetched when first needed (their own chunk, so a
   * participant's page never loads them) and `fac` is set once they have arrived.
   */
  private staff = false;
  /** The waiting list the staff last heard of (kept for tools that arrive after it). */
  private waitingList: WaitingPerson[] | undefined;
  private disposed = false;
  private readonly header = new RoomHeader((id) => this.timeline.get(id));
  private readonly notice = h('div', { class: 'notice', hidden: true });
  /** the group's agreement, while a join waits for me to accept it (AGREEMENT_REQUIRED) */
  private readonly agreement: AgreementPanel;
  private readonly hand = h(
    'button',
    { type: 'button', class: 'hand-button', 'aria-pressed': 'false', onclick: () => void this.toggleHand() },
    t('✋ Raise hand'),
  );
  /** how far I have read here, for the unread counts on the groups list */
  private readonly reads: GroupReads;
  private readSeq = -1;
  private readonly flashEl = h('p', { class: 'flash', role: 'status' });
  private readonly membersPanel = new MembersPanel();
  /** everyone this room has shown, members and senders, so two people called Sam are told apart */
  private readonly names = new NameBook();
  private readonly side: HTMLElement;
  private readonly main: HTMLElement;
  /** shown instead of the room while its waiting room holds me (§5.7) */
  private readonly waitingScreen = new WaitingScreen({ leave: () => void this.leaveWaiting(), knock: () => void this.join() });

  constructor(
    private readonly ctx: AppContext,
    readonly groupId: string,
  ) {
    const me = ctx.me.id;
    this.list = new MessageList({
      label: t('Messages'),
      me,
      loadEarlier: () => this.loadEarlier(),
      empty: t('No messages yet. This is a safe place to start: say hello, or just read along until you are ready.'),
      seenBottom: () => this.markRead(),
      nameOf: (sender) => this.names.label(sender),
      actions: (m) =>
        messageActions(m, {
          me,
          react: (msg, emoji) => void this.react(msg, emoji),
          report: (msg) => void this.report(msg),
          ...this.fac?.messageHandlers(),
        }),
    });
    this.composer = new Composer({
      label: t('Message to the group'),
      onSend: (text) => this.outbox.send({ text }),
      onTyping: (typing) => ctx.conn.signal('group:typing', { groupId, typing }),
      beside: this.hand,
    });
    this.reads = new GroupReads(me);
    this.outbox = new Outbox(this.timeline, {
      send: (p) => ctx.conn.request('group:send', { groupId, text: p.text, clientMsgId: p.clientMsgId }),
      accepted: (m) => this.receive(m),
      pending: (p) => this.list.showMine(p, this.names.label(ctx.me)),
      refused: (p, e) => this.refused(p, e),
      isOnline: () => ctx.conn.state === 'online',
    });
    this.typing = new TypingLine();
    this.agreement = new AgreementPanel({
      accept: async (version) => {
        const res = await ctx.conn.request('group:agree', { groupId, version });
        if (!res.ok) return res.error;
        this.agreement.hide();
        announce(t('Thank you for agreeing. Joining the room.'));
        void this.join();
        return null;
      },
      leave: () => ctx.go({ to: 'groups' }),
    });
    this.side = h('aside', { class: 'room-side', 'aria-label': t('About this room') }, this.membersPanel.el);
    this.main = h(
      'div',
      { class: 'room-main' },
      this.header.block(
        h(
          'div',
          { class: 'room-links' },
          h('button', { type: 'button', class: 'link', onclick: () => ctx.go({ to: 'groups' }) }, t('← All groups')),
          // On a phone the room's panel follows the conversation, out of sight: this finds it.
          h(
            'button',
            { type: 'button', class: 'link to-side', onclick: () => this.side.scrollIntoView({ block: 'start' }) },
            t('Members and room tools ↓'),
          ),
        ),
      ),
      this.notice,
      this.agreement.el,
      this.header.pinned,
      this.list.el,
      this.typing.el,
      this.composer.el,
      this.flashEl,
    );
    this.el = h('section', { class: 'room' }, this.waitingScreen.el, this.main, this.side);
    this.listen();
    // After a reconnect, join again — unless a facilitator took me out (then "Come back in" does).
    this.offs.push(ctx.conn.onOnline(() => void (this.out ? undefined : this.join())));
    const onVisible = () => this.markRead();
    document.addEventListener('visibilitychange', onVisible);
    this.offs.push(
      () => this.typing.dispose(),
      () => document.removeEventListener('visibilitychange', onVisible),
      this.composer.followConnection(ctx.conn),
    );
  }

  dispose(): void {
    this.disposed = true;
    this.ctx.keepSignedIn(false);
    for (const off of this.offs.splice(0)) off();
    this.outbox.dispose();
    this.composer.dispose();
    window.clearTimeout(this.unmuteTimer);
    window.clearTimeout(this.retryTimer);
    this.header.dispose();
    if (this.joined) void this.ctx.conn.request('group:leave', { groupId: this.groupId });
  }

  private isFacilitator(): boolean {
    return this.ctx.me.role === 'admin' || this.members.get(this.ctx.me.id)?.role === 'facilitator';
  }

  // ---- joining and catching up -------------------------------------------------------------

  private async join(): Promise<void> {
    if (this.joining) return;
    this.joining = true;
    window.clearTimeout(this.retryTimer);
    try {
      const first = this.timeline.size === 0;
      let caughtUp = false;
      for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
        const at = this.timeline.position();
        const res = await this.ctx.conn.request('group:join', { groupId: this.groupId, ...at });
        if (!res.ok) return this.joinFailed(res.error);
        if (!('members' in res.data)) return this.waitToBeLetIn(res.data);
        const wasNear = this.list.nearBottom();
        const d = res.data;
        if (this.timeline.adopt(d)) this.list.clear();
        const since = d.resync ? undefined : at.since;
        caughtUp ||= since !== undefined;
        const becameFacilitator = !this.joined && d.members.some((m) => m.id === this.ctx.me.id && m.role === 'facilitator');
        this.group = d.group;
        this.state = d.state;
        this.members.clear();
        for (const m of d.members) this.members.set(m.id, m);
        this.learnNames([...d.members, ...d.messages.map((m) => m.sender)]);
        this.you = d.you;
        this.out = null;
        this.lockedOut = false;
        this.agreement.hide();
        this.joined = true;
        this.showWaiting(false);
        if (since === undefined) {
          this.timeline.hasMoreBefore = d.hasMore;
          this.list.setHasMore(d.hasMore);
        }
        for (const m of d.messages) this.receive(m, true);
        if (first || wasNear) this.list.scrollToBottom();
        if (becameFacilitator || this.ctx.me.role === 'admin') this.mountFacilitatorTools();
        if (d.waiting) this.setWaiting(d.waiting);
        this.renderState();
        if (since === undefined || !d.hasMore) break;
      }
      this.notice.hidden = true;
      this.markRead();
      void this.fac?.alerts.load();
      if (caughtUp) void this.refreshRecent();
      await this.outbox.flush();
    } finally {
      this.joining = false;
    }
  }

  /**
   * A catch-up brings only messages after `since`; ones already shown may have been removed or
   * reacted to meanwhile. The newest page replaces those it holds (not gaps: those load on scroll).
   */
  private async refreshRecent(): Promise<void> {
    const res = await this.ctx.conn.request('group:history', { groupId: this.groupId, limit: 50 });
    if (res.ok) for (const m of this.timeline.known(res.data.messages)) this.receive(m, true);
  }

  /** The server's log started over: show it from its newest page, as on a first join. */
  private startOver(): void {
    this.timeline.reset();
    this.list.clear();
    void this.join();
  }

  private joinFailed(e: ClientError): void {
    if (e.code === 'NO_ANSWER') {
      // Offline: the reconnect joins again. Online but unanswered: try again shortly.
      if (this.ctx.conn.state === 'online') this.retryTimer = window.setTimeout(() => void this.join(), 3000);
      return;
    }
    this.joined = false;
    if (e.code === 'AGREEMENT_REQUIRED' && e.agreement) return this.askAgreement(e.agreement);
    if (e.code === 'ROOM_LOCKED') return this.keptOut();
    if (e.code === 'BANNED') this.out = 'banned';
    this.showNotice(describeError(e));
    this.renderState();
  }

  /** The waiting room holds me until a facilitator lets me in (group:admitted joins again). */
  private waitToBeLetIn(d: GroupJoinWaiting): void {
    this.joined = false;
    // Whatever kept me out before (a removal, the lock), the waiting room is what holds me now.
    this.out = null;
    this.lockedOut = false;
    this.title = d.group.name;
    document.title = t('{title} · Bridge', { title: d.group.name });
    this.notice.hidden = true;
    this.waitingScreen.waiting(d.group.name, d.waiting.since);
    this.showWaiting(true);
  }

  /** The waiting screen replaces the whole room, so nothing of it shows (or takes focus) while I wait. */
  private showWaiting(waiting: boolean): void {
    if (!waiting) this.waitingScreen.hide();
    this.main.hidden = waiting;
    this.side.hidden = waiting;
  }

  private async leaveWaiting(): Promise<void> {
    await this.ctx.conn.request('group:leave', { groupId: this.groupId });
    this.ctx.go({ to: 'groups' });
  }

  /** The locked room refused a join, send, hand or reaction: say so, and ask again now and then. */
  private keptOut(): void {
    this.joined = false;
    this.lockedOut = true;
    // Asking to come back in is what got us here; the lock is the reason now.
    this.out = null;
    this.showNotice(describeError({ code: 'ROOM_LOCKED', message: '' }), t('Try again'));
    this.retryTimer = window.setTimeout(() => void this.join(), LOCKED_RETRY_MS);
    this.renderState();
  }

  /** A join (or a send) waits for me to accept this version of the group's agreement: show it first. */
  private askAgreement(terms: AgreementTerms): void {
    this.joined = false;
    this.notice.hidden = true;
    this.agreement.show(terms);
    this.renderState();
  }

  private async loadEarlier(): Promise<void> {
    const beforeSeq = this.timeline.minSeq;
    if (beforeSeq === undefined || beforeSeq <= 1) return this.list.setHasMore(false);
    const res = await this.ctx.conn.request('group:history', { groupId: this.groupId, beforeSeq, limit: 50 });
    if (!res.ok) return this.flash(describeError(res.error));
    this.list.keepPosition(() => {
      for (const m of res.data.messages) this.receive(m, true);
    });
    this.timeline.hasMoreBefore = res.data.hasMore;
    this.list.setHasMore(res.data.hasMore);
  }

  // ---- live events -------------------------------------------------------------------------

  private listen(): void {
    const { conn } = this.ctx;
    const mine = (p: { groupId?: string }) => p.groupId === this.groupId;
    this.offs.push(
      conn.on('group:message', (m) => m.conversation.kind === 'group' && m.conversation.id === this.groupId && this.receive(m)),
      conn.on('group:deleted', (p) => mine(p) && this.patch(p.messageId, (m) => ({ ...m, text: '', deleted: true, reactions: {} }))),
      conn.on('group:reaction', (p) => mine(p) && this.patch(p.messageId, (m) => ({ ...m, reactions: p.reactions }))),
      conn.on('group:presence', (p) => mine(p) && this.presence(p)),
      conn.on(
        'group:typing',
        (p) =>
          mine(p) && p.userId !== this.ctx.me.id && this.typing.set(p.userId, this.names.label({ id: p.userId, name: p.name }), p.typing),
      ),
      conn.on('group:hand', (p) => mine(p) && this.handChanged(p.userId, p.raised)),
      conn.on('group:state', (p) => {
        if (!mine(p)) return;
        this.state = p.state;
        this.renderState();
      }),
      conn.on('mod:notice', (p) => mine(p) && this.notice_(p)),
      conn.on('group:waiting', (p) => mine(p) && this.setWaiting(p.waiting)),
      conn.on('group:admitted', (p) => {
        if (!mine(p)) return;
        announce(t('A facilitator let you in.'));
        void this.join();
      }),
      conn.on('group:turned-away', (p) => mine(p) && this.waitingScreen.turnedAway(this.title)),
      conn.on('mod:alert', (p) => mine(p) && this.fac?.alerts.onAlert(p)),
      // Resolved from the inbox or another tab: the queue here drops it too.
      conn.on('alert:changed', (a) => a.groupId === this.groupId && a.status === 'resolved' && void this.fac?.alerts.load()),
    );
  }

  private receive(m: Message, quiet = false): void {
    const wasNear = this.list.nearBottom();
    const change = this.timeline.put(m);
    if (change === 'same') return;
    if (change === 'conflict') return this.startOver();
    this.learnNames([m.sender]);
    this.list.put(m);
    if (m.id === this.state?.pinnedMessageId) this.header.renderPinned(m.id);
    if (change !== 'new' || quiet) return;
    const fromMe = m.sender.id === this.ctx.me.id;
    this.typing.set(m.sender.id, '', false);
    if (!fromMe) announce(`${this.names.label(m.sender)}: ${m.deleted ? t('message removed') : m.text}`);
    this.list.arrived(m.seq, fromMe || wasNear);
  }

  /** Notes the newest message as read, when it is in view on a visible page (once per seq: this runs on every scroll at the bottom). */
  private markRead(): void {
    const max = this.timeline.maxSeq;
    if (max === this.readSeq || !this.joined || document.visibilityState !== 'visible' || !this.list.nearBottom()) return;
    this.readSeq = max;
    this.reads.set(this.groupId, max);
  }

  private patch(messageId: string, change: (m: Message) => Message): void {
    const next = this.timeline.patch(messageId, change);
    if (next) this.list.put(next);
    if (next && messageId === this.state?.pinnedMessageId) this.header.renderPinned(messageId);
  }

  private presence(p: ServerPayload<'group:presence'>): void {
    const known = this.members.get(p.user.id);
    this.members.set(
      p.user.id,
      known
        ? { ...known, online: p.online }
        : {
            id: p.user.id,
            name: p.user.name,
            role: p.user.role === 'participant' ? 'participant' : 'facilitator',
            online: p.online,
            handRaised: false,
          },
    );
    if (!p.online) this.typing.set(p.user.id, '', false);
    this.learnNames([p.user]);
    this.renderMembers();
  }

  private handChanged(userId: string, raised: boolean): void {
    if (!this.state) return;
    const queue = this.state.handQueue.filter((id) => id !== userId);
    if (raised) queue.push(userId);
    this.state = { ...this.state, handQueue: queue };
    // The words follow the hand, whoever moved it (a facilitator lowers it from their side).
    if (userId === this.ctx.me.id)
      this.flash(raised ? t('Your hand is raised. A facilitator will call on you.') : t('Your hand is lowered.'));
    this.renderState();
  }

  private notice_(p: ServerPayload<'mod:notice'>): void {
    if (p.action === 'muted') {
      this.you = p.until ? { muted: true, mutedUntil: p.until } : { muted: true };
    } else if (p.action === 'unmuted') {
      this.you = { muted: false };
      announce(t('A facilitator unmuted you. You can send again.'), true);
    } else {
      this.out = p.action;
      this.joined = p.action === 'removed' ? false : this.joined;
      this.showNotice(
        p.action === 'banned'
          ? t('A facilitator has removed you from this group. You can no longer take part here.')
          : t('A facilitator took you out of the room for now. You can come back in when you are ready.'),
        p.action === 'removed' ? t('Come back in') : undefined,
      );
    }
    this.renderState();
  }

  // ---- actions -----------------------------------------------------------------------------

  private refused(p: PendingMsg, e: ClientError): void {
    this.list.removePending(p.clientMsgId);
    this.composer.restore(p.text);
    if (e.code === 'MUTED') {
      this.you = e.retryAfterMs ? { muted: true, mutedUntil: Date.now() + e.retryAfterMs } : { muted: true };
      this.renderState();
    } else if (e.code === 'ROOM_LOCKED') {
      this.notAdmitted();
    } else if (e.code === 'AGREEMENT_REQUIRED' && e.agreement) {
      this.askAgreement(e.agreement);
    } else {
      this.slowWait = e.code === 'SLOW_MODE';
      this.composer.refuse(describeError(e), e.retryAfterMs);
    }
  }

  private async toggleHand(): Promise<void> {
    const raised = !this.state?.handQueue.includes(this.ctx.me.id);
    const res = await this.ctx.conn.request('group:hand', { groupId: this.groupId, raised });
    if (!res.ok) return this.failed(res.error);
    this.handChanged(this.ctx.me.id, raised);
  }

  private async react(m: Message, emoji: Reaction): Promise<void> {
    const res = await this.ctx.conn.request('group:react', { groupId: this.groupId, messageId: m.id, emoji });
    if (!res.ok) return this.failed(res.error);
    this.patch(m.id, (x) => ({ ...x, reactions: res.data.reactions }));
  }

  private failed(e: ClientError): void {
    if (e.code === 'ROOM_LOCKED') this.notAdmitted();
    else this.flash(describeError(e));
  }

  /**
   * A send, hand or reaction found me not admitted to this session (a new one started). With a
   * waiting room, knocking at once takes me to the waiting screen; else the lock keeps me out.
   */
  private notAdmitted(): void {
    if (this.state?.waitingRoom) void this.join();
    else this.keptOut();
  }

  private async report(m: Message): Promise<void> {
    const answer = await askReport(this.names.label(m.sender));
    if (!answer) return;
    const res = await this.ctx.conn.request('report', { conversation: { kind: 'group', id: this.groupId }, messageId: m.id, ...answer });
    this.flash(res.ok ? t('Thank you for telling us. The facilitators will look at it.') : describeError(res.error));
  }

  private setWaiting(waiting: WaitingPerson[]): void {
    this.waitingList = waiting;
    this.fac?.setWaiting(waiting);
  }

  private mountFacilitatorTools(): void {
    if (this.staff) return;
    this.staff = true;
    import('./facilitator.js').then(
      ({ FacilitatorTools }) => {
        if (this.disposed) return;
        const fac = new FacilitatorTools({
          ctx: this.ctx,
          groupId: this.groupId,
          members: () => this.members,
          state: () => this.state,
          flash: (text) => this.flash(text),
          membersChanged: () => this.renderMembers(),
          jumpTo: (id) => this.jumpTo(id),
        });
        this.fac = fac;
        this.side.prepend(fac.alerts.el, fac.controls.el, fac.schedule.el, fac.agreement.el, fac.checkinRules.el);
        void fac.agreement.load();
        void fac.alerts.load();
        // What arrived before the tools did.
        if (this.waitingList) fac.setWaiting(this.waitingList);
        this.renderState();
        this.renderMembers();
        // Messages already on screen get the delete and pin actions.
        for (const m of this.timeline.all()) this.list.put(m);
      },
      () => {
        this.staff = false;
        this.flash(t('The facilitator tools could not be loaded. Check your connection and reload the page.'));
      },
    );
  }

  private jumpTo(messageId: string): void {
    const m = this.timeline.get(messageId);
    const li = m && this.list.item(m.seq);
    if (!li) return this.flash(t('That message is further back: load earlier messages to find it.'));
    li.scrollIntoView({ block: 'center' });
    li.focus();
  }

  // ---- rendering ---------------------------------------------------------------------------

  private renderState(): void {
    const s = this.state;
    this.ctx.keepSignedIn(this.joined && Boolean(s?.sessionOpen));
    this.header.render(this.group, s);
    if (this.group) {
      this.title = this.group.name;
      document.title = t('{title} · Bridge', { title: this.group.name });
    }
    if (s) {
      if (this.slowWait && s.slowModeSec === 0) {
        this.slowWait = false;
        this.composer.clearWait();
      }
      const raised = s.handQueue.includes(this.ctx.me.id);
      this.hand.textContent = raised ? t('✋ Lower hand') : t('✋ Raise hand');
      this.hand.setAttribute('aria-pressed', String(raised));
      this.fac?.render(s);
    }
    // Facilitators call on people; they have no hand to raise.
    this.hand.hidden = this.staff;
    // Lowering my own hand always works; raising it needs a voice in the room.
    this.hand.disabled = !this.joined || Boolean(this.out) || (this.you.muted && !this.state?.handQueue.includes(this.ctx.me.id));
    window.clearTimeout(this.unmuteTimer);
    if (this.you.muted && this.you.mutedUntil) {
      this.unmuteTimer = window.setTimeout(
        () => {
          this.you = { muted: false };
          this.renderState();
        },
        Math.max(0, this.you.mutedUntil - Date.now()) + 500,
      );
    }
    const block = this.blockReason();
    this.composer.block(block);
    if (block && block !== this.lastBlock) announce(block, true);
    this.lastBlock = block;
    this.renderMembers();
  }

  private blockReason(): string | null {
    if (this.out === 'banned') return t('You can no longer take part in this group.');
    if (this.out === 'removed') return t('You are out of the room for now. Use “Come back in” above when you are ready.');
    if (this.agreement.shown) return t('Please read the group’s agreement above: you can take part once you agree to it.');
    if (this.lockedOut) return t('This room is locked: you cannot send, react or raise your hand until you are let in.');
    if (this.you.muted)
      return this.you.mutedUntil
        ? t('A facilitator has muted you until {time}. You can still read along, but not send, react or raise your hand.', {
            time: formatTime(this.you.mutedUntil),
          })
        : t('A facilitator has muted you. You can still read along, but not send, react or raise your hand.');
    if (this.state && !this.state.sessionOpen && !this.isFacilitator())
      return t('The session is closed. You can read, but not send, until a facilitator opens it again.');
    return null;
  }

  /** Notes who is named here; when a newcomer shares a shown name, the names already shown get their tags. */
  private learnNames(people: Named[]): void {
    if (!this.names.add(people)) return;
    this.list.relabel();
    this.renderMembers();
  }

  private renderMembers(): void {
    const all = [...this.members.values()].map((m) => (m.online && this.fac?.isWaiting(m.id) ? { ...m, online: false } : m));
    const canModerate = (m: Member) => this.ctx.me.role === 'admin' || m.role !== 'facilitator';
    const state = this.state ?? {
      locked: false,
      waitingRoom: false,
      slowModeSec: 0,
      sessionOpen: true,
      pinnedMessageId: null,
      quietPartnerChat: false,
      handQueue: [],
      session: null,
      nextSessionStart: null,
    };
    this.membersPanel.render(
      all,
      state,
      this.ctx.me.id,
      this.fac && this.isFacilitator() ? this.fac.memberControls() : null,
      canModerate,
      this.fac?.mutedHere ?? new Set(),
      (m) => this.names.label(m),
    );
  }

  private showNotice(text: string, button?: string): void {
    replace(
      this.notice,
      h('p', null, text),
      button ? h('button', { type: 'button', class: 'primary', onclick: () => void this.join() }, button) : null,
    );
    this.notice.hidden = false;
    announce(text, true);
  }

  /** A passing word on the last action: replaced by the next one, gone after a while so it never reads as current. */
  private flash(text: string): void {
    this.flashEl.textContent = text;
    window.clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => (this.flashEl.textContent = ''), FLASH_MS);
  }
}
