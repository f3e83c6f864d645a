import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'text', '*.text', 'token', '*.token', 'name', '*.name', 'note', '*.note',
  'authorization', '*.authorization', 'req.headers.authorization', 'auth', '*.auth',
];

/**
 * JSON logs that carry ids and codes only. Call sites never pass payloads; the redaction list is
 * the safety net should one slip through (message text, tokens, display names).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
