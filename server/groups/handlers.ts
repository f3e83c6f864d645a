import { done, type SocketHandlers } from '../realtime/handler.js';
import { groupRoom } from '../realtime/types.js';
import type { GroupService } from './service.js';

/** Who is in which room, as time (attendance, §5.8): told of every admitted join (leaving is the adapter's to tell, app.ts). */
export type RoomTime = { entered(groupId: string, userId: string, connId: string): Promise<void> };

/** Thin socket handlers for group rooms: validated (by the listener), call the service, ack. */
export function groupHandlers(groups: GroupService, roomTime: RoomTime): SocketHandlers {
  return {
    'group:join': async (p, socket) => {
      const result = await groups.join(socket.data.user, p, () => socket.join(groupRoom(p.groupId)));
      // After the join is admitted and before its ack, so the time in the room is there when the client hears it is in.
      // Only while the socket is still in the room: a leave meanwhile (it has already happened) would never end it.
      if (socket.rooms.has(groupRoom(p.groupId))) await roomTime.entered(p.groupId, socket.data.user.id, socket.id);
      return result;
    },
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
