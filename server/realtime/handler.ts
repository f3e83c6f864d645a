import type { ClientEventName, Payload, Result, Ack } from '../../shared/index.js';
import { clientEvents } from '../../shared/index.js';
import { badRequest, toWireError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AppSocket } from './types.js';

export type HandlerContext = {
  log: Logger;
  /** Counts handlers in flight, so shutdown can wait for their acks. */
  inflight: { count: number };
  /** Ends a socket whose token has expired; returns true when it did. */
  expireIfDue: (socket: AppSocket) => boolean;
  /** Called after a payload failed its schema: invalid events cost flood budget. */
  onInvalid?: (socket: AppSocket) => void;
  /** Told every ack's outcome ('ok' or the error code) and, for valid events, its latency (metrics). */
  observe?: (event: ClientEventName, outcome: string, seconds?: number) => void;
};

/**
 * Registers one client event: validates the payload with its shared schema (BAD_REQUEST with the
 * zod issues), runs the handler with a typed value, and calls the ack exactly once with
 * `{ ok: true, data }` or `{ ok: false, error }`. An event without an ack callback is still
 * processed. Nothing a client sends can throw out of here.
 * @example on(socket, ctx, 'group:leave', async ({ groupId }) => { await socket.leave(groupRoom(groupId)); return {}; })
 */
export function on<E extends ClientEventName>(
  socket: AppSocket,
  ctx: HandlerContext,
  event: E,
  handler: (payload: Payload<E>) => Promise<Result<E>> | Result<E>,
): void {
  const schema = clientEvents[event].payload;
  socket.on(event as never, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (res: Ack<Result<E>>) => void) : undefined;
    const payload = ack && args.length === 1 ? undefined : args[0];
    if (ctx.expireIfDue(socket)) return;
    const reply = (res: Ack<Result<E>>) => {
      if (ack) ack(res);
    };
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply({ ok: false, error: toWireError(badRequest(parsed.error), ctx.log, { event }) });
      ctx.observe?.(event, 'BAD_REQUEST');
      ctx.onInvalid?.(socket);
      return;
    }
    ctx.inflight.count++;
    const started = performance.now();
    const settle = (res: Ack<Result<E>>) => {
      ctx.observe?.(event, res.ok ? 'ok' : res.error.code, (performance.now() - started) / 1000);
      reply(res);
    };
    new Promise<Result<E>>((resolve) => resolve(handler(parsed.data as Payload<E>)))
      .then(
        (data) => settle({ ok: true, data }),
        (err: unknown) => settle({ ok: false, error: toWireError(err, ctx.log, { event, userId: socket.data.user.id, socketId: socket.id }) }),
      )
      .finally(() => ctx.inflight.count--);
  });
}
