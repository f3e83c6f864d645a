import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';

export type SocketData = {
  user: Identity;
  /** Partnerships this socket was admitted to type into: the partner's id, once read (see partnerAccess). */
  partners?: Map<string, Promise<string | undefined>>;
  /** Ends the connection when the token expires (io.ts). */
  expiry?: NodeJS.Timeout;
};
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const groupRoom = (groupId: string) => `g:${groupId}`;
/** The group a room name is the room of, or undefined for another kind of room. */
export const groupOfRoom = (room: string) => (room.startsWith('g:') ? room.slice(2) : undefined);
export const userRoom = (userId: string) => `u:${userId}`;
/** Every admin's sockets (the role in their token): the program's alerts reach them here. */
export const ADMINS_ROOM = 'admins';
/** Nothing is sent to it: a socket in it still holds what it learnt of the partnership, and ending the partnership empties it. */
export const partnerRoom = (partnershipId: string) => `p:${partnershipId}`;
