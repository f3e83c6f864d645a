import type { PushSubscriptionInfo } from '../../shared/index.js';
import { workerSupported } from './worker.js';

/**
 * The browser's half of Web Push to staff devices (§5.5): the service worker at the site root
 * (client/public/sw.js) and this device's push subscription. Which Bridge user subscribed this
 * browser is remembered beside it, because the browser keeps one subscription per site, whoever
 * is signed in.
 */

const OWNER_KEY = 'bridge.push.owner';

/** A service worker and the Push API; plain http other than localhost has neither. */
export function pushSupported(): boolean {
  return workerSupported() && 'PushManager' in window;
}

/** This browser's subscription if `userId` is who made it; undefined otherwise. */
export async function subscriptionOf(reg: ServiceWorkerRegistration, userId: string): Promise<PushSubscription | undefined> {
  const sub = await reg.pushManager.getSubscription();
  return sub && owner.get() === userId ? sub : undefined;
}

/** Asks the browser for a subscription (it asks the person for permission first). */
export async function subscribe(reg: ServiceWorkerRegistration, publicKey: string): Promise<PushSubscription> {
  return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64urlBytes(publicKey) });
}

/** What `push:subscribe` takes: the browser's own JSON form of the subscription. */
export function subscriptionInfo(sub: PushSubscription): PushSubscriptionInfo {
  const json = sub.toJSON();
  return { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

export const owner = {
  get: (): string | null => {
    try {
      return localStorage.getItem(OWNER_KEY);
    } catch {
      return null;
    }
  },
  set: (userId: string | undefined) => {
    try {
      if (userId) localStorage.setItem(OWNER_KEY, userId);
      else localStorage.removeItem(OWNER_KEY);
    } catch {
      // storage refused: the control then offers to subscribe again, which replaces the keys
    }
  },
};

function base64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(s.length / 4) * 4, '=');
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
