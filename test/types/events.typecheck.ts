// Compile-time contract: `npm test` runs `tsc --noEmit`, which fails if a line marked as an
// expected error stops being one, or if any unmarked line stops compiling.
import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ErrorCode, ServerToClientEvents } from '../../shared/index.js';
import type { AppServer } from '../../server/realtime/types.js';

declare const client: Socket<ServerToClientEvents, ClientToServerEvents>;
declare const server: AppServer;

client.emit('group:send', { groupId: 'g1', text: 'hi', clientMsgId: 'c1' }, (res) => {
  if (res.ok) {
    const seq: number = res.data.message.seq;
    void seq;
  } else {
    const code: ErrorCode = res.error.code;
    void code;
  }
});
client.emit('group:history', { groupId: 'g1' }, (res) => {
  if (res.ok) void res.data.hasMore;
});
client.on('group:message', (m) => {
  const kind: 'text' | 'checkin' | 'system' = m.kind;
  void kind;
});
server.to('g:1').emit('group:hand', { groupId: 'g1', userId: 'u1', raised: true });

// @ts-expect-error text is required
client.emit('group:send', { groupId: 'g1', clientMsgId: 'c1' }, () => {});
// @ts-expect-error typing is a boolean
client.emit('group:typing', { groupId: 'g1', typing: 'yes' }, () => {});
// @ts-expect-error no such client event
client.emit('group:shout', { groupId: 'g1' }, () => {});
// @ts-expect-error only the supportive set of reactions
client.emit('group:react', { groupId: 'g1', messageId: 'm1', emoji: '👎' }, () => {});
// @ts-expect-error the ack result is narrowed on ok: data does not exist on an error
client.emit('group:join', { groupId: 'g1' }, (res) => void res.data);
// @ts-expect-error group:presence carries { groupId, user, online }
server.emit('group:presence', { groupId: 'g1', online: true });
// @ts-expect-error no such server event
server.emit('group:shout', {});
client.on('group:typing', (p) => {
  // @ts-expect-error typing events carry no text
  void p.text;
});
