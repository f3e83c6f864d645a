import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Command, type Redis } from 'ioredis';

export type Arg = string | number | Buffer;

/**
 * A Lua script on the path of every group send, called without ioredis's per-call machinery. Through
 * a defined command on an auto-pipelining client each call costs a Pipeline per tick (which copies
 * every defined script onto itself: over forty here), a promise per layer and a RESP string built by
 * concatenation. Here EVALSHA is encoded once into one buffer and handed to the client's own queue
 * (`sendCommand`), which keeps what ioredis gives every command: the command timeout, the offline
 * queue while reconnecting, retries, reply parsing. Calls made before the event loop's next check
 * phase still leave in one write, as auto-pipelining did: the socket is corked at the first and
 * uncorked by setImmediate. NOSCRIPT (a restarted or flushed Redis) goes to `loading`, the defined
 * command, which sends the script itself. One Redis server only: a Cluster routes by slot, which
 * the defined command does.
 */
export class HotScript {
  private readonly head: Buffer;
  private corked: Socket | undefined;
  private readonly uncork = (): void => {
    this.corked?.uncork();
    this.corked = undefined;
  };

  constructor(
    private readonly client: Redis,
    lua: string,
    numberOfKeys: number,
    private readonly loading: (...args: Arg[]) => Promise<unknown>,
  ) {
    const sha = createHash('sha1').update(lua).digest('hex');
    this.head = Buffer.from(`$7\r\nevalsha\r\n$40\r\n${sha}\r\n$${String(numberOfKeys).length}\r\n${numberOfKeys}\r\n`, 'latin1');
  }

  call(args: readonly Arg[]): Promise<unknown> {
    const command = new Encoded(encodeCall(this.head, args));
    this.coalesce();
    void this.client.sendCommand(command);
    return command.promise.catch((err: unknown) => {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return this.loading(...args);
      throw err;
    });
  }

  private coalesce(): void {
    const stream = this.client.stream as Socket | undefined;
    if (this.corked || !stream || this.client.status !== 'ready') return;
    stream.cork();
    this.corked = stream;
    setImmediate(this.uncork);
  }
}

/** A command whose RESP is already written: ioredis writes `wire` (again after a reconnect). */
class Encoded extends Command {
  constructor(private readonly wire: Buffer) {
    super('evalsha', [], { replyEncoding: 'utf8' });
  }

  override toWritable(): Buffer {
    return this.wire;
  }
}

/**
 * `*<n>` then `head` (the command, its sha and key count, already RESP) then every argument as a
 * bulk string, in one buffer: lengths first, then written in place.
 */
export function encodeCall(head: Buffer, args: readonly Arg[]): Buffer {
  const texts = new Array<string | Buffer>(args.length);
  const lengths = new Array<number>(args.length);
  const count = `*${args.length + 3}\r\n`;
  let size = count.length + head.length;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const text = typeof arg === 'number' ? String(arg) : arg;
    const length = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    texts[i] = text;
    lengths[i] = length;
    size += String(length).length + length + 5;
  }
  const wire = Buffer.allocUnsafe(size);
  let at = wire.write(count, 0, 'latin1');
  at += head.copy(wire, at);
  for (let i = 0; i < args.length; i++) {
    const text = texts[i]!;
    at += wire.write(`$${lengths[i]}\r\n`, at, 'latin1');
    at += typeof text === 'string' ? wire.write(text, at, 'utf8') : text.copy(wire, at);
    wire[at++] = 13;
    wire[at++] = 10;
  }
  return wire;
}
