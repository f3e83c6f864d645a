// What `npm test` needs from the machine besides Redis at REDIS_URL: a missing program is one clear
// line in the failing hook, not an uncaught `spawn … ENOENT` that mocha pins on another test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PrivateRedis } from '../support/process.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';

describe('the test suite without redis-server on the PATH', () => {
  const empty = mkdtempSync(join(tmpdir(), 'bridge-no-redis-'));
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.PATH;
    process.env.PATH = empty;
  });
  afterEach(() => {
    process.env.PATH = saved;
  });
  after(() => rmSync(empty, { recursive: true, force: true }));

  for (const [what, start] of [
    ['a private redis-server', () => PrivateRedis.start()],
    ['a private Redis Cluster', () => PrivateRedisCluster.start(3)],
  ] as const) {
    it(`refuses to start ${what} with one line saying what to install`, async () => {
      const err = await (start as () => Promise<unknown>)().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err, 'the start should fail').to.be.instanceOf(Error);
      expect(err!.message).to.match(/^redis-server is not on the PATH: .*apt-get install redis-server/);
      expect(err!.message).not.to.include('\n');
    });
  }
});
