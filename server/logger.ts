import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs that carry ids and codes only. Call sites never pass payloads; the redaction list is
 * the safety net should one slip through (message text, tokens, display names).
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: ['text', '*.text', 'token', '*.token', 'name', '*.name', 'note', '*.note', 'authorization', '*.authorization', 'req.headers.authorization', 'auth', '*.auth'],
      censor: '[redacted]',
    },
  });
}
