import type { GlobalRole } from '../../shared/index.js';

/** Who the token says I am. The server verifies the token; the page only reads it to know itself. */
export type Me = { id: string; name: string; role: GlobalRole; exp: number; token: string };

const KEY = 'bridge.token';
const ROLES: readonly string[] = ['participant', 'facilitator', 'admin'];

/** Reads the token's claims without verifying them; undefined if it is not a JWT we can use. */
export function decodeToken(token: string): Me | undefined {
  const part = token.trim().split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const { sub, name, role, exp } = claims;
    if (typeof sub !== 'string' || typeof name !== 'string' || typeof role !== 'string' || !ROLES.includes(role) || typeof exp !== 'number')
      return undefined;
    return { id: sub, name, role: role as GlobalRole, exp, token: token.trim() };
  } catch {
    return undefined;
  }
}

export const isExpired = (me: Me) => me.exp * 1000 <= Date.now();

/**
 * A clinic portal hands the token over as `#token=…`. It is taken out of the address bar at once,
 * so it stays out of the history, bookmarks and screenshots.
 */
export function takeFragmentToken(): string | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (!token) return undefined;
  history.replaceState(null, '', location.pathname + location.search);
  return token;
}

/** The token lives in this tab's session storage: it survives a reload, not closing the tab. */
export const savedToken = {
  get: (): string | null => {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set: (token: string) => {
    try {
      sessionStorage.setItem(KEY, token);
    } catch {
      // Private modes may refuse storage; the session then lasts as long as the page.
    }
  },
  clear: () => {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // as above
    }
  },
};
