import type { ServerEventName } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import { ADMINS_ROOM, groupRoom, partnerRoom, userRoom, type AppServer } from './types.js';

/** `published` hears each event name once per call (metrics count messages from it). */
export function socketBroadcaster(io: AppServer, published: (event: ServerEventName) => void = () => {}): Broadcaster {
  return {
    toGroup(groupId, event, payload, exceptUserId) {
      published(event);
      const target = io.to(groupRoom(groupId));
      (exceptUserId === undefined ? target : target.except(userRoom(exceptUserId))).emit(event, ...([payload] as never));
    },
    toUser(userId, event, payload) {
      published(event);
      io.to(userRoom(userId)).emit(event, ...([payload] as never));
    },
    toUsers(userIds, event, payload) {
      published(event);
      if (userIds.length) io.to(userIds.map(userRoom)).emit(event, ...([payload] as never));
    },
    toAdmins(event, payload) {
      published(event);
      io.to(ADMINS_ROOM).emit(event, ...([payload] as never));
    },
    removeFromGroup(userId, groupId) {
      io.in(userRoom(userId)).socketsLeave(groupRoom(groupId));
    },
    partnershipEnded(partnershipId) {
      io.in(partnerRoom(partnershipId)).socketsLeave(partnerRoom(partnershipId));
    },
  };
}
