import type { GroupState, Member, Message, PayloadIn, WaitingPerson } from '../../../shared/index.js';
import type { AppContext } from '../context.js';
import { describeError } from '../errors.js';
import { announce, h } from '../dom.js';
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
      session: (open) => void this.moderate('mod:session', { groupId, open }, open ? 'Session opened.' : 'Session closed.'),
      lock: (locked) => void this.moderate('mod:lock', { groupId, locked }, locked ? 'Room locked.' : 'Room unlocked.'),
      slowMode: (seconds) =>
        void this.moderate(
          'mod:slowmode',
          { groupId, seconds },
          seconds ? `Slow mode: one message every ${seconds} s.` : 'Slow mode is off.',
        ),
      quiet: (quiet) =>
        void this.moderate(
          'mod:quiet',
          { groupId, quiet },
          quiet ? 'Partner chat between members in the session now waits until it ends.' : 'Partner chat goes through again.',
        ),
      lowerHand: (userId) => void this.moderate('mod:lowerHand', { groupId, userId }, 'Hand lowered.'),
      waitingRoom: (on) =>
        void this.moderate(
          'mod:waitingroom',
          { groupId, waitingRoom: on },
          on ? 'Waiting room on: people wait until you let them in.' : 'Waiting room off: everyone waiting was let in.',
        ),
      admit: (p) => void this.moderate('mod:admit', { groupId, userId: p.userId }, `${p.name} was let in.`),
      admitAll: () => void this.moderate('mod:admit', { groupId, all: true }, 'Everyone waiting was let in.'),
      turnAway: (p) => void this.moderate('mod:turn-away', { groupId, userId: p.userId }, `${p.name} was turned away.`),
      attendance: () => room.ctx.go({ to: 'attendance', groupId }),
    });
    this.alerts = new AlertsPanel(room.ctx, groupId, (id) => room.members().get(id)?.name ?? 'a member', room.jumpTo);
    this.agreement = new AgreementEditor(room.ctx, groupId, room.members);
    this.checkinRules = new CheckinRulesPanel(room.ctx, groupId);
    this.schedule = new ScheduleEditor({
      ctx: room.ctx,
      groupId,
      flash: room.flash,
      closeNow: () => void this.moderate('mod:session', { groupId, open: false }, 'Session closed.'),
    });
    void this.schedule.load();
  }

  /** A member's 14-day check-in trend, or why it cannot be shown (they do not share it with staff). */
  private async checkins(m: Member): Promise<HTMLElement> {
    const res = await this.room.ctx.call('GET /api/groups/:groupId/members/:userId/checkins', {
      params: { groupId: this.room.groupId, userId: m.id },
    });
    if (res.ok) return checkinTrendTable(m.name, res.data.days);
    return h('p', null, res.error.code === 'FORBIDDEN' ? `${m.name} does not share check-ins with staff.` : describeError(res.error));
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
    if (arrived.length === 1) announce(`${arrived[0]!.name} is waiting to be let in.`);
    else if (arrived.length > 1) announce(`${arrived.length} people are waiting to be let in.`);
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
      lowerHand: (m) => void this.moderate('mod:lowerHand', { groupId, userId: m.id }, `${m.name}'s hand is lowered.`),
      remove: (m) =>
        void this.moderateIfConfirmed(
          [
            `Remove ${m.name} from the room?`,
            'They leave the room now, in every tab. They can come back in unless the room is locked.',
            'Remove',
          ],
          'mod:remove',
          { groupId, userId: m.id },
          `${m.name} was removed from the room.`,
        ),
      ban: (m) =>
        void this.moderateIfConfirmed(
          [`Ban ${m.name} from this group?`, 'They are removed now and cannot rejoin until a facilitator unbans them.', 'Ban'],
          'mod:ban',
          { groupId, userId: m.id },
          `${m.name} is banned from this group.`,
        ),
    };
  }

  messageHandlers(): Pick<MessageActionHandlers, 'remove' | 'pin' | 'pinnedId'> {
    const { groupId } = this.room;
    return {
      remove: (m: Message) =>
        void this.moderateIfConfirmed(
          [
            'Delete this message?',
            `The message from ${m.sender.name} will be removed for everyone, and its text erased. This cannot be undone.`,
            'Delete message',
          ],
          'mod:delete',
          { groupId, messageId: m.id },
          'Message deleted.',
        ),
      pin: (m: Message) => {
        const unpin = this.room.state()?.pinnedMessageId === m.id;
        void this.moderate('mod:pin', { groupId, messageId: unpin ? null : m.id }, unpin ? 'Message unpinned.' : 'Message pinned.');
      },
      pinnedId: () => this.room.state()?.pinnedMessageId ?? null,
    };
  }

  private async mute(m: Member, minutes: number | undefined): Promise<void> {
    const { groupId } = this.room;
    if (await this.moderate('mod:mute', minutes ? { groupId, userId: m.id, minutes } : { groupId, userId: m.id }, `${m.name} is muted.`)) {
      this.mutedHere.add(m.id);
      this.room.membersChanged();
    }
  }

  private async unmute(m: Member): Promise<void> {
    if (await this.moderate('mod:unmute', { groupId: this.room.groupId, userId: m.id }, `${m.name} is unmuted.`)) {
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
