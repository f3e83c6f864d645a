import type { BannedPerson, MutedPerson } from '../../../../shared/index.js';
import type { AppContext } from '../../context.js';
import { formatTime, h, nextId, replace } from '../../dom.js';
import { describeError } from '../../errors.js';
import type { Key } from '../../i18n/en.js';
import { t } from '../../i18n/i18n.js';
import { refocus } from './focus.js';
import { place } from './place.js';

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
    this.heading = h('h4', { id, tabindex: -1 }, t('Mutes and bans'));
    this.el = h(
      'section',
      { class: 'panel console-moderation', 'aria-labelledby': id },
      this.heading,
      h('h5', null, t('Muted')),
      this.mutes,
      h('h5', null, t('Banned')),
      this.bans,
      h('button', { type: 'button', onclick: () => void this.load() }, t('Refresh')),
      this.status,
    );
    void this.load();
  }

  private async load(): Promise<void> {
    const res = await this.ctx.call('GET /api/groups/:groupId/moderation', { params: { groupId: this.groupId } });
    if (!res.ok) {
      this.status.textContent = t('Could not load mutes and bans: {error}', { error: describeError(res.error) });
      return;
    }
    const { mutes, bans } = res.data;
    replace(
      this.mutes,
      mutes.length
        ? h('ul', { class: 'console-list' }, ...mutes.map((m) => this.row(m, mutedUntil(m), this.mayUnmute(m) ? 'mod:unmute' : null)))
        : h('p', { class: 'muted-text' }, t('No one is muted.')),
    );
    replace(
      this.bans,
      bans.length
        ? h('ul', { class: 'console-list' }, ...bans.map((b) => this.row(b, null, 'mod:unban')))
        : h('p', { class: 'muted-text' }, t('No one is banned.')),
    );
    refocus(this.heading);
  }

  /** A facilitator's mute is an admin's to lift (the server refuses anyone else). */
  private mayUnmute(m: MutedPerson): boolean {
    return this.ctx.me.role === 'admin' || m.role !== 'facilitator';
  }

  /** One person, and the button that lifts their mute or ban (`lift`), or why there is none. */
  private row(p: BannedPerson, detail: string | null, lift: LiftEvent | null): HTMLElement {
    return h(
      'li',
      { class: 'console-row' },
      h('span', { class: 'console-who' }, h('strong', null, p.name), detail ? h('span', { class: 'muted-text' }, ` ${detail}`) : null),
      lift
        ? h(
            'button',
            { type: 'button', onclick: () => void this.lift(lift, p) },
            ...place(t(LIFT[lift].button), { name: h('span', { class: 'sr-only' }, p.name) }),
          )
        : h('span', { class: 'muted-text' }, t('Only an admin unmutes a facilitator.')),
    );
  }

  private async lift(event: LiftEvent, p: BannedPerson): Promise<void> {
    const res = await this.ctx.conn.request(event, { groupId: this.groupId, userId: p.userId });
    this.status.textContent = res.ok ? t(LIFT[event].done, { name: p.name }) : describeError(res.error);
    await this.load();
  }
}

const mutedUntil = (m: MutedPerson) =>
  m.until === null ? t('until a facilitator unmutes them') : t('until {time}', { time: formatTime(m.until) });

/** A lifting button's words (the person's name read out, not shown: the row shows it) and what is said once done. */
type LiftEvent = 'mod:unmute' | 'mod:unban';
const LIFT: Record<LiftEvent, { button: Key; done: Key }> = {
  'mod:unmute': { button: 'Unmute {name}', done: '{name} is unmuted.' },
  'mod:unban': { button: 'Unban {name}', done: '{name} is unbanned.' },
};
