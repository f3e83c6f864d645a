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

/** The empty result of an action whose ack only says it happened. */
export const done = (): Record<string, never> => ({});

/** What a client event does: the validated payload in, the ack's `data` out (or a thrown AppError). */
export type SocketHandler<E extends ClientEventName> = (payload: Payload<E>, socket: AppSocket) => Promise<Result<E>> | Result<E>;
export type SocketHandlers = { [E in ClientEventName]?: SocketHandler<E> };

/**
 * Builds one listener per client event, shared by every socket (the socket is `this`), and returns
 * what attaches them to a socket. Each listener validates the payload with its shared schema
 * (BAD_REQUEST with the zod issues), runs the handler with a typed value, and calls the ack
 * exactly once with `{ ok: true, data }` or `{ ok: false, error }`. An event without an ack
 * callback is still processed; an event no handler knows is ignored. Nothing a client sends can
 * throw out of here. A socket holds one catch-all listener (`onAny`) that picks the event's, not a
 * closure per socket and event (those were a third of a connected client's heap), nor an entry per
 * event in its own listener table (about forty).
 * @example io.on('connection', socketListeners(ctx, { 'group:leave': async ({ groupId }, socket) => { await socket.leave(groupRoom(groupId)); return {}; } }))
 */
export function socketListeners(ctx: HandlerContext, handlers: SocketHandlers): (socket: AppSocket) => void {
  const listeners = new Map(
    (Object.keys(handlers) as ClientEventName[]).map(
      (event) => [event as string, listenerFor(ctx, event, handlers[event] as SocketHandler<typeof event>)] as const,
    ),
  );
  const dispatch = function (this: AppSocket, event: unknown, ...args: unknown[]) {
    if (typeof event === 'string') listeners.get(event)?.apply(this, args);
  };
  return (socket) => {
    socket.onAny(dispatch);
  };
}

function listenerFor<E extends ClientEventName>(
  ctx: HandlerContext,
  event: E,
  handler: SocketHandler<E>,
): (this: AppSocket, ...args: unknown[]) => void {
  const schema = clientEvents[event].payload;
  return function (this: AppSocket, ...args: unknown[]) {
    const socket = this;
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
    new Promise<Result<E>>((resolve) => resolve(handler(parsed.data as Payload<E>, socket)))
      .then(
        (data) => settle({ ok: true, data }),
        (err: unknown) =>
          settle({ ok: false, error: toWireError(err, ctx.log, { event, userId: socket.data.user.id, socketId: socket.id }) }),
      )
      .finally(() => ctx.inflight.count--);
  };
}
