// The two servers bench/run.ts compares, behind one Protocol (bench/generator.ts), both plain JavaScript run by plain
// `node` with the same options and preloads (serverProcess below):
//   relay   bench/relay-node.mjs in `memory` mode (one node) or `pubsub` mode (several nodes on the Redis adapter):
//           join = emit 'join' room, send = emit 'msg' (room, payload)
//   bridge  the production build's server/index.js (bench/build.ts) as real processes (memory store, or Redis under a
//           private key prefix): tokens, groups over HTTP, 'group:join', 'group:send' with clientMsgId, receive 'group:message'.
// With several nodes, client i connects to node i % nodes, so every room has members on every node.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import jwt from 'jsonwebtoken';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import type { JsonRouteKey, RouteResult } from '../shared/index.js';
import { freePort, listening, ROOT, spawnServer, type NodeProcess } from '../test/support/process.js';
import { serverBuild } from './build.js';
import { GC_HOOK, pool, type Joined, type Protocol, type Wire } from './generator.js';

const CPU_PROF_HOOK = fileURLToPath(new URL('./cpu-prof.mjs', import.meta.url));
const RELAY = fileURLToPath(new URL('./relay-node.mjs', import.meta.url));
const TEXT = 'x'.repeat(120); // a chat-sized message body
const room = (i: number, roomSize: number): number => Math.floor(i / roomSize);

function connectSocket(url: string, auth?: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000, ...(auth ? { auth } : {}) });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

/**
 * What every server process of the bench gets, relay and Bridge alike: these node options (bench/gc-hook.mjs preloaded,
 * and bench/cpu-prof.mjs with BENCH_CPU_PROF=<dir>) and this environment (NODE_ENV=production; PATH; BENCH_CPU_PROF).
 * Nothing else is inherited from the harness, which runs under tsx: its loader must not reach a server.
 */
export function serverProcess(): { nodeArgs: string[]; env: Record<string, string> } {
  const prof = process.env.BENCH_CPU_PROF;
  return {
    nodeArgs: ['--import', GC_HOOK, ...(prof ? ['--import', CPU_PROF_HOOK] : [])],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production', ...(prof ? { BENCH_CPU_PROF: prof } : {}) },
  };
}

/**
 * One relay node (bench/relay-node.mjs `args[0]` on a free port, then the rest of `args`), run by plain `node` with
 * `nodeArgs` and `env`; resolves once it listens. bench/adapters.ts starts its nodes here too, without the preloads.
 */
export async function startRelayNode(
  args: string[],
  { nodeArgs, env }: { nodeArgs: string[]; env: NodeJS.ProcessEnv } = serverProcess(),
): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = fork(RELAY, [args[0]!, String(port), ...args.slice(1)], { cwd: ROOT, execArgv: nodeArgs, env });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('relay node did not start')), 30_000);
    proc.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.once('exit', (code) => reject(new Error(`relay node exited with ${code}`)));
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

export class Relay implements Protocol {
  readonly label = 'relay';
  readonly keepsHistory = false;
  private roomSize = 12;
  private constructor(
    private readonly procs: ChildProcess[],
    private readonly urls: string[],
  ) {}

  get pids(): number[] {
    return this.procs.map((p) => p.pid!);
  }

  /** One node on the in-memory adapter, or `nodes` nodes on @socket.io/redis-adapter (pub/sub) at `redisUrl`. */
  static async start(nodes = 1, redisUrl = ''): Promise<Relay> {
    const args = nodes === 1 ? ['memory'] : ['pubsub', redisUrl, `bench:${randomBytes(6).toString('hex')}:relay`];
    const started = await Promise.all(Array.from({ length: nodes }, () => startRelayNode(args)));
    return new Relay(
      started.map((s) => s.proc),
      started.map((s) => s.url),
    );
  }

  async prepare(_n: number, roomSize: number): Promise<void> {
    this.roomSize = roomSize;
  } // a bare relay has no users, groups or history
  connect(i: number): Promise<Socket> {
    return connectSocket(this.urls[i % this.urls.length]!);
  }
  async join(socket: Socket, i: number): Promise<Joined> {
    await socket.timeout(20_000).emitWithAck('join', `room-${room(i, this.roomSize)}`);
    return { messages: 0 };
  }
  async sendWhileAway(): Promise<void> {} // nothing is kept, so there is nothing to catch up on
  send(socket: Socket, i: number, w: Wire): void {
    socket.emit('msg', `room-${room(i, this.roomSize)}`, { ...w, x: TEXT });
  }
  onMessage(socket: Socket, cb: (w: Wire) => void): void {
    socket.on('msg', cb);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (proc) => {
        if (proc.exitCode !== null) return;
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        if (!(await Promise.race([exited.then(() => true), sleep(3_000, false)]))) proc.kill('SIGKILL');
        await exited;
      }),
    );
  }
}

type Ack = { ok: boolean; error?: { code: string; message: string } };

export class Bridge implements Protocol {
  readonly label: string;
  readonly keepsHistory = true;
  private readonly tokens = new Map<number, string>();
  private facilitatorToken = '';
  private roomSize = 12;
  private nodes: NodeProcess[] = [];
  private urls: string[] = [];
  storePid: number | undefined;

  private constructor(
    readonly store: 'memory' | 'redis',
    private readonly state: BridgeState,
    label?: string,
  ) {
    this.label = label ?? `bridge-${store}`;
  }

  get pids(): number[] {
    return this.nodes.map((n) => n.child.pid!);
  }
  private get url(): string {
    return this.urls[0]!;
  }
  private get secret(): string {
    return this.state.secret;
  }
  get groups(): string[] {
    return this.state.groups;
  }

  /**
   * Starts `nodes` nodes (several only on Redis: they share it and the Socket.IO Redis adapter); `rateLimits` goes
   * to RATE_LIMITS (the bench uses budgets high enough never to refuse). With the Redis store, pass the previous
   * repetition's `state` (same secret and key prefix): groups, enrolments and history are still in Redis, so fresh
   * processes find them, as after a restart, and prepare() has nothing to redo. `root`: the checkout whose production
   * build runs (bench/build.ts; another one with bench/run.ts --baseline); `label`: the name in the table; `env`: more
   * of the node's environment (STORE_DURABILITY).
   */
  static async start(
    store: 'memory' | 'redis',
    redisUrl: string,
    rateLimits: string,
    state = newBridgeState(),
    nodes = 1,
    { root, label, env: more = {} }: { root?: string; label?: string; env?: Record<string, string> } = {},
  ): Promise<Bridge> {
    const b = new Bridge(store, state, label);
    const dir = await serverBuild(root);
    const { nodeArgs, env: common } = serverProcess();
    const env = {
      ...common,
      JWT_SECRET: state.secret,
      LOG_LEVEL: 'info',
      RATE_LIMITS: rateLimits,
      ...(store === 'redis' ? { REDIS_URL: redisUrl, REDIS_PREFIX: state.prefix } : {}),
      ...more,
    };
    b.nodes = Array.from({ length: nodes }, () => spawnServer(process.execPath, [...nodeArgs, 'server/index.js'], env, dir));
    b.urls = await Promise.all(b.nodes.map((n) => listening(n, 30_000)));
    if (store === 'redis') {
      const r = new Redis(redisUrl);
      try {
        b.storePid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]) || undefined;
      } finally {
        r.disconnect();
      }
    }
    return b;
  }

  private token(claims: { sub: string; name: string; role: string }): string {
    return jwt.sign(claims, this.secret, { algorithm: 'HS256', expiresIn: 3 * 3600 });
  }

  /** Signed once: preparation makes thousands of requests, and signing each would be the generator's work. */
  private get facilitator(): string {
    return (this.facilitatorToken ||= this.token({ sub: 'bench-fac', name: 'Bench facilitator', role: 'facilitator' }));
  }

  private userToken(i: number): string {
    let t = this.tokens.get(i);
    if (!t) this.tokens.set(i, (t = this.token({ sub: `u${i}`, name: `Member ${i}`, role: 'participant' })));
    return t;
  }

  /** Retries what Bridge says is retryable (a Redis command slower than its 1 s timeout on a loaded machine). */
  private async http<K extends JsonRouteKey>(route: K, path: string, body: unknown, attempt = 1): Promise<RouteResult<K>> {
    const method = route.split(' ')[0]!;
    const res = await fetch(`${this.url}${path}`, {
      method,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.facilitator}` },
    });
    const json = (await res.json()) as { ok: boolean; data?: RouteResult<K>; error?: { retryAfterMs?: number } };
    if (!json.ok && json.error?.retryAfterMs && res.status >= 500 && attempt < 5) {
      await sleep(json.error.retryAfterMs);
      return this.http(route, path, body, attempt + 1);
    }
    if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
    return json.data!;
  }

  /** Creates groups until there are `n` (the first ones hold the benchmark's clients; the rest stay idle). */
  async ensureGroups(n: number): Promise<void> {
    const from = this.groups.length;
    const made = new Array<string>(Math.max(0, n - from));
    await pool(made.length, 16, async (k) => {
      made[k] = (await this.http('POST /api/groups', '/api/groups', { name: `Evening group ${from + k}` })).group.id;
    });
    this.groups.push(...made);
  }

  async prepare(n: number, roomSize: number, history: number, historyRooms: number): Promise<void> {
    this.roomSize = roomSize;
    const rooms = Math.ceil(n / roomSize);
    await this.ensureGroups(rooms);
    const from = this.state.enrolled;
    await pool(n - from, 64, (k) =>
      this.http('PUT /api/groups/:groupId/members/:userId', `/api/groups/${this.groups[room(from + k, roomSize)]}/members/u${from + k}`, {
        role: 'participant',
        name: `Member ${from + k}`,
      }),
    );
    this.state.enrolled = Math.max(n, from);
    const seeded = this.state.seededRooms;
    const toSeed = Math.min(historyRooms, rooms) - seeded;
    if (history > 0 && toSeed > 0) {
      await this.fill(this.groups.slice(seeded, seeded + toSeed).map((g) => [g, history]));
      this.state.seededRooms += toSeed;
    }
  }

  /** For each [groupId, count], `count` messages from the facilitator into that group; 256 in flight. */
  async fill(counts: [string, number][]): Promise<void> {
    const targets = counts.flatMap(([g, n]) => Array<string>(n).fill(g));
    const fac = await connectSocket(this.url, { token: this.facilitator });
    const tag = randomBytes(4).toString('hex'); // clientMsgIds stay unique across fills and repetitions
    try {
      await pool(targets.length, 256, async (k) => {
        const groupId = targets[k]!;
        const ack = (await fac
          .timeout(30_000)
          .emitWithAck('group:send', { groupId, text: `history ${k} ${TEXT}`, clientMsgId: `seed-${tag}-${k}` })) as Ack;
        if (!ack.ok) throw new Error(`seeding history: ${JSON.stringify(ack.error)}`);
      });
    } finally {
      fac.disconnect();
    }
  }

  /** While clients from..to-1 are away, `perClient` messages for each of them go into their rooms. */
  async sendWhileAway(from: number, to: number, perClient: number): Promise<void> {
    const counts = new Map<string, number>();
    for (let i = from; i < to; i++) {
      const g = this.groups[room(i, this.roomSize)]!;
      counts.set(g, (counts.get(g) ?? 0) + perClient);
    }
    await this.fill([...counts]);
  }

  connect(i: number): Promise<Socket> {
    return connectSocket(this.urls[i % this.urls.length]!, { token: this.userToken(i) });
  }

  async join(socket: Socket, i: number, since?: number): Promise<Joined> {
    return this.joinGroup(socket, this.groups[room(i, this.roomSize)]!, since);
  }

  /** Retries what Bridge says is retryable (`retryAfterMs`), as its client does; `retries` counts them. */
  async joinGroup(socket: Socket, groupId: string, since?: number, retries = 0): Promise<Joined> {
    const ack = (await socket.timeout(20_000).emitWithAck('group:join', { groupId, ...(since === undefined ? {} : { since }) })) as Ack & {
      data?: { messages: { seq: number }[] };
      error?: { retryAfterMs?: number };
    };
    if (!ack.ok && ack.error?.retryAfterMs && retries < 5) {
      await sleep(ack.error.retryAfterMs);
      return this.joinGroup(socket, groupId, since, retries + 1);
    }
    if (!ack.ok) throw new Error(`group:join refused: ${JSON.stringify(ack.error)}`);
    const messages = ack.data!.messages;
    return { messages: messages.length, lastSeq: messages.reduce((max, m) => Math.max(max, m.seq), since ?? 0), retries };
  }

  send(socket: Socket, i: number, w: Wire, onRefused: (code: string) => void): void {
    socket.emit(
      'group:send',
      { groupId: this.groups[room(i, this.roomSize)], text: TEXT, clientMsgId: `b:${w.p}:${w.f}:${w.s}:${w.t.toFixed(3)}` },
      (ack: Ack) => {
        if (!ack.ok) onRefused(ack.error?.code ?? 'UNKNOWN');
      },
    );
  }

  onMessage(socket: Socket, cb: (w: Wire) => void): void {
    socket.on('group:message', (m: { clientMsgId?: string }) => {
      const parts = m.clientMsgId?.split(':');
      if (!parts || parts[0] !== 'b') return; // seeded history
      cb({ p: Number(parts[1]), f: Number(parts[2]), s: Number(parts[3]), t: Number(parts[4]) });
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        if (node.exited()) return;
        node.child.kill('SIGTERM');
        if (!(await Promise.race([node.exit.then(() => true), sleep(10_000, false)]))) node.child.kill('SIGKILL');
        await node.exit;
      }),
    );
  }
}

/** What a Bridge deployment keeps between processes: its secret, its Redis key prefix, and what prepare() made. */
export interface BridgeState {
  secret: string;
  prefix: string;
  groups: string[];
  enrolled: number;
  seededRooms: number;
}

export function newBridgeState(): BridgeState {
  return {
    secret: randomBytes(32).toString('hex'),
    prefix: `bench:${randomBytes(6).toString('hex')}:`,
    groups: [],
    enrolled: 0,
    seededRooms: 0,
  };
}

/** SCAN + UNLINK every key under the private prefix. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const r = new Redis(redisUrl);
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return removed;
}
