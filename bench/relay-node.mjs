// A bare Socket.IO relay for the bench (bench/protocols.ts, bench/adapters.ts): no auth, no validation, no storage.
// Plain JavaScript run by plain `node` (no loader), as Bridge's production build is, so neither side pays for tsx.
// Usage: node bench/relay-node.mjs <pubsub|streams> <port> <redisUrl> <keyPrefix>
//    or: node bench/relay-node.mjs memory <port>   (one node, Socket.IO's in-memory adapter, no Redis;
//        used by bench/run.ts as the single-node ceiling)
// `join` joins a room; `msg` rebroadcasts the payload to the room (sender included).
// MAX_RETRIES_PER_REQUEST (env, default ioredis's 20): how long ioredis keeps commands queued while Redis is away.
import { Server } from 'socket.io';
import { Redis } from 'ioredis';
import { createAdapter as createPubSubAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';

const [kind, portArg, redisUrl, prefix] = process.argv.slice(2);
const memory = kind === 'memory';
if ((kind !== 'pubsub' && kind !== 'streams' && !memory) || !portArg || (!memory && (!redisUrl || !prefix))) {
  console.error('usage: relay-node.mjs <pubsub|streams> <port> <redisUrl> <keyPrefix> | relay-node.mjs memory <port>');
  process.exit(2);
}

// A Redis outage must not crash the relay: ioredis reconnects by itself, and the pub/sub adapter's PUBLISH is
// fire-and-forget, so a command ioredis gives up on would be an unhandled rejection (fatal by default in Node).
const ignore = () => {};
process.on('unhandledRejection', ignore);
const maxRetriesPerRequest = Number(process.env.MAX_RETRIES_PER_REQUEST ?? 20);
const redisClients = [];

let adapter;
if (!memory) {
  const pub = new Redis(redisUrl, { maxRetriesPerRequest });
  pub.on('error', ignore);
  redisClients.push(pub);
  if (kind === 'pubsub') {
    const sub = pub.duplicate();
    sub.on('error', ignore);
    redisClients.push(sub);
    adapter = createPubSubAdapter(pub, sub, { key: prefix });
  } else {
    adapter = createStreamsAdapter(pub, { streamName: prefix, channelPrefix: prefix });
  }
}

const io = new Server({ ...(adapter ? { adapter } : {}), transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('join', (room, ack) => {
    void socket.join(room);
    if (typeof ack === 'function') ack();
  });
  socket.on('msg', (room, payload) => {
    io.to(room).emit('msg', payload);
  });
});

await Promise.all(redisClients.map((c) => new Promise((resolve) => c.once('ready', resolve))));
io.listen(Number(portArg));
process.send?.('ready');

process.on('disconnect', () => process.exit(0)); // the harness is gone: do not linger
process.on('SIGTERM', () => {
  // Close Socket.IO first so the adapter unsubscribes, then the Redis clients.
  void io.close(() => {
    for (const c of redisClients) c.disconnect();
    process.exit(0);
  });
});
