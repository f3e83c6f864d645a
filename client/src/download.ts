import { h } from './dom.js';

/**
 * Fetches a CSV the API serves only with the bearer token and hands it to the browser as a file:
 * a plain link would need the token in its URL (kept in history and logs). False when it failed.
 */
export async function downloadCsv(token: string, path: string, filename: string): Promise<boolean> {
  try {
    const res = await fetch(path, { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
    if (!res.ok) return false;
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: filename, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return true;
  } catch {
    return false;
  }
}
