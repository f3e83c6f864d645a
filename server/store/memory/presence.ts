import type { Presence } from '../ports.js';
import type { Connection } from '../store.js';
import { getOrCreate } from './util.js';

/** Connections in this process: user id → connection id → expiry (epoch ms). */
export class MemoryPresence implements Presence {
  private readonly presence = new Map<string, Map<string, number>>();

  async connectionUp(conn: Connection, ttlMs: number): Promise<boolean> {
    // live() first: it drops the user's map when nothing is left in it, so a map taken before
    // would be detached and the connection recorded nowhere.
    const wasOnline = this.live(conn.userId) > 0;
    getOrCreate(this.presence, conn.userId, () => new Map()).set(conn.connId, Date.now() + ttlMs);
    return !wasOnline;
  }

  async connectionDown(conn: Connection): Promise<boolean> {
    this.presence.get(conn.userId)?.delete(conn.connId);
    return this.live(conn.userId) === 0;
  }

  async refreshConnections(conns: Connection[], ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    for (const c of conns) getOrCreate(this.presence, c.userId, () => new Map()).set(c.connId, until);
  }

  async sweepConnections(now: number): Promise<string[]> {
    const offline: string[] = [];
    for (const [userId, conns] of this.presence) {
      let expired = false;
      for (const [id, until] of conns) {
        if (until <= now) {
          conns.delete(id);
          expired = true;
        }
      }
      if (expired && conns.size === 0) {
        this.presence.delete(userId);
        offline.push(userId);
      }
    }
    return offline;
  }

  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    return new Set(userIds.filter((u) => this.live(u) > 0));
  }

  private live(userId: string): number {
    const conns = this.presence.get(userId);
    if (!conns) return 0;
    const now = Date.now();
    for (const [id, until] of conns) if (until <= now) conns.delete(id);
    if (!conns.size) this.presence.delete(userId);
    return conns.size;
  }
}
