/**
 * The alert a link names: `#alert=<id>`, as the escalation webhook's link (§7.2) and a push
 * notification's click (§5.5) open the app; also beside a portal's `token=`.
 */
export function alertInHash(hash = location.hash): string | undefined {
  return new URLSearchParams(hash.slice(1)).get('alert') || undefined;
}

/** Takes `#alert=…` out of the address once read, so a reload does not open it again. */
export function clearAlertFromHash(): void {
  if (alertInHash()) history.replaceState(null, '', location.pathname + location.search);
}
