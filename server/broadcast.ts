import type { ServerEventName, ServerPayload } from '../shared/index.js';
import type { Announcement, Unsequenced } from './store/store.js';

/**
 * How services publish events without knowing Socket.IO. The realtime layer implements it over
 * the adapter, so every call reaches sockets on every node.
 */
export interface Broadcaster {
  /** To every socket in the group's room, optionally except all sockets of one user. */
  toGroup<E extends ServerEventName>(groupId: string, event: E, payload: ServerPayload<E>, exceptUserId?: string): void;
  /** To the group's room on this node only: for an event the store already published to the other nodes. */
  toGroupHere<E extends ServerEventName>(groupId: string, event: E, payload: ServerPayload<E>): void;
  /**
   * The other nodes' copy of a new group message, for the store to publish with its append
   * (server/realtime/announce.ts), or undefined when the fan-out cannot take one.
   */
  announcement(message: Unsequenced): Announcement | undefined;
  /** To every socket of one user. */
  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void;
  /** To every socket of each of these users, once each. */
  toUsers<E extends ServerEventName>(userIds: string[], event: E, payload: ServerPayload<E>): void;
  /** To every socket of each of these users and of every admin, once each (staff: a group's facilitators and the admins). */
  toStaff<E extends ServerEventName>(userIds: string[], event: E, payload: ServerPayload<E>): void;
  /** To every socket of every admin (token role `admin`), on every node. */
  toAdmins<E extends ServerEventName>(event: E, payload: ServerPayload<E>): void;
  /** Takes every socket of the user out of the group's room, on every node. */
  removeFromGroup(userId: string, groupId: string): void;
  /** Every socket, on every node, forgets what it was admitted to in this partnership. */
  partnershipEnded(partnershipId: string): void;
}
