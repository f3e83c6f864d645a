import { execFile } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { ROOT } from '../support/process.js';
import { http, makeGroup, REDIS_URL } from '../support/server.js';
import { Cluster } from './cluster.js';

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

// The access log's chain across nodes (issue 18): every node appends onto one head with a
// compare-and-append, and `npm run audit:verify` checks what they wrote.
describe('cluster: the access log chain and npm run audit:verify', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let redis: Redis;
  const READS = 12;

  before(async () => {
    cluster = await Cluster.start(2, { env: { ACCESS_LOG_KEY: KEY } });
    redis = new Redis(REDIS_URL);
    const fac = cluster.user('facilitator');
    const groupId = await makeGroup(cluster.nodes[0]!, fac);
    // Reads on both nodes at once, all racing for one head.
    const reads = Array.from({ length: READS }, (_, i) =>
      http(cluster.nodes[i % 2]!.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token }),
    );
    for (const r of await Promise.all(reads)) expect(r.status).to.equal(200);
  });
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
  });

  it('two nodes never fork the chain, and the command reports it whole', async () => {
    expect(await redis.hget(`${cluster.prefix}{al}:head`, 'seq')).to.equal(String(READS));
    expect(await auditVerify(cluster.prefix)).to.deep.equal({ code: 0, out: `ok: ${READS} entries\n` });
  });

  it('another key does not verify', async () => {
    const res = await auditVerify(cluster.prefix, 'another-key-'.padEnd(40, 'y'));
    expect(res).to.deep.equal({ code: 1, out: 'broken at seq 1 (MAC does not match the content)\n' });
  });

  it('an entry edited by hand in Redis is found at its seq', async () => {
    const entries = `${cluster.prefix}{al}:entries`;
    const original = (await redis.hget(entries, '4'))!;
    const edited = JSON.parse(original) as { about: string[] };
    edited.about = ['someone-else'];
    await redis.hset(entries, '4', JSON.stringify(edited));
    try {
      expect(await auditVerify(cluster.prefix)).to.deep.equal({ code: 1, out: 'broken at seq 4 (MAC does not match the content)\n' });
      await redis.hdel(entries, '3');
      expect(await auditVerify(cluster.prefix)).to.deep.equal({ code: 1, out: 'broken at seq 3 (entry missing or unreadable)\n' });
    } finally {
      await redis.hset(entries, '4', original);
    }
  });
});
