import type { Group, GroupState, Message } from '../../../shared/index.js';
import { h, replace } from '../dom.js';

/** The top of a room: name, description and schedule, state badges, and the pinned message. */
export class RoomHeader {
  readonly heading = h('h2', { tabindex: -1 }, 'Group room');
  readonly pinned = h('div', { class: 'pinned', hidden: true });
  private readonly about = h('p', { class: 'muted-text' });
  private readonly badges = h('p', { class: 'badges' });

  constructor(private readonly find: (messageId: string) => Message | undefined) {}

  /** The heading block (the pinned message is placed separately, above the messages). */
  block(back: HTMLElement): HTMLElement {
    return h('div', { class: 'room-head' }, back, this.heading, this.about, this.badges);
  }

  render(group: Group | undefined, state: GroupState | undefined): void {
    if (group) {
      this.heading.textContent = group.name;
      this.about.textContent = [group.description, group.schedule].filter(Boolean).join(' · ');
    }
    if (!state) return;
    replace(
      this.badges,
      !state.sessionOpen ? h('span', { class: 'badge warn' }, 'Session closed') : null,
      state.locked ? h('span', { class: 'badge' }, 'Locked') : null,
      state.slowModeSec ? h('span', { class: 'badge' }, `Slow mode: ${state.slowModeSec} s`) : null,
    );
    this.renderPinned(state.pinnedMessageId);
  }

  renderPinned(id: string | null): void {
    this.pinned.hidden = !id;
    if (!id) return;
    const m = this.find(id);
    replace(
      this.pinned,
      h('span', { class: 'pin-label' }, '📌 Pinned'),
      ' ',
      m
        ? h('span', null, h('strong', null, m.sender.name), ': ', m.deleted ? 'This message was removed.' : m.text)
        : h('span', null, 'A message further back is pinned.'),
    );
  }
}
