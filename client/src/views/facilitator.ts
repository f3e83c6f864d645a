import type { GroupState, Member, Message, PayloadIn, WaitingPerson } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { describeError } from '../errors.js';
import { announce, h } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { AgreementEditor } from './agreement-editor.js';
import { AlertsPanel } from './alerts.js';
import { CheckinRulesPanel } from './checkin-rules.js';
import { checkinTrendTable } from './checkin-trend.js';
import { confirmAction } from './dialogs.js';
import type { MemberControls } from './members.js';
import type { MessageActionHandlers } from './message-actions.js';
import { RoomControls } from './room-controls.js';
import { ScheduleEditor } from './schedule-editor.js';

type ModEvent =
  | 'mod:delete'
  | 'mod:pin'
  | 'mod:mute'
  | 'mod:unmute'
  | 'mod:remove'
  | 'mod:ban'
  | 'mod:lowerHand'
  | 'mod:lock'
  | 'mod:slowmode'
  | 'mod:session'
  | 'mod:waitingroom'
  | 'mod:admit'
  | 'mod:turn-away'
  | 'mod:quiet';

/** What the facilitator tools need from the room they sit in. */
export type RoomAccess = {
  ctx: AppContext;
  groupId: string;
  members: () => ReadonlyMap<string, Member>;
  state: () => GroupState | undefined;
  flash: (text: string) => void;
  membersChanged: () => void;
  jumpTo: (messageId: string) => void;
};

/**
 * A facilitator's side of a room: per-member and per-message moderation (destructive ones ask
 * first), the room controls, the alerts panel, the group's agreement and its check-in alert
 * settings. The server decides; this only asks and says what happened.
 */
export class FacilitatorTools {
  readonly controls: RoomControls;
  readonly alerts: AlertsPanel;
  readonly agreement: AgreementEditor;
  readonly checkinRules: CheckinRulesPanel;
  readonly schedule: ScheduleEditor;
  /** members I muted from this page (the member list does not carry mutes) */
  readonly mutedHere = new Set<string>();
  /** who waits to be let in (§5.7), longest first, as the server last said */
  private waiting: WaitingPerson[] = [];

  constructor(private readonly room: RoomAccess) {
    const { groupId } = room;
    this.controls = new RoomControls({
      session: (open) => void this.moderate('mod:session', { groupId, open }, open ? t('Session opened.') : t('Session closed.')),
      lock: (locked) => void this.moderate('mod:lock', { groupId, locked }, locked ? t('Room locked.') : t('Room unlocked.')),
      slowMode: (seconds) =>
        void this.moderate(
          'mod:slowmode',
          { groupId, seconds },
          seconds ? t('Slow mode: one message every {n} s.', { n: seconds }) : t('Slow mode is off.'),
        ),
      quiet: (quiet) =>
        void this.moderate(
          'mod:quiet',
          { groupId, quiet },
          quiet ? t('Partner chat between members in the session now waits until it ends.') : t('Partner chat goes through again.'),
        ),
      lowerHand: (userId) => void this.moderate('mod:lowerHand', { groupId, userId }, t('Hand lowered.')),
      waitingRoom: (on) =>
        void this.moderate(
          'mod:waitingroom',
          { groupId, waitingRoom: on },
          on ? t('Waiting room on: people wait until you let them in.') : t('Waiting room off: everyone waiting was let in.'),
        ),
      admit: (p) => void this.moderate('mod:admit', { groupId, userId: p.userId }, t('{name} was let in.', { name: p.name })),
      admitAll: () => void this.moderate('mod:admit', { groupId, all: true }, t('Everyone waiting was let in.')),
      turnAway: (p) => void this.moderate('mod:turn-away', { groupId, userId: p.userId }, t('{name} was turned away.', { name: p.name })),
      attendance: () => room.ctx.go({ to: 'attendance', groupId }),
    });
    this.alerts = new AlertsPanel(room.ctx, groupId, (id) => room.members().get(id)?.name ?? t('a member'), room.jumpTo);
    this.agreement = new AgreementEditor(room.ctx, groupId, room.members);
    this.checkinRules = new CheckinRulesPanel(room.ctx, groupId);
    this.schedule = new ScheduleEditor({
      ctx: room.ctx,
      groupId,
      flash: room.flash,
      closeNow: () => void this.moderate('mod:session', { groupId, open: false }, t('Session closed.')),
    });
    void this.schedule.load();
  }

  /** A member's 14-day check-in trend, or why it cannot be shown (they do not share it with staff). */
  private async checkins(m: Member): Promise<HTMLElement> {
    const res = await this.room.ctx.call('GET /api/groups/:groupId/members/:userId/checkins', {
      params: { groupId: this.room.groupId, userId: m.id },
    });
    if (res.ok) return checkinTrendTable(m.name, res.data.days);
    return h(
      'p',
      null,
      res.error.code === 'FORBIDDEN' ? t('{name} does not share check-ins with staff.', { name: m.name }) : describeError(res.error),
    );
  }

  render(state: GroupState): void {
    this.controls.render(state, this.room.members(), this.waiting);
    this.schedule.render(state);
  }

  /** The whole list, from a join or a group:waiting; a newcomer is announced politely. */
  setWaiting(waiting: WaitingPerson[]): void {
    const known = new Set(this.waiting.map((p) => p.userId));
    const arrived = waiting.filter((p) => !known.has(p.userId));
    this.waiting = waiting;
    if (arrived.length === 1) announce(t('{name} is waiting to be let in.', { name: arrived[0]!.name }));
    else if (arrived.length > 1) announce(t('{n} people are waiting to be let in.', { n: arrived.length }));
    const state = this.room.state();
    if (state) this.render(state);
    this.room.membersChanged();
  }

  /** Someone waiting is not present in the room, whatever their connection says. */
  isWaiting(userId: string): boolean {
    return this.waiting.some((p) => p.userId === userId);
  }

  memberControls(): MemberControls {
    const { groupId } = this.room;
    return {
      mute: (m, minutes) => void this.mute(m, minutes),
      unmute: (m) => void this.unmute(m),
      checkins: (m) => this.checkins(m),
      lowerHand: (m) => void this.moderate('mod:lowerHand', { groupId, userId: m.id }, t("{name}'s hand is lowered.", { name: m.name })),
      remove: (m) =>
        void this.moderateIfConfirmed(
          [
            t('Remove {name} from the room?', { name: m.name }),
            t('They leave the room now, in every tab. They can come back in unless the room is locked.'),
            t('Remove'),
          ],
          'mod:remove',
          { groupId, userId: m.id },
          t('{name} was removed from the room.', { name: m.name }),
        ),
      ban: (m) =>
        void this.moderateIfConfirmed(
          [
            t('Ban {name} from this group?', { name: m.name }),
            t('They are removed now and cannot rejoin until a facilitator unbans them.'),
            t('Ban'),
          ],
          'mod:ban',
          { groupId, userId: m.id },
          t('{name} is banned from this group.', { name: m.name }),
        ),
    };
  }

  messageHandlers(): Pick<MessageActionHandlers, 'remove' | 'pin' | 'pinnedId'> {
    const { groupId } = this.room;
    return {
      remove: (m: Message) =>
        void this.moderateIfConfirmed(
          [
            t('Delete this message?'),
            t('The message from {name} will be removed for everyone, and its text erased. This cannot be undone.', { name: m.sender.name }),
            t('Delete message'),
          ],
          'mod:delete',
          { groupId, messageId: m.id },
          t('Message deleted.'),
        ),
      pin: (m: Message) => {
        const unpin = this.room.state()?.pinnedMessageId === m.id;
        void this.moderate('mod:pin', { groupId, messageId: unpin ? null : m.id }, unpin ? t('Message unpinned.') : t('Message pinned.'));
      },
      pinnedId: () => this.room.state()?.pinnedMessageId ?? null,
    };
  }

  private async mute(m: Member, minutes: number | undefined): Promise<void> {
    const { groupId } = this.room;
    if (
      await this.moderate(
        'mod:mute',
        minutes ? { groupId, userId: m.id, minutes } : { groupId, userId: m.id },
        t('{name} is muted.', { name: m.name }),
      )
    ) {
      this.mutedHere.add(m.id);
      this.room.membersChanged();
    }
  }

  private async unmute(m: Member): Promise<void> {
    if (await this.moderate('mod:unmute', { groupId: this.room.groupId, userId: m.id }, t('{name} is unmuted.', { name: m.name }))) {
      this.mutedHere.delete(m.id);
      this.room.membersChanged();
    }
  }

  /** A destructive action: asks the facilitator first (`question`: title, detail, button). */
  private async moderateIfConfirmed<E extends ModEvent>(
    question: [string, string, string],
    event: E,
    payload: PayloadIn<E>,
    done: string,
  ): Promise<void> {
    if (await confirmAction(...question)) await this.moderate(event, payload, done);
  }

  private async moderate<E extends ModEvent>(event: E, payload: PayloadIn<E>, done: string): Promise<boolean> {
    const res = await this.room.ctx.conn.request(event, payload);
    this.room.flash(res.ok ? done : describeError(res.error));
    return res.ok;
  }
}
