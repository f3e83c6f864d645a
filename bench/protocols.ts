// The two servers bench/run.ts compares, behind one Protocol (bench/generator.ts):
//   relay   bench/relay-node.ts in `memory` mode: join = emit 'join' room, send = emit 'msg' (room, payload)
//   bridge  server/index.ts as a real process (memory store, or Redis under a private key prefix): tokens,
//           groups over HTTP, 'group:join', 'group:send' with clientMsgId, receive 'group:message'.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import jwt from 'jsonwebtoken';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { freePort, listening, spawnNode, type NodeProcess } from '../test/support/process.js';
import { GC_HOOK, pool, type Protocol, type Wire } from './generator.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEXT = 'x'.repeat(120); // a chat-sized message body
const room = (i: number, roomSize: number): number => Math.floor(i / roomSize);

function connectSocket(url: string, auth?: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000, ...(auth ? { auth } : {}) });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.disconnect(); reject(err); });
  });
}

export class Relay implements Protocol {
  readonly label = 'relay';
  private roomSize = 12;
  private constructor(private readonly proc: ChildProcess, readonly pid: number, private readonly url: string) {}

  static async start(): Promise<Relay> {
    const port = await freePort();
    const proc = fork(fileURLToPath(new URL('./relay-node.ts', import.meta.url)), ['memory', String(port)],
      { cwd: ROOT, execArgv: ['--import', 'tsx', '--import', GC_HOOK] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('relay node did not start')), 30_000);
      proc.once('message', () => { clearTimeout(timer); resolve(); });
      proc.once('exit', (code) => reject(new Error(`relay node exited with ${code}`)));
    });
    return new Relay(proc, proc.pid!, `http://127.0.0.1:${port}`);
  }

  async prepare(_n: number, roomSize: number): Promise<void> { this.roomSize = roomSize; } // a bare relay has no users, groups or history
  connect(): Promise<Socket> { return connectSocket(this.url); }
  async join(socket: Socket, i: number): Promise<void> { await socket.timeout(20_000).emitWithAck('join', `room-${room(i, this.roomSize)}`); }
  send(socket: Socket, i: number, w: Wire): void { socket.emit('msg', `room-${room(i, this.roomSize)}`, { ...w, x: TEXT }); }
  onMessage(socket: Socket, cb: (w: Wire) => void): void { socket.on('msg', cb); }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.proc.kill('SIGTERM');
    if (!(await Promise.race([exited.then(() => true), sleep(3_000, false)]))) this.proc.kill('SIGKILL');
    await exited;
  }
}

type Ack = { ok: boolean; error?: { code: string; message: string } };

export class Bridge implements Protocol {
  readonly label: string;
  private readonly tokens = new Map<number, string>();
  private readonly facilitator = { sub: 'bench-fac', name: 'Bench facilitator', role: 'facilitator' };
  private roomSize = 12;
  private node!: NodeProcess;
  private url = '';
  readonly pid!: number;
  storePid: number | undefined;

  private constructor(readonly store: 'memory' | 'redis', private readonly state: BridgeState) {
    this.label = `bridge-${store}`;
  }

  private get secret(): string { return this.state.secret; }
  private get groups(): string[] { return this.state.groups; }

  /**
   * Starts the node; `rateLimits` goes to RATE_LIMITS (the bench uses budgets high enough never to refuse).
   * With the Redis store, pass the previous repetition's `state` (same secret and key prefix): groups, enrolments and
   * history are still in Redis, so a fresh process finds them, as after a restart, and prepare() has nothing to redo.
   */
  static async start(store: 'memory' | 'redis', redisUrl: string, rateLimits: string, state = newBridgeState()): Promise<Bridge> {
    const b = new Bridge(store, state);
    b.node = spawnNode({
      NODE_ENV: 'production', NODE_OPTIONS: `--import=${GC_HOOK}`, JWT_SECRET: state.secret, LOG_LEVEL: 'info', RATE_LIMITS: rateLimits,
      ...(store === 'redis' ? { REDIS_URL: redisUrl, REDIS_PREFIX: state.prefix } : {}),
    });
    b.url = await listening(b.node, 30_000);
    (b as { pid: number }).pid = b.node.child.pid!;
    if (store === 'redis') {
      const r = new Redis(redisUrl);
      try {
        b.storePid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]) || undefined;
      } finally { r.disconnect(); }
    }
    return b;
  }

  private token(claims: { sub: string; name: string; role: string }): string {
    return jwt.sign(claims, this.secret, { algorithm: 'HS256', expiresIn: 3 * 3600 });
  }

  private userToken(i: number): string {
    let t = this.tokens.get(i);
    if (!t) this.tokens.set(i, (t = this.token({ sub: `u${i}`, name: `Member ${i}`, role: 'participant' })));
    return t;
  }

  /** Retries what Bridge says is retryable (a Redis command slower than its 1 s timeout on a loaded machine). */
  private async http(method: string, path: string, body: unknown, attempt = 1): Promise<any> {
    const res = await fetch(`${this.url}${path}`, {
      method, body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token(this.facilitator)}` },
    });
    const json = (await res.json()) as { ok: boolean; data?: any; error?: { retryAfterMs?: number } };
    if (!json.ok && json.error?.retryAfterMs && res.status >= 500 && attempt < 5) {
      await sleep(json.error.retryAfterMs);
      return this.http(method, path, body, attempt + 1);
    }
    if (!json.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
    return json.data;
  }

  async prepare(n: number, roomSize: number, history: number, historyRooms: number): Promise<void> {
    this.roomSize = roomSize;
    const rooms = Math.ceil(n / roomSize);
    for (let g = this.groups.length; g < rooms; g++) {
      this.groups.push((await this.http('POST', '/api/groups', { name: `Evening group ${g}` })).group.id as string);
    }
    const from = this.state.enrolled;
    await pool(n - from, 64, (k) => this.http('PUT', `/api/groups/${this.groups[room(from + k, roomSize)]}/members/u${from + k}`, { role: 'participant', name: `Member ${from + k}` }));
    this.state.enrolled = Math.max(n, from);
    const seeded = this.state.seededRooms;
    const toSeed = Math.min(historyRooms, rooms) - seeded;
    if (history > 0 && toSeed > 0) {
      const fac = await connectSocket(this.url, { token: this.token(this.facilitator) });
      try {
        await pool(toSeed * history, 256, async (k) => {
          const groupId = this.groups[seeded + Math.floor(k / history)]!;
          const ack = (await fac.timeout(30_000).emitWithAck('group:send', { groupId, text: `history ${k % history} ${TEXT}`, clientMsgId: `seed-${k}` })) as Ack;
          if (!ack.ok) throw new Error(`seeding history: ${JSON.stringify(ack.error)}`);
        });
      } finally { fac.disconnect(); }
      this.state.seededRooms += toSeed;
    }
  }

  connect(i: number): Promise<Socket> { return connectSocket(this.url, { token: this.userToken(i) }); }

  async join(socket: Socket, i: number): Promise<void> {
    const ack = (await socket.timeout(20_000).emitWithAck('group:join', { groupId: this.groups[room(i, this.roomSize)] })) as Ack;
    if (!ack.ok) throw new Error(`group:join refused: ${JSON.stringify(ack.error)}`);
  }

  send(socket: Socket, i: number, w: Wire, onRefused: (code: string) => void): void {
    socket.emit('group:send', { groupId: this.groups[room(i, this.roomSize)], text: TEXT, clientMsgId: `b:${w.p}:${w.f}:${w.s}:${w.t.toFixed(3)}` },
      (ack: Ack) => { if (!ack.ok) onRefused(ack.error?.code ?? 'UNKNOWN'); });
  }

  onMessage(socket: Socket, cb: (w: Wire) => void): void {
    socket.on('group:message', (m: { clientMsgId?: string }) => {
      const parts = m.clientMsgId?.split(':');
      if (!parts || parts[0] !== 'b') return; // seeded history
      cb({ p: Number(parts[1]), f: Number(parts[2]), s: Number(parts[3]), t: Number(parts[4]) });
    });
  }

  async stop(): Promise<void> {
    if (!this.node.exited()) {
      this.node.child.kill('SIGTERM');
      if (!(await Promise.race([this.node.exit.then(() => true), sleep(10_000, false)]))) this.node.child.kill('SIGKILL');
      await this.node.exit;
    }
  }
}

/** What a Bridge deployment keeps between processes: its secret, its Redis key prefix, and what prepare() made. */
export interface BridgeState { secret: string; prefix: string; groups: string[]; enrolled: number; seededRooms: number }

export function newBridgeState(): BridgeState {
  return { secret: randomBytes(32).toString('hex'), prefix: `bench:${randomBytes(6).toString('hex')}:`, groups: [], enrolled: 0, seededRooms: 0 };
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
  } finally { r.disconnect(); }
  return removed;
}
