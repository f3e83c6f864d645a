import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client written on a bare TCP socket, for what real clients never do: stop reading
 * (pause the socket so the kernel buffers fill and the server's writes back up) while still
 * speaking enough Engine.IO/Socket.IO to authenticate and join.
 */
export class RawWebSocket {
  private buf = Buffer.alloc(0);
  private readonly texts: string[] = [];
  private ended = false;
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
    });
    socket.once('close', () => (this.ended = true));
  }

  /** Upgrades `GET /socket.io/?EIO=4&transport=websocket` and resolves once the 101 is in. */
  static open(url: string): Promise<RawWebSocket> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.write(
          [
            'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1',
            `Host: ${hostname}:${port}`,
            'Upgrade: websocket',
            'Connection: Upgrade',
            `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
            'Sec-WebSocket-Version: 13',
            '',
            '',
          ].join('\r\n'),
        );
        let head = '';
        const onHead = (d: Buffer) => {
          head += d.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          socket.off('data', onHead);
          if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          const ws = new RawWebSocket(socket);
          const rest = Buffer.from(head.slice(end + 4), 'latin1');
          if (rest.length) socket.emit('data', rest);
          resolve(ws);
        };
        socket.on('data', onHead);
      });
    });
  }

  /** Sends one masked text frame (clients must mask). */
  send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 0xff]);
    if (len > 0xffff) throw new Error('frame too large for this helper');
    for (let i = 0; i < len; i++) payload[i]! ^= mask[i % 4]!;
    this.socket.write(Buffer.concat([head, mask, payload]));
  }

  /** Resolves the first text frame that satisfies `pred` (waiting up to timeoutMs). */
  async next(pred: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = this.texts.findIndex(pred);
      if (i >= 0) return this.texts.splice(0, i + 1)[i]!;
      if (Date.now() > until) throw new Error('no matching frame');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Resolves once the server has closed the connection: a close frame (this helper never answers
   * it, so the TCP connection itself may linger in the server's close handshake) or the TCP close.
   */
  async closed(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > until) throw new Error('the server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops reading: nothing more leaves the kernel's receive buffer, so the sender backs up. */
  stopReading(): void {
    this.socket.pause();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): void {
    for (;;) {
      if (this.buf.length < 2) return;
      let len = this.buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) return;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) return;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) return;
      const opcode = this.buf[0]! & 0x0f;
      if (opcode === 1) this.texts.push(this.buf.subarray(off, off + len).toString());
      if (opcode === 8) this.ended = true;
      this.buf = this.buf.subarray(off + len);
    }
  }
}
