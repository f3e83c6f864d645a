import type { JsonRouteKey, RouteRequest, RouteResult, WireError } from '../../shared/index.js';
import { t } from './i18n/i18n.js';

/** A server error, or NO_ANSWER when the request never got one (offline, timeout). */
export type ClientError = WireError | { code: 'NO_ANSWER'; message: string; retryAfterMs?: number };
export type Reply<T> = { ok: true; data: T } | { ok: false; error: ClientError };

export const noAnswer = (
  message = t('No answer from the server. Check your connection and try again.'),
): { ok: false; error: ClientError } => ({
  ok: false,
  error: { code: 'NO_ANSWER', message },
});

/** The request may be left out only where the route takes no `:param` and no body. */
type CallArgs<K extends JsonRouteKey> = object extends RouteRequest<K> ? [request?: RouteRequest<K>] : [request: RouteRequest<K>];
/** Calls a JSON route of §8 by its key in shared/http.ts: what it sends and answers are typed by the route's schemas. */
export type Call = <K extends JsonRouteKey>(route: K, ...args: CallArgs<K>) => Promise<Reply<RouteResult<K>>>;
type AnyRequest = { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };

/**
 * JSON over HTTP (§8), with the bearer token when given; never throws. The answer is trusted to
 * match the route's result schema: checking it would put zod in the browser bundle.
 */
export function httpCaller(token?: string): Call {
  return ((route: string, request: AnyRequest = {}) => send(route, request, token)) as Call;
}

async function send(route: string, { params = {}, query = {}, body }: AnyRequest, token?: string): Promise<Reply<unknown>> {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const search = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(search ? `${path}?${search}` : path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as Reply<unknown>;
    if (json && typeof json === 'object' && typeof json.ok === 'boolean') return json;
    return noAnswer(t('Unexpected answer from the server ({status}).', { status: res.status }));
  } catch {
    return noAnswer();
  }
}
