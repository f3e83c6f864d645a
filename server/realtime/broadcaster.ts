import type { Broadcaster } from '../broadcast.js';
import { groupRoom, userRoom, type AppServer } from './types.js';

export function socketBroadcaster(io: AppServer): Broadcaster {
  return {
    toGroup(groupId, event, payload, exceptUserId) {
      const target = io.to(groupRoom(groupId));
      (exceptUserId === undefined ? target : target.except(userRoom(exceptUserId))).emit(event, ...([payload] as never));
    },
    toUser(userId, event, payload) {
      io.to(userRoom(userId)).emit(event, ...([payload] as never));
    },
    toUsers(userIds, event, payload) {
      if (userIds.length) io.to(userIds.map(userRoom)).emit(event, ...([payload] as never));
    },
    removeFromGroup(userId, groupId) {
      io.in(userRoom(userId)).socketsLeave(groupRoom(groupId));
    },
  };
}
