import type { Redis } from 'ioredis';
import type { Conversation, Enrolment, Message, UserRef } from '../../../shared/index.js';
import { refusalFromReply } from '../../admission.js';
import type { Limits, RoomAdmission } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import {
  idempotencyKey,
  newEpoch,
  type AppendResult,
  type GroupSend,
  type JoinAdmission,
  type JoinRefusal,
  type JoinWaiting,
  type SendRefusal,
} from '../store.js';
import * as lua from './admission-scripts.js';
import { withScripts, type RedisBase } from './base.js';
import { HotScript } from './hot-script.js';
import { muteFrom } from './moderation.js';

type Reply = [string, (string | number)?, (string | number)?];
type Scripts = {
  /** Sixteen keys on one Redis server, the last the send budget; fifteen on a Cluster (its budget is taken first). */
  bridgeSendToGroup(...keysThenArgs: (string | number | Buffer)[]): Promise<Reply>;
  bridgeSendToGroupInCluster(...keysThenArgs: (string | number | Buffer)[]): Promise<Reply>;
  bridgeJoinGroup(
    members: string,
    bans: string,
    state: string,
    mutes: string,
    attending: string,
    windows: string,
    agreement: string,
    accepts: string,
    joins: string,
    waiting: string,
    userId: string,
    admin: string,
    now: number,
  ): Promise<['admitted', string, string] | ['waits', string, 0 | 1] | [string, (string | number)?]>;
};

/**
 * Sends and joins judged by admission's rules in Redis: each one script over the group's keys
 * (and for a send, its log's), one round trip.
 */
export class RedisAdmission implements RoomAdmission {
  private readonly redis: RedisClient & Scripts;
  /** A group send on one Redis server; a Cluster's goes through the defined command, which routes by slot. */
  private readonly send: HotScript | undefined;

  constructor(
    private readonly base: RedisBase,
    /** On a Redis Cluster the send budget sits in another slot than a group's keys: taken here first. */
    private readonly limits: Limits,
  ) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeSendToGroup: [16, lua.SEND_TO_GROUP],
      bridgeSendToGroupInCluster: [15, lua.SEND_TO_GROUP],
      bridgeJoinGroup: [10, lua.JOIN_GROUP],
    });
    this.send = base.cluster
      ? undefined
      : new HotScript(base.client as Redis, lua.SEND_TO_GROUP, 16, (...args) => this.redis.bridgeSendToGroup(...args));
  }

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const { k, cluster } = this.base;
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    const field = rest.clientMsgId === undefined ? '' : idempotencyKey(sender.id, rest.clientMsgId);
    const keys = [
      k.members(groupId),
      k.bans(groupId),
      k.mutes(groupId),
      k.state(groupId),
      k.sendSlot(groupId, sender.id),
      k.seq(c),
      k.log(c),
      k.ids(c),
      k.clientIds(c),
      k.epoch(c),
      k.attending(groupId),
      k.sessionWindows(groupId),
      k.agreement(groupId),
      k.agreementAccepts(groupId),
      k.agreementJoins(groupId),
    ];
    // One Redis server: the budget is one more key of the script. A Cluster keeps it in another
    // slot, so it is taken first, by the same arithmetic (a resend then costs a point too).
    let flood = 'take';
    if (cluster) flood = String(await this.limits.rateLimiter('send', send.flood)(sender.id));
    else keys.push(k.budget('send', sender.id));
    // Sealed here, before the script splices the JSON: the script never sees the free text.
    const { sender: sealedSender, ...sealed } = this.base.crypto.sealRecord('message', { ...rest, conversation: c, sender });
    const body = JSON.stringify(sealed).slice(1, -1);
    const senderUpToRole = `${JSON.stringify(sealedSender).slice(0, -1)},"role":"`;
    const keysThenArgs = [
      ...keys,
      sender.id,
      send.admin ? '1' : '0',
      field,
      rest.id,
      body,
      senderUpToRole,
      newEpoch(),
      flood,
      send.flood.points,
      send.flood.durationSec * 1000,
      send.now,
      ...(send.announce ? [send.announce.channel, ...send.announce.parts] : ['', '', '', '']),
    ];
    const [outcome, a, b] = (await (this.send
      ? this.send.call(keysThenArgs)
      : this.redis.bridgeSendToGroupInCluster(...keysThenArgs))) as Reply;
    if (outcome === 'sent') {
      const message: Message = { seq: Number(a), ...rest, conversation: c, sender: { ...sender, role: b as UserRef['role'] } };
      return { message, duplicate: false, announced: send.announce !== undefined };
    }
    if (outcome === 'duplicate') return { message: this.base.crypto.parse<Message>('message', String(a)), duplicate: true };
    return refusalFromReply([outcome, a, b]);
  }

  async joinGroup(
    groupId: string,
    join: { userId: string; admin: boolean; now: number },
  ): Promise<JoinAdmission | JoinRefusal | JoinWaiting> {
    const k = this.base.k;
    const reply = await this.redis.bridgeJoinGroup(
      k.members(groupId),
      k.bans(groupId),
      k.state(groupId),
      k.mutes(groupId),
      k.attending(groupId),
      k.sessionWindows(groupId),
      k.agreement(groupId),
      k.agreementAccepts(groupId),
      k.agreementJoins(groupId),
      k.waiting(groupId),
      join.userId,
      join.admin ? '1' : '0',
      join.now,
    );
    if (reply[0] === 'waits') return { waiting: { since: Number(reply[1]) }, knocked: reply[2] === 1 };
    if (reply[0] !== 'admitted') return refusalFromReply(reply) as JoinRefusal;
    const [, enrolment, mute] = reply as ['admitted', string, string];
    return {
      enrolment: enrolment ? this.base.crypto.parse<Enrolment>('enrolment', enrolment) : null,
      mute: muteFrom(mute || null, join.now),
    };
  }
}
