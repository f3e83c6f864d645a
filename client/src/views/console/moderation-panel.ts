import type { BannedPerson, MutedPerson } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, nextId, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import { refocus } from './focus.js';

/**
 * Who is muted (until when) and who is banned in a group, whoever set it, as the server has it
 * now (GET …/moderation), with Unmute and Unban (the same mod:* events as the room's).
 */
export class ModerationPanel {
  readonly el: HTMLElement;
  private readonly mutes = h('div');
  private readonly bans = h('div');
  private readonly status = h('p', { class: 'flash', role: 'status' });
  private readonly heading: HTMLHeadingElement;

  constructor(
    private readonly ctx: AppContext,
    private readonly groupId: string,
  ) {
    const id = nextId('moderation');
    this.heading = h('h4', { id, tabindex: -1 }, 'Mutes and bans');
    this.el = h(
      'section',
      { class: 'panel console-moderation', 'aria-labelledby': id },
      this.heading,
      h('h5', null, 'Muted'),
      this.mutes,
      h('h5', null, 'Banned'),
      this.bans,
      h('button', { type: 'button', onclick: () => void this.load() }, 'Refresh'),
      this.status,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/moderation', { params: { groupId: this.groupId } });
    if (!res.ok) {
      this.status.textContent = `Could not load mutes and bans: ${describeError(res.error)}`;
      return;
    }
    const { mutes, bans } = res.data;
    replace(
      this.mutes,
      mutes.length
        ? h(
            'ul',
            { class: 'console-list' },
            ...mutes.map((m) =>
              this.row(m, mutedUntil(m), this.mayUnmute(m) ? ['Unmute', () => this.lift('mod:unmute', m, 'unmuted')] : null),
            ),
          )
        : h('p', { class: 'muted-text' }, 'No one is muted.'),
    );
    replace(
      this.bans,
      bans.length
        ? h('ul', { class: 'console-list' }, ...bans.map((b) => this.row(b, null, ['Unban', () => this.lift('mod:unban', b, 'unbanned')])))
        : h('p', { class: 'muted-text' }, 'No one is banned.'),
    );
    refocus(this.heading);
  }

  /** A facilitator's mute is an admin's to lift (the server refuses anyone else). */
  private mayUnmute(m: MutedPerson): boolean {
    return this.ctx.me.role === 'admin' || m.role !== 'facilitator';
  }

  /** One person, and the button that lifts their mute or ban (`action`), or why there is none. */
  private row(p: BannedPerson, detail: string | null, action: [label: string, act: () => Promise<void>] | null): HTMLElement {
    return h(
      'li',
      { class: 'console-row' },
      h('span', { class: 'console-who' }, h('strong', null, p.name), detail ? h('span', { class: 'muted-text' }, ` ${detail}`) : null),
      action
        ? h('button', { type: 'button', onclick: () => void action[1]() }, action[0], h('span', { class: 'sr-only' }, ` ${p.name}`))
        : h('span', { class: 'muted-text' }, 'Only an admin unmutes a facilitator.'),
    );
  }

  private async lift(event: 'mod:unmute' | 'mod:unban', p: BannedPerson, done: string): Promise<void> {
    const res = await this.ctx.conn.request(event, { groupId: this.groupId, userId: p.userId });
    this.status.textContent = res.ok ? `${p.name} is ${done}.` : describeError(res.error);
    await this.load();
  }
}

const mutedUntil = (m: MutedPerson) => (m.until === null ? 'until a facilitator unmutes them' : `until ${formatTime(m.until)}`);
