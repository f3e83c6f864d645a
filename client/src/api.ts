import type { WireError } from '../../shared/index.js';

/** A server error, or NO_ANSWER when the request never got one (offline, timeout). */
export type ClientError = WireError | { code: 'NO_ANSWER'; message: string; retryAfterMs?: number };
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export const noAnswer = (message = 'No answer from the server. Check your connection and try again.'): { ok: false; error: ClientError } => ({
  ok: false,
  error: { code: 'NO_ANSWER', message },
});

/** JSON over HTTP (§8), with the bearer token when given; never throws. */
export async function api<T>(path: string, opts: { token?: string; method?: string; body?: unknown } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(path, { method: opts.method ?? 'GET', headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const json = (await res.json()) as Reply<T>;
    if (json && typeof json === 'object' && typeof json.ok === 'boolean') return json;
    return noAnswer(`Unexpected answer from the server (${res.status}).`);
  } catch {
    return noAnswer();
  }
}
