import { RedisAdapter } from '@socket.io/redis-adapter';
import { encode } from 'notepack.io';
import type { Announcement, Unsequenced } from '../store/store.js';
import { groupRoom, type AppServer } from './types.js';

/** MessagePack, as the adapter encodes (notepack.io, untyped). */
const pack = (value: unknown): Buffer => encode(value) as Buffer;

/** Stand-ins the encoding leaves where the store's values go: MessagePack's 0 and its empty string, one byte each. */
const SEQ_STAND_IN = 0x00;
const ROLE_STAND_IN = 0xa0;

/**
 * The Redis adapter's broadcast of a `group:message`, for the store to publish in the same script
 * that stores the message, so a send costs one Redis command instead of two (the append, then the
 * adapter's PUBLISH). It is the message the adapter itself would publish for
 * `io.to(groupRoom).emit('group:message', message)` — MessagePack of [uid, packet, options] on the
 * room's channel — cut where the seq and the sender's role go, which only the store knows. The
 * node then emits to its own sockets only; other nodes' adapters receive and deliver it as any
 * broadcast, and this node's adapter drops it as its own. Undefined without the Redis pub/sub
 * adapter (the memory store, a Redis Cluster's sharded adapter): the message is then broadcast as
 * any event.
 */
export function groupMessageAnnouncer(io: AppServer): ((message: Unsequenced) => Announcement) | undefined {
  const adapter = io.of('/').adapter;
  if (!(adapter instanceof RedisAdapter)) return undefined;
  // The adapter's channel prefix, `<key>#/#`: a broadcast to one room goes to `<prefix><room>#`.
  const channelPrefix = (adapter as unknown as { channel: string }).channel;
  const uid = String(adapter.uid);
  // MessagePack of [uid, packet, options] is the array's head and uid, then each of the two
  // encoded alone: the packet's own encoding says where the seq and the role sit in it.
  const lead = pack([uid, 0, 0]).subarray(0, -2);
  // {type, data: [event, {seq: …, the message's own fields, sender {…, role: …}}], nsp}: where the
  // seq goes is the same for every message, and so is the packet's end after the role.
  const seqPos = pack({ type: 2, data: ['group:message', { seq: 0 }] }).length - 1;
  const packetEnd = pack({ nsp: '/' }).length - 1;
  return (message) => {
    const room = groupRoom(message.conversation.id);
    const { conversation, sender, ...rest } = message;
    // The sender last, its role last: the store's values sit at a known place from each end.
    const data = { seq: 0, ...rest, conversation, sender: { ...sender, role: '' } };
    const packet = pack({ type: 2, data: ['group:message', data], nsp: '/' });
    const rolePos = packet.length - packetEnd - 1;
    // Never publish what was not understood: a layout other than this one throws, and the send
    // fails as a store error would, before anything is written.
    if (packet[seqPos] !== SEQ_STAND_IN || packet[rolePos] !== ROLE_STAND_IN) throw new Error('unexpected broadcast layout');
    return {
      channel: `${channelPrefix}${room}#`,
      parts: [
        Buffer.concat([lead, packet.subarray(0, seqPos)]),
        packet.subarray(seqPos + 1, rolePos),
        Buffer.concat([packet.subarray(rolePos + 1), pack({ rooms: [room], except: [], flags: {} })]),
      ],
    };
  };
}
