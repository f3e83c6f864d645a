import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
  'text',
  '*.text',
  'token',
  '*.token',
  'name',
  '*.name',
  'note',
  '*.note',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'auth',
  '*.auth',
];

/**
 * JSON logs that carry ids and codes only. Call sites never pass payloads; the redaction list is
 * the safety net should one slip through (message text, tokens, display names).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** A person reads a terminal; everything else (a pipe, a file, a log collector) gets one JSON object a line. */
export function logFormat(stdout: { isTTY?: boolean }): 'pretty' | 'json' {
  return stdout.isTTY ? 'pretty' : 'json';
}

/**
 * The node's own logger: pretty, levelled lines when stdout is a terminal, JSON otherwise. The
 * pretty printer is a dev dependency, so an install without it (a production image built with
 * --omit=dev) logs JSON, quietly. It runs in this thread and writes synchronously, so the lines
 * written just before process.exit (a failed shutdown) are not lost.
 */
export async function createNodeLogger(level: string): Promise<Logger> {
  const pretty = logFormat(process.stdout) === 'pretty' ? await prettyPrinter() : undefined;
  return createLogger(
    level,
    pretty?.({
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      // The start line reads "bridge node listening at http://localhost:3000".
      messageFormat: '{msg}{if url} at {url}{end}',
    }),
  );
}

async function prettyPrinter(): Promise<typeof import('pino-pretty') | undefined> {
  try {
    return (await import('pino-pretty')).default;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
