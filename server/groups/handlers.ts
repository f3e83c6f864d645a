import { done, type SocketHandlers } from '../realtime/handler.js';
import { groupRoom } from '../realtime/types.js';
import type { GroupService } from './service.js';

/** Thin socket handlers for group rooms: validated (by the listener), call the service, ack. */
export function groupHandlers(groups: GroupService): SocketHandlers {
  return {
    'group:join': (p, socket) => groups.join(socket.data.user, p, () => socket.join(groupRoom(p.groupId))),
    'group:leave': async ({ groupId }, socket) => {
      await socket.leave(groupRoom(groupId));
      await groups.leave(socket.data.user, groupId);
      return {};
    },
    'group:send': async (p, socket) => ({ message: await groups.send(socket.data.user, p) }),
    'group:history': (p, socket) => groups.history(socket.data.user, p),
    'group:typing': (p, socket) => groups.typing(socket.data.user, p, socket.rooms.has(groupRoom(p.groupId))).then(done),
    'group:hand': (p, socket) => groups.hand(socket.data.user, p).then(done),
    'group:react': async (p, socket) => ({ reactions: await groups.react(socket.data.user, p) }),
  };
}
