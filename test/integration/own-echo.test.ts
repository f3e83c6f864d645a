// The Redis adapter with skipOwnEcho (server/realtime/own-echo.ts): two real Socket.IO servers on
// real Redis pub/sub, the adapter's own MessagePack parser underneath. A node never decodes its own
// broadcast when Redis hands it back, and still decodes every other node's, whole.
import { expect } from 'chai';
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { skipOwnEcho } from '../../server/realtime/own-echo.js';
import { waitFor } from '../support/client.js';
import { randomId, REDIS_URL } from '../support/server.js';

describe('the Redis adapter skips decoding its own echo', () => {
  const key = `${randomId('echo')}:socket.io`;
  const clients: Redis[] = [];
  const servers: Server[] = [];

  /** A node whose adapter counts what its own parser decodes (the spy sits under skipOwnEcho). */
  const node = async () => {
    const pub = new Redis(REDIS_URL);
    const sub = pub.duplicate();
    clients.push(pub, sub);
    const decoded: unknown[] = [];
    const make = createAdapter(pub, sub, { key });
    const io = new Server();
    servers.push(io);
    io.adapter(function (nsp: unknown) {
      const adapter = make(nsp);
      const { encode, decode } = adapter.parser;
      (adapter as { parser: RedisAdapter['parser'] }).parser = {
        encode,
        decode: (msg: unknown) => {
          const value: unknown = decode(msg);
          decoded.push(value);
          return value;
        },
      };
      return skipOwnEcho(adapter);
    } as never);
    // Subscribed before anything is published.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { io, decoded };
  };

  after(async () => {
    // Never attached to an HTTP server, so there is no engine to close: the adapters unsubscribe.
    for (const io of servers) await (io.of('/').adapter as RedisAdapter).close();
    for (const c of clients) c.disconnect();
  });

  it("decodes the other node's broadcast whole, and never its own", async () => {
    const a = await node();
    const b = await node();

    a.io.emit('group:message' as never, { text: 'from a', seq: 1 });
    await waitFor(() => b.decoded.length === 1, "a's broadcast at b");
    // Redis delivers one subscription's messages in publish order: when b's broadcast reaches a,
    // a's own went past it first.
    b.io.emit('group:message' as never, { text: 'from b', seq: 2 });
    await waitFor(() => a.decoded.length === 1, "b's broadcast at a");

    const [fromB] = a.decoded as [unknown[]];
    expect((fromB[1] as { data: unknown[] }).data).to.deep.equal(['group:message', { text: 'from b', seq: 2 }]);
    const [fromA] = b.decoded as [unknown[]];
    expect((fromA[1] as { data: unknown[] }).data).to.deep.equal(['group:message', { text: 'from a', seq: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.decoded).to.have.length(1);
    expect(b.decoded).to.have.length(1);
  });
});
