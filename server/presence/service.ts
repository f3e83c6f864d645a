import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import type { Logger } from '../logger.js';
import type { Connection } from '../store/store.js';
import type { Stores } from '../store/ports.js';
import { repeat } from '../repeat.js';

export type PresenceOptions = {
  /**
   * How long a connection counts as live without a refresh from its node. A node refreshes its
   * own every ttl/3 and sweeps everyone's expired ones as often, so the users of a node that
   * died go offline for everyone within ttl + ttl/3.
   */
  ttlMs: number;
};

/**
 * Presence per user, not per socket: a user is online while any of their connections, on any
 * node, is live. Announced in the rooms of the user's groups (with the name and role the group
 * knows) and to their active partners.
 */
export class PresenceService {
  private readonly local = new Map<string, Connection>();
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'groups' | 'partners' | 'presence'>,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    private readonly options: PresenceOptions,
    /** Runs once (on one node) when a user's last connection closed or expired (the waiting room forgets them); must not throw. */
    private readonly wentOffline: (userId: string) => Promise<void> = async () => {},
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.tick(), Math.max(100, Math.floor(this.options.ttlMs / 3)));
  }

  stop(): void {
    this.stopTimer();
  }

  async connected(user: Identity, connId: string): Promise<void> {
    const conn = { userId: user.id, connId };
    this.local.set(connId, conn);
    if (await this.store.presence.connectionUp(conn, this.options.ttlMs)) await this.announce(user.id, true);
  }

  async disconnected(user: Identity, connId: string): Promise<void> {
    this.local.delete(connId);
    if (await this.store.presence.connectionDown({ userId: user.id, connId })) await this.announce(user.id, false);
  }

  private async tick(): Promise<void> {
    try {
      await this.store.presence.refreshConnections([...this.local.values()], this.options.ttlMs);
      const offline = await this.store.presence.sweepConnections(Date.now());
      if (offline.length) this.log.info({ users: offline.length }, 'connections of a stopped node expired');
      await Promise.all(offline.map((userId) => this.announce(userId, false)));
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'presence refresh failed');
    }
  }

  private async announce(userId: string, online: boolean): Promise<void> {
    if (!online) await this.wentOffline(userId);
    const [groupIds, partnerships] = await Promise.all([this.store.groups.groupIdsOf(userId), this.store.partners.partnershipsOf(userId)]);
    const enrolments = await Promise.all(groupIds.map((groupId) => this.store.groups.enrolment(groupId, userId)));
    groupIds.forEach((groupId, i) => {
      const e = enrolments[i];
      if (e) this.broadcast.toGroup(groupId, 'group:presence', { groupId, user: { id: userId, name: e.name, role: e.role }, online });
    });
    for (const p of partnerships) {
      if (p.status !== 'active') continue;
      const partner = p.users[0].id === userId ? p.users[1].id : p.users[0].id;
      this.broadcast.toUser(partner, 'partner:presence', { partnershipId: p.id, userId, online });
    }
  }
}
