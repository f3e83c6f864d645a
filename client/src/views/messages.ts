import type { Message } from '../../../shared/index.js';
import { CHECKIN_MOOD } from '../../../shared/vocabulary.js';
import { formatTime, h } from '../dom.js';
import type { Key } from '../i18n/en.js';
import { t } from '../i18n/i18n.js';
import { linkPieces } from '../linkify.js';
import type { Named } from '../names.js';
import { roleName } from '../roles.js';
import type { PendingMsg } from '../timeline.js';
import { MOOD_WORDS } from './checkin-form.js';

export type MessageListOptions = {
  label: string;
  me: string;
  /** per-message controls (react, report, moderate), or nothing */
  actions?: (m: Message) => Node | null;
  /** loads older messages; called by the button and when the top scrolls into view */
  loadEarlier?: () => Promise<void>;
  /** what an empty conversation says, once its first page has loaded */
  empty: string;
  /** the reader has the newest message in view (scrolled or followed to the bottom) */
  seenBottom?: () => void;
  /** how a sender is named here (a room tells apart people who share a name); their name by default */
  nameOf?: (sender: Named) => string;
};

/** A message from the same person this soon after their last one shows under the same header. */
const GROUP_WINDOW_MS = 5 * 60_000;

/**
 * The rendered list of one conversation: items keyed by seq (replaced in place when a message is
 * deleted or its reactions change), pending items kept after the confirmed ones.
 */
const PENDING_STATUS: Record<PendingMsg['state'], Key> = {
  sending: 'Sending…',
  waiting: "Not sent yet: will send when you're back",
  held: 'Held until group ends',
};

export class MessageList {
  /** the scrolling list with its "Jump to latest" button over it */
  readonly el: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly earlier: HTMLButtonElement;
  private readonly emptyNote: HTMLElement;
  private readonly jump: HTMLButtonElement;
  private readonly items = new Map<number, HTMLLIElement>();
  private readonly messages = new Map<number, Message>();
  private readonly pendingItems = new Map<string, HTMLLIElement>();
  private seqs: number[] = [];
  private loading = false;
  /** the first page has come: an empty list is an empty conversation, not one still loading */
  private loaded = false;
  private seenLabel: HTMLElement | undefined;
  /** "New messages" above the first one that arrived while the reader was scrolled up */
  private marker: HTMLLIElement | undefined;
  private unseen = 0;

  constructor(private readonly opts: MessageListOptions) {
    this.earlier = h(
      'button',
      { type: 'button', class: 'link earlier', hidden: true, onclick: () => void this.loadEarlier() },
      t('Load earlier messages'),
    );
    this.list = h('ol', { class: 'messages', 'aria-label': opts.label });
    this.emptyNote = h('p', { class: 'empty-prompt', hidden: true }, opts.empty);
    this.scroller = h(
      'div',
      {
        class: 'scroller',
        tabindex: 0,
        'aria-label': t('{label}, scrollable', { label: opts.label }),
        onscroll: () => {
          if (this.nearBottom()) this.atBottom();
        },
      },
      this.earlier,
      this.list,
      this.emptyNote,
    );
    this.jump = h('button', { type: 'button', class: 'jump-latest', hidden: true, onclick: () => this.jumpToLatest() });
    this.el = h('div', { class: 'message-pane' }, this.scroller, this.jump);
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) void this.loadEarlier();
        },
        { root: this.scroller },
      ).observe(this.earlier);
    }
  }

  setHasMore(more: boolean): void {
    this.earlier.hidden = !more || !this.opts.loadEarlier;
    this.loaded = true;
    this.renderEmpty();
  }

  /** Removes every message item (pending ones stay), for a timeline that starts over. */
  clear(): void {
    for (const li of this.items.values()) li.remove();
    this.items.clear();
    this.messages.clear();
    this.seqs = [];
    this.seenLabel = undefined;
    this.clearNew();
    this.renderEmpty();
  }

  /** Adds or replaces a message item, in seq order. */
  put(m: Message): void {
    const li = this.renderMessage(m);
    const old = this.items.get(m.seq);
    if (old) {
      // Someone else's reaction must not close the menu I have open, or take my focus away.
      const menuOpen = old.querySelector('details[open]') !== null;
      const hadFocus = old.contains(document.activeElement);
      old.replaceWith(li);
      const menu = li.querySelector('details');
      if (menu && menuOpen) menu.open = true;
      if (hadFocus) (li.querySelector<HTMLElement>('summary') ?? li).focus();
      if (this.seenLabel && old.contains(this.seenLabel)) li.querySelector('.status')?.append(this.seenLabel);
    } else {
      const at = upperBound(this.seqs, m.seq);
      const next = this.seqs[at];
      this.seqs.splice(at, 0, m.seq);
      const before = next === undefined ? (this.pendingItems.values().next().value ?? null) : this.items.get(next)!;
      this.list.insertBefore(li, before);
    }
    this.items.set(m.seq, li);
    this.messages.set(m.seq, m);
    this.regroup(m.seq);
    this.regroup(this.seqs[upperBound(this.seqs, m.seq)]);
    if (m.clientMsgId) this.removePending(m.clientMsgId);
    this.renderEmpty();
  }

  /**
   * A message that just arrived live: followed into view when the reader was at the bottom (or
   * wrote it); otherwise marked "New messages", counted on the "Jump to latest" button.
   */
  arrived(seq: number, follow: boolean): void {
    if (follow) return this.scrollToBottom();
    const li = this.items.get(seq);
    if (!li) return;
    if (!this.marker) {
      this.marker = h('li', { class: 'new-marker' }, h('span', null, t('New messages')));
      this.list.insertBefore(this.marker, li);
      this.regroup(seq);
    }
    this.unseen++;
    this.jump.textContent = t('Jump to latest ({count} new)', { count: this.unseen });
    this.jump.hidden = false;
  }

  /** Names the senders again, after a newcomer made a shown name ambiguous. */
  relabel(): void {
    for (const [seq, li] of this.items) {
      const m = this.messages.get(seq)!;
      const sender = li.querySelector('.sender');
      if (sender) sender.textContent = this.senderName(m);
    }
  }

  private senderName(m: Message): string {
    const name = this.opts.nameOf?.(m.sender) ?? m.sender.name;
    return m.sender.id === this.opts.me ? t('{name} (you)', { name }) : name;
  }

  /** A message of mine held until a group session ends (§6.2), until it arrives released. */
  showHeld(p: PendingMsg, myName: string): void {
    this.putPending({ ...p, state: 'held' }, t('{name} (you)', { name: myName }));
  }

  /** The outbox's `pending` hook: my message as it waits for its ack, in view. */
  showMine(p: PendingMsg, myName: string): void {
    this.putPending(p, t('{name} (you)', { name: myName }));
    this.scrollToBottom();
  }

  private putPending(p: PendingMsg, sender: string): void {
    const li = h(
      'li',
      { class: p.state === 'held' ? 'msg mine pending held' : 'msg mine pending', 'data-client-id': p.clientMsgId },
      h('div', { class: 'meta' }, h('span', { class: 'sender' }, sender), ' ', h('span', { class: 'status' }, t(PENDING_STATUS[p.state]))),
      p.checkin ? checkinCard(p.checkin) : h('p', { class: 'text' }, p.text),
    );
    const old = this.pendingItems.get(p.clientMsgId);
    if (old) old.replaceWith(li);
    else this.list.append(li);
    this.pendingItems.set(p.clientMsgId, li);
    this.renderEmpty();
  }

  removePending(clientMsgId: string): void {
    this.pendingItems.get(clientMsgId)?.remove();
    this.pendingItems.delete(clientMsgId);
    this.renderEmpty();
  }

  /** Puts "Seen" under my latest message the other person has read (partners). */
  markSeen(seq: number | undefined): void {
    this.seenLabel?.remove();
    if (seq === undefined) return;
    const li = this.items.get(seq);
    if (!li) return;
    this.seenLabel ??= h('span', { class: 'seen' }, t('Seen'));
    li.querySelector('.status')?.append(this.seenLabel);
  }

  item(seq: number): HTMLLIElement | undefined {
    return this.items.get(seq);
  }

  nearBottom(): boolean {
    const el = this.scroller;
    return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.atBottom();
  }

  /** Runs `add` (which prepends older messages) and keeps what the reader sees in place. */
  keepPosition(add: () => void): void {
    const el = this.scroller;
    const fromBottom = el.scrollHeight - el.scrollTop;
    add();
    el.scrollTop = el.scrollHeight - fromBottom;
  }

  private jumpToLatest(): void {
    this.scrollToBottom();
    // The button goes with the new messages; the list it scrolled keeps the focus.
    this.scroller.focus();
  }

  private atBottom(): void {
    this.clearNew();
    this.opts.seenBottom?.();
  }

  private clearNew(): void {
    this.unseen = 0;
    this.jump.hidden = true;
    const after = this.marker?.nextElementSibling;
    this.marker?.remove();
    this.marker = undefined;
    if (after instanceof HTMLElement && after.dataset.seq) this.regroup(Number(after.dataset.seq));
  }

  private renderEmpty(): void {
    this.emptyNote.hidden = !this.loaded || this.items.size > 0 || this.pendingItems.size > 0 || !this.earlier.hidden;
  }

  /**
   * Shows the header once for a run of messages from one person: a message right after their
   * previous one (no "New messages" line between) hides its sender and time from sight, not from
   * screen readers, which still hear who wrote each one.
   */
  private regroup(seq: number | undefined): void {
    const li = seq === undefined ? undefined : this.items.get(seq);
    if (seq === undefined || !li) return;
    const prevSeq = this.seqs[upperBound(this.seqs, seq) - 2];
    const prev = prevSeq === undefined ? undefined : this.messages.get(prevSeq);
    const m = this.messages.get(seq)!;
    const grouped =
      prev !== undefined &&
      li.previousElementSibling === this.items.get(prev.seq) &&
      prev.sender.id === m.sender.id &&
      prev.kind !== 'system' &&
      m.kind !== 'system' &&
      m.createdAt - prev.createdAt >= 0 &&
      m.createdAt - prev.createdAt < GROUP_WINDOW_MS;
    li.classList.toggle('grouped', grouped);
  }

  private async loadEarlier(): Promise<void> {
    if (this.loading || this.earlier.hidden || !this.opts.loadEarlier) return;
    this.loading = true;
    this.earlier.textContent = t('Loading earlier messages…');
    try {
      await this.opts.loadEarlier();
    } finally {
      this.loading = false;
      this.earlier.textContent = t('Load earlier messages');
    }
  }

  private renderMessage(m: Message): HTMLLIElement {
    const mine = m.sender.id === this.opts.me;
    const li = h('li', {
      class: `msg${mine ? ' mine' : ''}${m.deleted ? ' deleted' : ''}${m.kind === 'system' ? ' system' : ''}`,
      id: `m-${m.id}`,
      'data-seq': m.seq,
      tabindex: -1,
    });
    const meta = h(
      'div',
      { class: 'meta' },
      h('span', { class: 'sender' }, this.senderName(m)),
      m.sender.role !== 'participant' ? h('span', { class: 'role' }, roleName(m.sender.role)) : null,
      ' ',
      h('time', { datetime: new Date(m.createdAt).toISOString() }, formatTime(m.createdAt)),
      ' ',
      h('span', { class: 'status' }),
    );
    li.append(meta);
    if (m.deleted) li.append(h('p', { class: 'text removed' }, t('This message was removed.')));
    else if (m.kind === 'checkin' && m.checkin) li.append(checkinCard(m.checkin));
    else li.append(h('p', { class: 'text' }, ...linked(m.text)));
    if (!m.deleted) {
      const chips = reactionChips(m, this.opts.me);
      if (chips) li.append(chips);
      const actions = this.opts.actions?.(m);
      if (actions) li.append(actions);
    }
    return li;
  }
}

/** The reactions a message has, as text; the buttons to toggle them live in the actions. */
function reactionChips(m: Message, me: string): HTMLElement | null {
  const entries = Object.entries(m.reactions ?? {}).filter(([, users]) => users.length > 0);
  if (!entries.length) return null;
  return h(
    'ul',
    { class: 'reactions', 'aria-label': t('Reactions') },
    ...entries.map(([emoji, users]) =>
      h(
        'li',
        { class: users.includes(me) ? 'reaction mine' : 'reaction', title: users.includes(me) ? t('including you') : null },
        emoji,
        ' ',
        h('span', { class: 'count' }, users.length),
        h('span', { class: 'sr-only' }, users.includes(me) ? ` (${t('including you')})` : ''),
      ),
    ),
  );
}

export function checkinCard(c: { mood: number; craving: number; note?: string }): HTMLElement {
  const card = h(
    'div',
    { class: 'checkin' },
    h('p', { class: 'checkin-title' }, t('Daily check-in')),
    h('p', null, t('Mood {mood}/5 ({word}) · Craving {craving}/10', { mood: c.mood, word: moodWord(c.mood), craving: c.craving })),
  );
  if (c.note) card.append(h('p', { class: 'text' }, ...linked(c.note)));
  return card;
}

function moodWord(mood: number): string {
  const word = MOOD_WORDS[mood - CHECKIN_MOOD.min];
  return word ? t(word) : '';
}

/** Text with its web addresses as links that open apart from Bridge and tell the site nothing of it. */
function linked(text: string): (string | HTMLAnchorElement)[] {
  return linkPieces(text).map((p) => (p.href ? h('a', { href: p.href, rel: 'noopener noreferrer', target: '_blank' }, p.text) : p.text));
}

function upperBound(arr: number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
