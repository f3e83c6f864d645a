// Bridge's service worker, the one worker of the site (scope: the whole app), served as it is from
// the site root. Plain JavaScript. It does two things:
//
// - The app shell (docs/protocol.md §8.1, "The app shell"): it keeps the page's own files so
//   Bridge opens on a bad connection or none. Network first, so a new release is picked up at
//   once; the kept copy only when the network fails. Nothing else is ever kept: the API (/api/,
//   /auth/), Socket.IO and so every message go to the network, never into a cache.
// - Web Push to staff devices (§5.5, "Web Push to staff devices"): it shows a staff member's device
//   that a new alert waits, with the page closed. A push carries exactly { type: 'alert', alertId }.
//   The notification says nothing more than that an alert waits: no message text, name, group or
//   kind, so a lock screen shows nothing private. The app, once open and signed in, shows the
//   alert to whoever may see it.

/** Bumped when SHELL changes; activating a new version deletes every other cache. */
const SHELL_CACHE = 'bridge-shell-v2';
/** What opening the page needs, fetched when the worker installs, with the chunks app.js names. */
const OPENING = ['/', '/app.js', '/app.css', '/icons/icon.svg', '/manifest.webmanifest'];
/**
 * The whole shell: also the install icons (kept when the browser fetches them, installing the app)
 * and the Spanish catalogue (kept once a Spanish page fetched it), and every chunk of the bundle
 * (/chunks/: code app.js imports, at once or when a screen needs it; named by their content).
 */
const SHELL = [...OPENING, '/icons/icon-192.png', '/icons/icon-512.png', '/es.js'];
const isShell = (path) => SHELL.includes(path) || /^\/chunks\/[\w-]+\.js$/.test(path);

/** The chunks a script names ("./chunks/…js", static or dynamic imports), as paths. */
const chunksOf = (script) => [...new Set([...script.matchAll(/["'`]\.\/(chunks\/[\w-]+\.js)["'`]/g)].map((m) => `/${m[1]}`))];

/** How long the shell waits for the network before answering with the kept copy. */
const PATIENCE_MS = 3000;

/**
 * Keeps a good, same-origin, unredirected answer (a redirected one cannot answer a navigation).
 * Call it as soon as the answer arrives: it copies the body before the page reads it.
 */
async function keep(path, res) {
  if (!res.ok || res.type !== 'basic' || res.redirected) return;
  const copy = res.clone();
  await (await caches.open(SHELL_CACHE)).put(path, copy);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // Each file on its own, forgiving: one that fails now (a client that did not build) is kept
      // on a later visit, and the worker installs anyway, since push depends on it.
      const fetchAndKeep = (path) =>
        fetch(path, { cache: 'no-cache' })
          .then(async (res) => {
            await keep(path, res.clone());
            return path === '/app.js' && res.ok ? res.text() : '';
          })
          .catch(() => '');
      const [, script] = await Promise.all([
        Promise.all(OPENING.filter((p) => p !== '/app.js').map(fetchAndKeep)),
        fetchAndKeep('/app.js'),
      ]);
      await Promise.all(chunksOf(script).map(fetchAndKeep));
      // A new version takes over at once: the shell is network first, so no page is left with a
      // mix of old and new files.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL_CACHE) await caches.delete(name);
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the shell's own paths; everything else (the API, Socket.IO, any other site) is not
  // answered here, so the browser fetches it as if there were no worker.
  if (request.method !== 'GET' || url.origin !== self.location.origin || !isShell(url.pathname)) return;
  const network = fetch(request);
  // A search string, as in /?x, gets the same page.
  const kept = caches
    .open(SHELL_CACHE)
    .then((cache) => cache.match(url.pathname))
    .catch(() => undefined);
  // The network's answer replaces the kept copy, even when the kept copy answered first.
  event.waitUntil(network.then((res) => keep(url.pathname, res)).catch(() => undefined));
  event.respondWith(firstOf(network, kept));
});

/**
 * The network's answer; the kept copy when the network fails, or is still silent after PATIENCE_MS
 * (a failing connection often hangs rather than fails); the network's answer or failure when
 * nothing is kept.
 */
async function firstOf(network, kept) {
  const patience = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS));
  try {
    return (await Promise.race([network, patience.then(() => kept)])) ?? (await network);
  } catch {
    return (await kept) ?? network;
  }
}

const TITLE = 'Bridge: a new alert needs attention';
const BODY = 'Open Bridge to see it.';

/** The alert id a push names, or undefined for anything else (a push the server did not send). */
function alertIdOf(event) {
  try {
    const data = event.data ? event.data.json() : undefined;
    if (data && data.type === 'alert' && typeof data.alertId === 'string' && data.alertId) return data.alertId;
  } catch {
    // not JSON: shown as an alert without an id
  }
  return undefined;
}

self.addEventListener('push', (event) => {
  const alertId = alertIdOf(event);
  // One notification per alert: a repeated push for the same alert replaces it instead of piling up.
  const tag = alertId ? `bridge-alert-${alertId}` : 'bridge-alert';
  event.waitUntil(self.registration.showNotification(TITLE, { body: BODY, tag, data: { alertId: alertId ?? null } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const alertId = event.notification.data && event.notification.data.alertId;
  const url = new URL(alertId ? `/#alert=${encodeURIComponent(alertId)}` : '/', self.location.origin).href;
  event.waitUntil(
    (async () => {
      // This site's tabs only, whether or not this worker controls them yet.
      const [open] = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      if (!open) return self.clients.openWindow(url);
      // An open tab keeps its sign-in: tell it which alert to show instead of loading it again.
      if (alertId) open.postMessage({ type: 'open-alert', alertId });
      return open.focus();
    })(),
  );
});
