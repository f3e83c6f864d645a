import type { ServerEventName } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import { groupMessageAnnouncer } from './announce.js';
import { ADMINS_ROOM, groupRoom, partnerRoom, userRoom, type AppServer } from './types.js';

/** `published` hears each event name once per call (metrics count messages from it). */
export function socketBroadcaster(io: AppServer, published: (event: ServerEventName) => void = () => {}): Broadcaster {
  const announcer = groupMessageAnnouncer(io);
  return {
    toGroup(groupId, event, payload, exceptUserId) {
      published(event);
      const target = io.to(groupRoom(groupId));
      (exceptUserId === undefined ? target : target.except(userRoom(exceptUserId))).emit(event, ...([payload] as never));
    },
    toGroupHere(groupId, event, payload) {
      published(event);
      io.local.to(groupRoom(groupId)).emit(event, ...([payload] as never));
    },
    announcement(message) {
      return announcer?.(message);
    },
    toUser(userId, event, payload) {
      published(event);
      io.to(userRoom(userId)).emit(event, ...([payload] as never));
    },
    toUsers(userIds, event, payload) {
      published(event);
      if (userIds.length) io.to(userIds.map(userRoom)).emit(event, ...([payload] as never));
    },
    toStaff(userIds, event, payload) {
      published(event);
      io.to([...userIds.map(userRoom), ADMINS_ROOM]).emit(event, ...([payload] as never));
    },
    toAdmins(event, payload) {
      published(event);
      io.to(ADMINS_ROOM).emit(event, ...([payload] as never));
    },
    removeFromGroup(userId, groupId) {
      leaveEverywhere(io, userRoom(userId), groupRoom(groupId));
    },
    partnershipEnded(partnershipId) {
      leaveEverywhere(io, partnerRoom(partnershipId), partnerRoom(partnershipId));
    },
  };
}

/**
 * The sockets in `from` leave `room`: on this node at once, then on every node. The Redis adapter
 * only publishes the request (this node applies it when its own message comes back), so without
 * the local step a socket here could still type, or hear the room, after the ack of the ban.
 */
function leaveEverywhere(io: AppServer, from: string, room: string): void {
  io.local.in(from).socketsLeave(room);
  io.in(from).socketsLeave(room);
}
