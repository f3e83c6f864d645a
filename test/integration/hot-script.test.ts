// The group send's script call without ioredis's per-call machinery (server/store/redis/hot-script.ts),
// on a real redis-server of the test's own (it flushes scripts, restarts and pauses it): the wire
// form is byte for byte ioredis's own, calls of one tick share one corked write, and what ioredis
// gives every command still holds: NOSCRIPT after a restart, the offline queue, the command timeout.
import { expect } from 'chai';
import { Command, Redis } from 'ioredis';
import { encodeCall, HotScript, type Arg } from '../../server/store/redis/hot-script.js';
import { PrivateRedis } from '../support/process.js';

const LUA = `if ARGV[1] == 'fail' then return redis.error_reply('REFUSED ' .. KEYS[1]) end
return {KEYS[1], KEYS[2], ARGV[1], #ARGV, redis.call('INCR', KEYS[1])}`;
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => new Error('resolved'),
    (err: Error) => err,
  );
const SHA_HEAD = (sha: string) => Buffer.from(`$7\r\nevalsha\r\n$40\r\n${sha}\r\n$1\r\n2\r\n`, 'latin1');

describe('the hot script call (group sends on one Redis server)', function () {
  this.timeout(20_000);
  let server: PrivateRedis;
  const clients: Redis[] = [];

  before(async () => {
    server = await PrivateRedis.start(['--appendonly', 'no']);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await server.stop();
  });

  /** A client as the Redis store makes it, and the script on it both ways: hot, and defined. */
  const setUp = (options: { lazyConnect?: boolean; commandTimeout?: number } = {}) => {
    const client = new Redis(server.url, { enableAutoPipelining: true, maxRetriesPerRequest: 2, ...options });
    client.on('error', () => {}); // the restart below refuses connections for a moment
    clients.push(client);
    client.defineCommand('hotTest', { numberOfKeys: 2, lua: LUA });
    const loads = { count: 0 };
    const defined = (...args: Arg[]) => {
      loads.count++;
      return (client as unknown as { hotTest(...a: Arg[]): Promise<unknown> }).hotTest(...args);
    };
    return { client, loads, hot: new HotScript(client, LUA, 2, defined) };
  };

  it('writes exactly what ioredis writes for the same EVALSHA, text in any script, numbers and bytes included', () => {
    const sha = 'a'.repeat(40);
    const args: Arg[] = ['k:{g}:members', 'k:{g}:log', 'plain', 'héllo ☂ 🌉', '', 42, 1.5, Buffer.from([0, 0xff, 13, 10, 0x80])];
    const ours = encodeCall(SHA_HEAD(sha), args);
    const theirs = new Command('evalsha', [sha, 2, ...args]).toWritable(undefined as never);
    expect(ours.equals(Buffer.isBuffer(theirs) ? theirs : Buffer.from(theirs))).to.equal(true);
  });

  it('answers every call of one tick, in order, from one corked write', async () => {
    const { client, loads, hot } = setUp();
    await hot.call(['{c}:first', '{c}:m', 'loads the script']);
    expect(loads.count, 'the first call on a fresh server loads the script').to.equal(1);
    const calls = Array.from({ length: 20 }, (_, i) => hot.call(['{c}:n', '{c}:m', `a${i}`, i]));
    expect(client.stream.writableCorked, 'the socket waits for the rest of the tick').to.equal(1);
    const replies = await Promise.all(calls);
    expect(client.stream.writableCorked).to.equal(0);
    expect(replies).to.deep.equal(Array.from({ length: 20 }, (_, i) => ['{c}:n', '{c}:m', `a${i}`, 2, i + 1]));
    expect(loads.count, 'then EVALSHA alone').to.equal(1);
  });

  it("passes the script's own errors on, and loads the script itself when Redis has lost it", async () => {
    const { client, loads, hot } = setUp();
    expect((await rejection(hot.call(['{e}:n', '{e}:m', 'fail']))).message).to.match(/REFUSED \{e\}:n/);
    expect(await hot.call(['{e}:n', '{e}:m', 'hot'])).to.deep.equal(['{e}:n', '{e}:m', 'hot', 1, 1]);
    const before = loads.count;
    await client.script('FLUSH');
    expect(await hot.call(['{e}:n', '{e}:m', 'after flush'])).to.deep.equal(['{e}:n', '{e}:m', 'after flush', 1, 2]);
    expect(loads.count).to.equal(before + 1);
    await server.restart(100);
    expect(await hot.call(['{e}:n', '{e}:m', 'after restart'])).to.deep.equal(['{e}:n', '{e}:m', 'after restart', 1, 1]);
    expect(await hot.call(['{e}:n', '{e}:m', 'loaded again'])).to.deep.equal(['{e}:n', '{e}:m', 'loaded again', 1, 2]);
    expect(loads.count).to.equal(before + 2);
  });

  it('waits in the offline queue before the connection is up, and times out as every command does', async () => {
    const { client, hot } = setUp({ lazyConnect: true, commandTimeout: 300 });
    expect(client.status).to.equal('wait');
    expect(await hot.call(['{o}:n', '{o}:m', 'queued'])).to.deep.equal(['{o}:n', '{o}:m', 'queued', 1, 1]);
    server.pause();
    try {
      expect((await rejection(hot.call(['{o}:n', '{o}:m', 'stalled']))).message).to.match(/timed out/);
    } finally {
      server.resume();
    }
  });
});
