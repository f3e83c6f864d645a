import type { Group, GroupState, Message } from '../../../shared/index.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { scheduleLine } from './schedule-line.js';

/** The countdown to a session under an hour away ticks this often. */
const COUNTDOWN_TICK_MS = 1000;

/** The top of a room: name, description and schedule, state badges, the session line, and the pinned message. */
export class RoomHeader {
  readonly heading = h('h2', { tabindex: -1 }, t('Group room'));
  readonly pinned = h('div', { class: 'pinned', hidden: true });
  private readonly about = h('p', { class: 'muted-text' });
  private readonly badges = h('p', { class: 'badges' });
  /** "Session open until …" / "Next session …", from group:state; not a live region (the countdown ticks). */
  private readonly sessionLine = h('p', { class: 'schedule-line', hidden: true });
  private tick = 0;

  constructor(private readonly find: (messageId: string) => Message | undefined) {}

  /** The heading block (the pinned message is placed separately, above the messages). */
  block(back: HTMLElement): HTMLElement {
    return h('div', { class: 'room-head' }, back, this.heading, this.about, this.badges, this.sessionLine);
  }

  dispose(): void {
    window.clearTimeout(this.tick);
  }

  render(group: Group | undefined, state: GroupState | undefined): void {
    if (group) {
      this.heading.textContent = group.name;
      this.about.textContent = [group.description, group.schedule].filter(Boolean).join(' · ');
    }
    if (!state) return;
    replace(
      this.badges,
      !state.sessionOpen ? h('span', { class: 'badge warn' }, t('Session closed')) : null,
      state.locked ? h('span', { class: 'badge' }, t('Locked')) : null,
      state.slowModeSec ? h('span', { class: 'badge' }, t('Slow mode: {n} s', { n: state.slowModeSec })) : null,
    );
    this.renderSession(state);
    this.renderPinned(state.pinnedMessageId);
  }

  private renderSession(state: GroupState): void {
    window.clearTimeout(this.tick);
    const line = scheduleLine(state, Date.now());
    this.sessionLine.hidden = !line;
    this.sessionLine.textContent = line?.text ?? '';
    if (line?.countdown) this.tick = window.setTimeout(() => this.renderSession(state), COUNTDOWN_TICK_MS);
  }

  renderPinned(id: string | null): void {
    this.pinned.hidden = !id;
    if (!id) return;
    const m = this.find(id);
    replace(
      this.pinned,
      h('span', { class: 'pin-label' }, '📌 ', t('Pinned')),
      ' ',
      m
        ? h('span', null, h('strong', null, m.sender.name), ': ', m.deleted ? t('This message was removed.') : m.text)
        : h('span', null, t('A message further back is pinned.')),
    );
  }
}
