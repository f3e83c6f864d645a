import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ErrorCode } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Logger } from '../logger.js';
import { ConnectionCap } from './connection-cap.js';
import type { HandlerContext } from './handler.js';
import type { AppServer, AppSocket } from './types.js';
import { ADMINS_ROOM, userRoom } from './types.js';

/** Socket.IO's own frame limit; a bigger frame closes that socket only. */
export const MAX_FRAME_BYTES = 64 * 1024;
// setTimeout's ceiling; tokens living longer are re-armed when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

export type RealtimeOptions = {
  verify: (token: unknown) => Identity;
  corsOrigins: string[];
  clockToleranceSec: number;
  /** live sockets one user may hold on this node */
  maxConnectionsPerUser: number;
  /** how long an Engine.IO session may stay without connecting a namespace */
  connectTimeoutMs: number;
  log: Logger;
};

/**
 * The Socket.IO server: JWT from `handshake.auth.token` only (never the query string), every
 * socket in its user's room (and an admin's in the admins room), and a timer that ends the
 * connection when the token expires. Each user holds at most `maxConnectionsPerUser` sockets
 * here, and a session that has not connected the namespace within `connectTimeoutMs` (no
 * handshake, or a refused one) is closed: neither costs the node more than a few seconds of memory.
 * `connectionStateRecovery` stays off: it would skip this middleware on recovery, and catch-up
 * with `since` from the store is the one recovery path.
 */
export function createIo(httpServer: HttpServer, opts: RealtimeOptions): { io: AppServer; ctx: HandlerContext } {
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    connectTimeout: opts.connectTimeoutMs,
    cors: { origin: opts.corsOrigins.length ? opts.corsOrigins : false, credentials: false },
  });

  const expiresAt = (socket: AppSocket) => (socket.data.user.exp + opts.clockToleranceSec) * 1000;
  const expire = (socket: AppSocket) => {
    socket.emit('session:expired', { reason: 'token expired' });
    socket.disconnect(true);
  };
  const ctx: HandlerContext = {
    log: opts.log,
    inflight: { count: 0 },
    expireIfDue(socket) {
      if (Date.now() < expiresAt(socket)) return false;
      expire(socket);
      return true;
    },
  };

  const cap = new ConnectionCap(opts.maxConnectionsPerUser);
  io.use((socket, next) => {
    if (!originAllowed(socket.handshake.headers.origin, socket.handshake.headers.host, opts.corsOrigins)) {
      next(refusal('FORBIDDEN'));
      return;
    }
    let user: Identity;
    try {
      const auth: unknown = socket.handshake.auth;
      const token = auth && typeof auth === 'object' ? (auth as { token?: unknown }).token : undefined;
      user = opts.verify(token);
      // Read once; the socket keeps what the token said (socket.data.user), never the token itself.
      delete (auth as { token?: unknown }).token;
    } catch {
      next(refusal('UNAUTHORIZED'));
      return;
    }
    if (!cap.take(user.id)) {
      opts.log.debug({ userId: user.id, max: cap.max }, 'connection refused: per-user cap');
      next(refusal('RATE_LIMITED', `at most ${cap.max} connections per user on this node; close another tab or device and try again`));
      return;
    }
    releaseWhenGone(socket, () => cap.release(user.id));
    socket.data.user = user;
    next();
  });

  // Shared by every socket (the socket is the timer's argument, or `this`), not closures of each:
  // an idle connection's heap is what a node's capacity is counted in.
  const armExpiry = (socket: AppSocket) => {
    const wait = expiresAt(socket) - Date.now();
    socket.data.expiry = setTimeout(wait > MAX_TIMER_MS ? armExpiry : expire, Math.min(Math.max(wait, 0), MAX_TIMER_MS), socket);
  };
  function disarmExpiry(this: AppSocket) {
    clearTimeout(this.data.expiry);
  }
  io.on('connection', (socket) => {
    void socket.join(userRoom(socket.data.user.id));
    if (socket.data.user.role === 'admin') void socket.join(ADMINS_ROOM);
    armExpiry(socket);
    socket.on('disconnect', disarmExpiry);
  });

  return { io, ctx };
}

function refusal(code: ErrorCode, message?: string): Error {
  const err = new Error(code) as Error & { data: { code: ErrorCode; message?: string } };
  err.data = message === undefined ? { code } : { code, message };
  return err;
}

/**
 * Calls `release` once, when the socket disconnects or, for a socket that never connected (a later
 * middleware refused it, or its client left mid-handshake), when its transport closes: such a
 * socket emits no 'disconnect'.
 */
function releaseWhenGone(socket: AppSocket, release: () => void): void {
  let held = true;
  const done = () => {
    if (!held) return;
    held = false;
    release();
  };
  socket.conn.once('close', done);
  socket.once('disconnect', () => {
    socket.conn.off('close', done);
    done();
  });
}

/**
 * Browsers send Origin; a page from anywhere but this server or an allowlisted origin is refused
 * (exact match: "https://bridge.example.org.evil.test" is not "https://bridge.example.org").
 * Clients that are not browsers send no Origin and are judged by their token alone.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowlist: string[]): boolean {
  if (origin === undefined) return true;
  if (allowlist.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
