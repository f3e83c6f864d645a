// Bridge's service worker (docs/protocol.md §5.5, "Web Push to staff devices"): it exists only to
// show a staff member's device that a new alert waits, with the page closed. Plain JavaScript,
// served as it is from the site root so its scope is the whole app.
//
// A push carries exactly { type: 'alert', alertId }. The notification says nothing more than that
// an alert waits: no message text, name, group or kind, so a lock screen shows nothing private.
// The app, once open and signed in, shows the alert to whoever may see it.

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
