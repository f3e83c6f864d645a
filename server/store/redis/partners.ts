import type { Invite, Partnership } from '../../../shared/index.js';
import type { Partners } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { InviteSettlement } from '../store.js';
import { withScripts, type RedisBase } from './base.js';
import * as lua from './partners-scripts.js';

type Scripts = {
  bridgeCreatePartnership(
    pair: string,
    activeA: string,
    activeB: string,
    data: string,
    listA: string,
    listB: string,
    all: string,
    id: string,
    json: string,
    limit: number,
  ): Promise<'created' | 'exists' | 'limit'>;
  bridgeEndPartnership(
    data: string,
    pair: string,
    activeA: string,
    activeB: string,
    id: string,
    by: string,
    at: number,
  ): Promise<string | null>;
  bridgeCreateInvite(pair: string, data: string, fromSet: string, toSet: string, id: string, json: string): Promise<'created' | 'exists'>;
  bridgeSettleInvite(data: string, pair: string, fromSet: string, toSet: string, id: string, status: string): Promise<string | null>;
  bridgeMarkRead(reads: string, userId: string, seq: number): Promise<number>;
};

/** Partnerships and invites in Redis, in the partner directory (`{pd}`); read marks beside each partnership's log. */
export class RedisPartners implements Partners {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeCreatePartnership: [7, lua.CREATE_PARTNERSHIP],
      bridgeEndPartnership: [4, lua.END_PARTNERSHIP],
      bridgeCreateInvite: [4, lua.CREATE_INVITE],
      bridgeSettleInvite: [4, lua.SETTLE_INVITE],
      bridgeMarkRead: [1, lua.MARK_READ],
    });
  }

  async createPartnership(p: Partnership, limit: number): Promise<'created' | 'exists' | 'limit'> {
    const [a, b] = [p.users[0].id, p.users[1].id];
    const k = this.base.k;
    return this.redis.bridgeCreatePartnership(
      k.activePair(a, b),
      k.userActivePartnerships(a),
      k.userActivePartnerships(b),
      k.partnership(p.id),
      k.userPartnerships(a),
      k.userPartnerships(b),
      k.allPartnerships(),
      p.id,
      this.base.crypto.stringify('partnership', p),
      limit,
    );
  }

  async partnership(partnershipId: string): Promise<Partnership | null> {
    const raw = await this.redis.get(this.base.k.partnership(partnershipId));
    return raw ? this.base.crypto.parse<Partnership>('partnership', raw) : null;
  }

  async partnershipsOf(userId: string): Promise<Partnership[]> {
    const ids = await this.redis.lrange(this.base.k.userPartnerships(userId), 0, -1);
    if (!ids.length) return [];
    const rows = await this.redis.mget(ids.map((id) => this.base.k.partnership(id)));
    return rows.flatMap((raw) => (raw ? [this.base.crypto.parse<Partnership>('partnership', raw)] : []));
  }

  async activePartnershipBetween(a: string, b: string): Promise<Partnership | null> {
    const id = await this.redis.get(this.base.k.activePair(a, b));
    return id ? this.partnership(id) : null;
  }

  async endPartnership(partnershipId: string, by: string, at: number): Promise<Partnership | null> {
    const p = await this.partnership(partnershipId);
    if (!p) return null;
    const [a, b] = [p.users[0].id, p.users[1].id];
    const k = this.base.k;
    const raw = await this.redis.bridgeEndPartnership(
      k.partnership(partnershipId),
      k.activePair(a, b),
      k.userActivePartnerships(a),
      k.userActivePartnerships(b),
      partnershipId,
      by,
      at,
    );
    return raw ? this.base.crypto.parse<Partnership>('partnership', raw) : null;
  }

  async createInvite(invite: Invite): Promise<'created' | 'exists'> {
    const k = this.base.k;
    return this.redis.bridgeCreateInvite(
      k.pendingInvitePair(invite.from.id, invite.to.id),
      k.invite(invite.id),
      k.userInvites(invite.from.id),
      k.userInvites(invite.to.id),
      invite.id,
      this.base.crypto.stringify('invite', invite),
    );
  }

  async invite(inviteId: string): Promise<Invite | null> {
    const raw = await this.redis.get(this.base.k.invite(inviteId));
    return raw ? this.base.crypto.parse<Invite>('invite', raw) : null;
  }

  async pendingInvitesOf(userId: string): Promise<Invite[]> {
    const ids = await this.redis.smembers(this.base.k.userInvites(userId));
    if (!ids.length) return [];
    const rows = await this.redis.mget(ids.map((id) => this.base.k.invite(id)));
    return rows
      .flatMap((raw) => (raw ? [this.base.crypto.parse<Invite>('invite', raw)] : []))
      .filter((i) => i.status === 'pending')
      .sort((x, y) => x.createdAt - y.createdAt);
  }

  async settleInvite(inviteId: string, status: InviteSettlement): Promise<Invite | null> {
    const invite = await this.invite(inviteId);
    if (!invite) return null;
    const k = this.base.k;
    const raw = await this.redis.bridgeSettleInvite(
      k.invite(inviteId),
      k.pendingInvitePair(invite.from.id, invite.to.id),
      k.userInvites(invite.from.id),
      k.userInvites(invite.to.id),
      inviteId,
      status,
    );
    return raw ? this.base.crypto.parse<Invite>('invite', raw) : null;
  }

  async markRead(partnershipId: string, userId: string, seq: number): Promise<number> {
    return this.redis.bridgeMarkRead(this.base.k.reads(partnershipId), userId, seq);
  }

  async readMarks(partnershipId: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.base.k.reads(partnershipId));
    return Object.fromEntries(Object.entries(raw).map(([u, s]) => [u, Number(s)]));
  }
}
