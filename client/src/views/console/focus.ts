/**
 * After a list is drawn again, the button that had focus may be gone and focus with it (to the
 * page's start): it goes to `fallback` instead, a heading with tabindex -1 just above.
 */
export function refocus(fallback: HTMLElement): void {
  if (!document.activeElement || document.activeElement === document.body) fallback.focus();
}
