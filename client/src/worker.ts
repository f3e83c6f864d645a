/**
 * The site's one service worker (client/public/sw.js, scope `/`): it keeps the app shell so the
 * page opens offline (§8.1, "The app shell") and shows Web Push notifications to staff (§5.5).
 */

const WORKER_URL = '/sw.js';

/** Plain http other than localhost has no service worker (`navigator.serviceWorker` is absent). */
export function workerSupported(): boolean {
  return 'serviceWorker' in navigator;
}

/** Registers the worker, or gives back its registration when it already is. */
export function registerWorker(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.register(WORKER_URL, { scope: '/' });
}

/**
 * Registers the worker for everyone once the page has loaded, so that registering never competes
 * with the page's own first load, and the next visit opens even without a network.
 */
export function keepShellOffline(): void {
  if (!workerSupported()) return;
  const register = () =>
    registerWorker().catch(() => {
      // refused (a private window, storage turned off): the page works as before, online only
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
