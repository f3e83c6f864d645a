import { PRESENCE_SHARDS, presenceShard } from '../keys.js';
import type { Presence } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { Connection } from '../store.js';
import { withScripts, type RedisBase } from './base.js';
import * as lua from './presence-scripts.js';

type Scripts = {
  bridgeConnectionUp(key: string, all: string, now: number, ttl: number, connId: string, entry: string): Promise<number>;
  bridgeConnectionDown(key: string, all: string, now: number, connId: string, entry: string): Promise<number>;
  bridgeSweepConnections(all: string, now: number, presencePrefix: string, limit: number): Promise<string[]>;
};

const SWEEP_BATCH = 500;
/** Connections refreshed by one script: a node's whole shard at once would hold Redis too long. */
const REFRESH_BATCH = 250;

/** A connection's entry in the every-node index: user ids never contain a newline. */
function entryOf(conn: Connection): string {
  return `${conn.userId}\n${conn.connId}`;
}

/** Connections in Redis, spread over the presence shards (keys.ts). */
export class RedisPresence implements Presence {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeConnectionUp: [2, lua.CONNECTION_UP],
      bridgeConnectionDown: [2, lua.CONNECTION_DOWN],
      bridgeSweepConnections: [1, lua.SWEEP_CONNECTIONS],
    });
  }

  async connectionUp(conn: Connection, ttlMs: number): Promise<boolean> {
    return (
      (await this.redis.bridgeConnectionUp(
        this.base.k.presence(conn.userId),
        this.connectionsOf(conn),
        Date.now(),
        ttlMs,
        conn.connId,
        entryOf(conn),
      )) === 1
    );
  }

  async connectionDown(conn: Connection): Promise<boolean> {
    return (
      (await this.redis.bridgeConnectionDown(
        this.base.k.presence(conn.userId),
        this.connectionsOf(conn),
        Date.now(),
        conn.connId,
        entryOf(conn),
      )) === 1
    );
  }

  async refreshConnections(conns: Connection[], ttlMs: number): Promise<void> {
    if (!conns.length) return;
    const now = Date.now();
    const k = this.base.k;
    // One script per presence shard and batch, not per connection: 3,000 connections were 3,000
    // scripts every ttl/3, about 70 ms of a node's CPU in one go. EVAL rather than a defined
    // command: its key count varies, and ioredis routes EVAL on a Cluster by its first key.
    const byShard = new Map<number, Connection[]>();
    for (const c of conns) {
      const shard = presenceShard(c.userId);
      const list = byShard.get(shard);
      if (list) list.push(c);
      else byShard.set(shard, [c]);
    }
    const scripts: Promise<unknown>[] = [];
    for (const [shard, all] of byShard) {
      for (let i = 0; i < all.length; i += REFRESH_BATCH) {
        const batch = all.slice(i, i + REFRESH_BATCH);
        scripts.push(
          this.redis.eval(
            lua.REFRESH_CONNECTIONS,
            1 + batch.length,
            k.connections(shard),
            ...batch.map((c) => k.presence(c.userId)),
            now,
            ttlMs,
            ...batch.flatMap((c) => [c.connId, entryOf(c)]),
          ),
        );
      }
    }
    await Promise.all(scripts);
  }

  async sweepConnections(now: number): Promise<string[]> {
    const shards = await Promise.all(Array.from({ length: PRESENCE_SHARDS }, (_, shard) => this.sweepShard(shard, now)));
    return [...new Set(shards.flat())];
  }

  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    const now = Date.now();
    const counts = await Promise.all(userIds.map((u) => this.redis.zcount(this.base.k.presence(u), `(${now}`, '+inf')));
    return new Set(userIds.filter((_, i) => counts[i]! > 0));
  }

  private async sweepShard(shard: number, now: number): Promise<string[]> {
    const offline: string[] = [];
    // In batches, so a node that held thousands of connections does not block Redis in one script.
    for (;;) {
      const batch = await this.redis.bridgeSweepConnections(
        this.base.k.connections(shard),
        now,
        this.base.k.presencePrefix(shard),
        SWEEP_BATCH,
      );
      offline.push(...batch);
      if (batch.length < SWEEP_BATCH) return offline;
    }
  }

  private connectionsOf(conn: Connection): string {
    return this.base.k.connections(presenceShard(conn.userId));
  }
}
