import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { GlobalRole } from '../../shared/index.js';
import { killAll, listening, spawnNode, type NodeProcess } from '../support/process.js';
import { deleteKeys, randomId, REDIS_URL, type TestUser } from '../support/server.js';

export type ClusterNode = { proc: NodeProcess; url: string };

/**
 * Several real server processes on loopback ports sharing one Redis (the shared one under a
 * random prefix, or a private redis-server), as operators run them behind a balancer.
 */
export class Cluster {
  readonly nodes: ClusterNode[] = [];
  private readonly procs: NodeProcess[] = [];
  readonly secret = randomBytes(32).toString('hex');
  readonly prefix = `cluster:${randomBytes(6).toString('hex')}:`;

  private constructor(
    private readonly redisUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(
    count: number,
    { env = {}, redisUrl = REDIS_URL }: { env?: Record<string, string>; redisUrl?: string } = {},
  ): Promise<Cluster> {
    const cluster = new Cluster(redisUrl, env);
    try {
      await Promise.all(Array.from({ length: count }, () => cluster.addNode()));
    } catch (err) {
      // A node that did not come up must not leave the others running: mocha would never exit.
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  async addNode(): Promise<ClusterNode> {
    const proc = spawnNode({
      NODE_ENV: 'test',
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      JWT_SECRET: this.secret,
      LOG_LEVEL: 'info',
      ...this.env,
    });
    this.procs.push(proc);
    const node = { proc, url: await listening(proc) };
    this.nodes.push(node);
    return node;
  }

  user(role: GlobalRole = 'participant'): TestUser {
    const u = { id: randomId(role[0]), name: `${role} ${randomId('n')}`, role };
    return { ...u, token: jwt.sign({ sub: u.id, name: u.name, role }, this.secret, { algorithm: 'HS256', expiresIn: 3600 }) };
  }

  /** SIGKILL: no shutdown, no goodbye, as when a machine dies. */
  async kill(node: ClusterNode): Promise<void> {
    node.proc.child.kill('SIGKILL');
    await node.proc.exit;
  }

  async close(): Promise<void> {
    await killAll(this.procs);
    if (this.redisUrl === REDIS_URL) await deleteKeys(this.prefix);
  }
}
