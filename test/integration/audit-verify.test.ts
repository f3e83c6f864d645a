import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ROOT } from '../support/process.js';
import { http, makeGroup, REDIS_URL, serverPool, type TestServer } from '../support/server.js';

const KEY = 'audit-verify-key-'.padEnd(48, 'x');

/** `npm run audit:verify` as an operator runs it, against the nodes' prefix. */
function auditVerify(prefix: string, key = KEY): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/audit-verify.ts'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', REDIS_URL, REDIS_PREFIX: prefix, ACCESS_LOG_KEY: key } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('npm run audit:verify (issue 18)', function () {
  this.timeout(30_000);
  const pool = serverPool();
  let a: TestServer, b: TestServer, prefix: string, redis: Redis;

  before(async () => {
    [a, b] = await pool.startNodes(2, { ACCESS_LOG_KEY: KEY });
    prefix = a.config.redisPrefix;
    redis = new Redis(REDIS_URL);
    // Reads on two nodes at once, all chained onto one head.
    const fac = a.user('facilitator');
    const groupId = await makeGroup(a, fac);
    const reads = Array.from({ length: 6 }, (_, i) =>
      http(i % 2 ? a.url : b.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token }),
    );
    for (const r of await Promise.all(reads)) expect(r.status).to.equal(200);
  });
  after(async () => {
    redis.disconnect();
    await pool.closeAll();
  });

  it('two nodes never fork the chain, and the command reports it whole', async () => {
    expect((await a.store.accessLog.accessHead()).seq).to.equal(6);
    expect(await auditVerify(prefix)).to.deep.equal({ code: 0, out: 'ok: 6 entries\n' });
  });

  it('another key does not verify', async () => {
    const res = await auditVerify(prefix, 'another-key-'.padEnd(40, 'y'));
    expect(res).to.deep.equal({ code: 1, out: 'broken at seq 1 (MAC does not match the content)\n' });
  });

  it('an entry edited by hand in Redis is found at its seq', async () => {
    const entries = `${prefix}{al}:entries`;
    const original = (await redis.hget(entries, '4'))!;
    const edited = JSON.parse(original) as { about: string[] };
    edited.about = ['someone-else'];
    await redis.hset(entries, '4', JSON.stringify(edited));
    try {
      expect(await auditVerify(prefix)).to.deep.equal({ code: 1, out: 'broken at seq 4 (MAC does not match the content)\n' });
      await redis.hdel(entries, '3');
      expect(await auditVerify(prefix)).to.deep.equal({ code: 1, out: 'broken at seq 3 (entry missing or unreadable)\n' });
    } finally {
      await redis.hset(entries, '4', original);
    }
  });
});
