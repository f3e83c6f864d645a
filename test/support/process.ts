import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import { waitFor } from './client.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A server node in its own process, as an operator runs it. */
export type NodeProcess = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: () => boolean;
};

/**
 * Starts `node --import tsx server/index.ts` of this checkout (or of another, `root`: the bench's
 * baseline); only PATH is inherited, so the test shell's REDIS_URL or JWT_* never leak in.
 */
export function spawnNode(env: Record<string, string>, root = ROOT): NodeProcess {
  return spawnServer(process.execPath, ['--import', 'tsx', 'server/index.ts'], env, root);
}

/** Starts any command that runs a node (the compiled one, one under a terminal) with spawnNode's environment. */
export function spawnServer(command: string, args: string[], env: Record<string, string>, cwd = ROOT): NodeProcess {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let done = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exit, exited: () => done };
}

/** Waits for the "listening" log line and returns the node's URL (PORT=0: the node picks its port). */
export async function listening(node: NodeProcess, timeoutMs = 15_000): Promise<string> {
  const line = await waitFor(
    () => {
      if (node.exited()) throw new Error(`node exited before listening: ${node.stderr()}${node.stdout()}`);
      return node
        .stdout()
        .split('\n')
        .find((l) => l.includes('"bridge node listening"'));
    },
    'the node to listen',
    timeoutMs,
  );
  return `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
}

export async function exitWithin(node: NodeProcess, ms: number) {
  let timer!: NodeJS.Timeout;
  const deadline = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`node still running after ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([node.exit, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever is still running (SIGKILL) and waits for it; for after/afterEach hooks. */
export async function killAll(nodes: NodeProcess[]): Promise<void> {
  for (const node of nodes.splice(0)) {
    if (!node.exited()) node.child.kill('SIGKILL');
    await node.exit;
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own on a free loopback port and in its own directory, for tests
 * that stop, pause or restart Redis (never the shared one). Append-only with fsync on every write,
 * so a restart keeps everything that was acknowledged; `settings` (redis-server arguments, e.g.
 * `['--appendonly', 'no']`) come after those defaults and override them.
 */
export class PrivateRedis {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'bridge-redis-'));

  private constructor(
    readonly port: number,
    private readonly settings: string[],
    private readonly env: Record<string, string>,
  ) {}

  /** `env`: more of redis-server's environment (LD_PRELOAD of unsyncedAofPreload()). */
  static async start(settings: string[] = [], env: Record<string, string> = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), settings, env);
    await redis.run();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** SIGSTOP: connections stay open and nothing answers, as in a stalled server. */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /**
   * Stops the server and starts it again on the same port from what it left on disk. SIGTERM lets
   * Redis shut down cleanly; SIGKILL is a crash: only what already reached its files survives.
   */
  async restart(downMs: number, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.stop(false, signal);
    await new Promise((r) => setTimeout(r, downMs));
    await this.run();
  }

  async stop(removeData = true, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const proc = this.proc;
    this.proc = undefined;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGCONT');
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    }
    if (removeData) rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    requireProgram('redis-server');
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        this.dir,
        ...this.settings,
      ],
      { stdio: 'ignore', env: { ...process.env, ...this.env } },
    );
    this.proc = proc;
    const until = Date.now() + 10_000;
    while (!(await answers(this.port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server on ${this.port} exited with ${proc.exitCode}`);
      if (Date.now() > until) throw new Error(`redis-server on ${this.port} did not answer`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

let preload: string | undefined;

/**
 * test/support/unsynced-aof.c built into a shared object (once per test process), for a
 * PrivateRedis's LD_PRELOAD: its append-only writes stay in the process until fsynced, so a
 * SIGKILL emulates a power loss. Undefined when there is no C compiler (`cc`) here.
 */
export function unsyncedAofPreload(): string {
  if (preload === undefined) {
    requireProgram('cc');
    const out = join(mkdtempSync(join(tmpdir(), 'bridge-unsynced-')), 'unsynced-aof.so');
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-o', out, join(ROOT, 'test/support/unsynced-aof.c'), '-ldl', '-lpthread'], {
      stdio: 'inherit',
    });
    preload = out;
  }
  return preload;
}

/**
 * Throws one line saying what to install when `name` is not on the PATH. spawn() would instead
 * emit an 'error' nobody listens for: an uncaught ENOENT that mocha pins on whatever test runs then.
 */
export function requireProgram(name: 'redis-server' | 'redis-cli' | 'cc'): void {
  const found = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return statSync(join(dir, name)).isFile();
      } catch {
        return false;
      }
    });
  if (!found) {
    throw new Error(
      name === 'cc'
        ? 'cc is not on the PATH: the emulated power-loss tests (test/faults/durability.test.ts) build an LD_PRELOAD from C; install a C compiler (Debian: apt-get install gcc)'
        : `${name} is not on the PATH: the tests that start Redis servers of their own (cluster, Redis outage, durability, Redis Cluster) need it; install it (Debian: apt-get install redis-server)`,
    );
  }
}

/** One PING over a fresh connection. */
export async function answers(port: number): Promise<boolean> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
