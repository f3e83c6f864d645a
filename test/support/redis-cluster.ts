import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { answers, freePort, requireProgram } from './process.js';

const run = promisify(execFile);

/**
 * A Redis Cluster of the test's own: `masters` redis-servers from Debian's package on free
 * loopback ports, joined by `redis-cli --cluster create` with no replicas. Nothing on disk
 * outlives it, and the shared Redis is never touched.
 */
export class PrivateRedisCluster {
  private readonly procs: ChildProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'bridge-redis-cluster-'));

  private constructor(readonly ports: number[]) {}

  static async start(masters = 3): Promise<PrivateRedisCluster> {
    requireProgram('redis-server');
    requireProgram('redis-cli');
    const ports: number[] = [];
    // freePort() can hand out a port twice in a row; the cluster bus also takes port + 10000.
    while (ports.length < masters) {
      const port = await freePort();
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    const cluster = new PrivateRedisCluster(ports);
    try {
      for (const port of ports) cluster.procs.push(cluster.server(port));
      await Promise.all(ports.map((port) => until(() => answers(port), `redis-server on ${port}`)));
      await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
      await Promise.all(ports.map((port) => until(() => clusterOk(port), `cluster state ok on ${port}`)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** One node's address: a seed for clients, which learn the rest from it. */
  get url(): string {
    return `redis://127.0.0.1:${this.ports[0]}`;
  }

  /** SIGSTOP on every master: connections stay open and nothing answers. */
  pause(): void {
    for (const proc of this.procs) proc.kill('SIGSTOP');
  }

  resume(): void {
    for (const proc of this.procs) proc.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    const running = this.procs.splice(0).filter((proc) => proc.exitCode === null && proc.signalCode === null);
    await Promise.all(
      running.map((proc) => {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGCONT');
        proc.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private server(port: number): ChildProcess {
    return spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '5000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function clusterOk(port: number): Promise<boolean> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return String(await r.cluster('INFO')).includes('cluster_state:ok');
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
