import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import type { Logger } from '../logger.js';
import type { Connection, Store } from '../store/store.js';

export type PresenceOptions = {
  /** How long a connection counts as live without a refresh (a dead node's users expire after this). */
  ttlMs: number;
};

/**
 * Presence per user, not per socket: a user is online while any of their connections, on any
 * node, is live. Connections expire unless this node refreshes them.
 */
export class PresenceService {
  private readonly local = new Map<string, Connection>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    private readonly options: PresenceOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.store.refreshConnections([...this.local.values()], this.options.ttlMs).catch((err: unknown) => {
        this.log.warn({ err: String(err) }, 'presence refresh failed');
      });
    }, Math.max(100, Math.floor(this.options.ttlMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async connected(user: Identity, connId: string): Promise<void> {
    const conn = { userId: user.id, connId };
    this.local.set(connId, conn);
    if (await this.store.connectionUp(conn, this.options.ttlMs)) await this.announce(user, true);
  }

  async disconnected(user: Identity, connId: string): Promise<void> {
    this.local.delete(connId);
    if (await this.store.connectionDown({ userId: user.id, connId })) await this.announce(user, false);
  }

  /** To the rooms of the user's groups and to their active partners. */
  private async announce(user: Identity, online: boolean): Promise<void> {
    const [groupIds, partnerships] = await Promise.all([this.store.groupIdsOf(user.id), this.store.partnershipsOf(user.id)]);
    const ref = { id: user.id, name: user.name, role: user.role };
    for (const groupId of groupIds) this.broadcast.toGroup(groupId, 'group:presence', { groupId, user: ref, online });
    for (const p of partnerships) {
      if (p.status !== 'active') continue;
      const partner = p.users[0].id === user.id ? p.users[1].id : p.users[0].id;
      this.broadcast.toUser(partner, 'partner:presence', { partnershipId: p.id, userId: user.id, online });
    }
  }
}
