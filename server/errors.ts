import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ErrorCode, type Issue, type WireError } from '../shared/errors.js';
import type { AgreementTerms } from '../shared/schemas/agreement.js';
import type { Logger } from './logger.js';

/** The one error the server throws on purpose; anything else becomes INTERNAL on the wire. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { retryAfterMs?: number; issues?: Issue[]; agreement?: AgreementTerms } = {},
  ) {
    super(message);
  }

  get status(): number {
    return ErrorCode[this.code];
  }
}

export function badRequest(error: z.ZodError): AppError {
  const issues = error.issues.slice(0, 20).map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  const where = issues[0]?.path.join('.') || 'payload';
  return new AppError('BAD_REQUEST', `invalid ${where}: ${issues[0]?.message ?? 'bad payload'}`, { issues });
}

/**
 * Decides everything about an error that reaches the wire: AppErrors pass as they are,
 * anything else is logged with a correlation id and answered as INTERNAL without a stack.
 */
export function toWireError(err: unknown, log: Logger, context: Record<string, unknown>): WireError {
  if (err instanceof AppError) {
    const wire: WireError = { code: err.code, message: err.message };
    if (err.extra.retryAfterMs !== undefined) wire.retryAfterMs = Math.max(1, Math.ceil(err.extra.retryAfterMs));
    if (err.extra.issues) wire.issues = err.extra.issues;
    if (err.extra.agreement) wire.agreement = { version: err.extra.agreement.version, text: err.extra.agreement.text };
    return wire;
  }
  if (isStoreUnavailable(err)) {
    log.warn({ ...context, err: (err as Error).name }, 'store unavailable');
    // A write whose reply was lost (timed out, or the connection dropped after Redis ran it) may
    // have been stored, so the answer never claims it was not; the resend is what settles it.
    return { code: 'INTERNAL', message: STORE_UNAVAILABLE, retryAfterMs: storeRetryMs() };
  }
  const ref = randomUUID();
  log.error({ ...context, ref, err: describeError(err) }, 'unexpected error');
  return { code: 'INTERNAL', message: `internal error (ref ${ref})` };
}

export function httpStatus(wire: WireError): number {
  return ErrorCode[wire.code];
}

/**
 * What of an unexpected error may be logged. A SyntaxError from JSON.parse quotes its input, which
 * could be message text, so its message is dropped; stacks keep their frames only.
 */
function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
  return { type: err.name, ...(err instanceof SyntaxError ? {} : { message: err.message }), stack: frames };
}

const STORE_RETRY_MS = 1000;

/**
 * 1–2 s, drawn anew for every answer. A fixed wait sent a reconnect storm's timed-out joins back
 * all in the same second, into the backlog that timed them out (a 28 s retry storm in the
 * benchmark); spread over a second, the retries find the backlog drained.
 */
export function storeRetryMs(): number {
  return STORE_RETRY_MS + Math.floor(Math.random() * STORE_RETRY_MS);
}
const STORE_UNAVAILABLE =
  'storage is unavailable right now, so this may not have taken effect; try again shortly (a message resent with the same clientMsgId is never stored twice)';

/**
 * ioredis's ways of saying Redis cannot be reached right now (reconnecting, retries spent,
 * connection closed). Callers get a clear, retryable answer instead of a correlation id.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError' || isStoreTimeout(err)) return true;
  return /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|LOADING|MASTERDOWN|CLUSTERDOWN/.test(
    err.message,
  );
}

/** ioredis's commandTimeout: Redis holds the connection open but does not answer (stalled, paused). */
function isStoreTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === 'Command timed out';
}

/** A setting the node cannot start with; the message names the variable, and the entry point exits with it. */
export class ConfigError extends Error {}
