import type { Socket as NetSocket } from 'node:net';
import type { Logger } from '../logger.js';
import type { AppServer } from './types.js';

/**
 * @default 4 Mi — characters a socket may have waiting in Engine.IO's buffer while its transport
 * is still busy with the previous write. A reader on a slow link drains this within seconds; a
 * burst of hundreds of small acks and messages is far below it.
 */
export const MAX_QUEUED_CHARS = 4 * 1024 * 1024;
/** @default 4 MiB — bytes a socket may have written but not yet handed to the kernel. */
export const MAX_UNSENT_BYTES = 4 * 1024 * 1024;

type QueuedPacket = { data?: string | Buffer | ArrayBuffer };

/**
 * Disconnects a client that stopped reading. Neither Socket.IO nor ws bounds what waits for a
 * client: every broadcast to a room would pile up in the server for the one socket that never
 * reads, until the process runs out of memory. Checked on every packet queued for the socket (a
 * running sum and a property read, no scan), so the bound holds however fast the room floods.
 */
export function dropSlowConsumers(io: AppServer, log: Logger): void {
  io.on('connection', (socket) => {
    const conn = socket.conn;
    let queued = 0;
    let dropped = false;
    // Everything queued goes to the transport at once; from there the TCP socket's count takes over.
    conn.on('flush', () => (queued = 0));
    conn.on('packetCreate', (packet: QueuedPacket) => {
      if (dropped) return;
      const d = packet.data;
      queued += typeof d === 'string' ? d.length : (d?.byteLength ?? 0);
      // The TCP socket under the WebSocket transport (absent for long-polling).
      const tcp = (conn.transport as unknown as { socket?: { _socket?: NetSocket } }).socket?._socket;
      const unsent = tcp?.writableLength ?? 0;
      if (queued <= MAX_QUEUED_CHARS && unsent <= MAX_UNSENT_BYTES) return;
      dropped = true;
      log.warn({ userId: socket.data.user.id, socketId: socket.id, queued, unsent }, 'disconnected a client that stopped reading');
      // Discard what is queued (a plain close waits for a drain that never comes) and free the
      // TCP buffers now rather than after the WebSocket closing handshake times out.
      conn.close(true);
      tcp?.destroy();
    });
  });
}
