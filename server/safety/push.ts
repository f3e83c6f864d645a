import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { PushSubscriptionInfo, StaffAlert } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { PushConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';

/** Seconds a push service may hold the wake-up for an offline device: an alert older than this is stale. */
const TTL_SEC = 3600;

/** Whether the endpoint's host is on PUSH_HOSTS (`*.example.com` matches its subdomains only). */
export function pushHostAllowed(endpoint: string, hosts: string[]): boolean {
  let host: string;
  try {
    const url = new URL(endpoint);
    if (url.protocol !== 'https:') return false;
    host = url.hostname.toLowerCase();
  } catch {
    return false;
  }
  return hosts.some((h) => {
    const allowed = h.toLowerCase();
    return allowed.startsWith('*.') ? host.endsWith(allowed.slice(1)) && host.length > allowed.length - 1 : host === allowed;
  });
}

/**
 * Web Push to staff devices (§5.5): a wake-up carrying only `{ type: 'alert', alertId }`, so the
 * push service, and a lock screen, learn nothing of who or what; the app fetches the alert itself.
 * Off (subscribe refused, nothing sent) without the VAPID keys.
 */
export class PushService {
  constructor(
    private readonly store: Pick<Stores, 'push'>,
    private readonly config: PushConfig | undefined,
    private readonly log: Logger,
    /** The HTTPS agent for the push services (tests trust their local endpoint's certificate with it). */
    private readonly agent?: Agent,
  ) {}

  /** The VAPID public key a browser subscribes with; undefined when push is off. */
  get publicKey(): string | undefined {
    return this.config?.publicKey;
  }

  async subscribe(actor: Identity, subscription: PushSubscriptionInfo): Promise<void> {
    const config = this.enabledFor(actor);
    if (!pushHostAllowed(subscription.endpoint, config.hosts))
      throw new AppError('BAD_REQUEST', 'invalid endpoint: not a push service this server sends to');
    await this.store.push.addPushSubscription(actor.id, subscription, actor.role === 'admin');
  }

  async unsubscribe(actor: Identity, endpoint: string): Promise<void> {
    await this.store.push.removePushSubscription(actor.id, endpoint);
  }

  /** A new alert reached these facilitators (and the admins): wakes their devices. Never throws. */
  async alertRaised(alert: StaffAlert, facilitators: string[]): Promise<void> {
    if (!this.config) return;
    try {
      const recipients = new Set([...facilitators, ...(await this.store.push.pushAdmins())]);
      const payload = JSON.stringify({ type: 'alert', alertId: alert.id });
      await Promise.all([...recipients].map((userId) => this.sendTo(userId, payload)));
    } catch (err) {
      this.log.warn({ alertId: alert.id, err: err instanceof Error ? err.name : typeof err }, 'push for alert failed');
    }
  }

  private enabledFor(actor: Identity): PushConfig {
    if (!this.config) throw new AppError('NOT_FOUND', 'Web Push is off on this server');
    if (actor.role === 'participant') throw new AppError('FORBIDDEN', 'only staff receive alert pushes');
    return this.config;
  }

  private async sendTo(userId: string, payload: string): Promise<void> {
    const config = this.config!;
    const subscriptions = await this.store.push.pushSubscriptionsOf(userId);
    await Promise.all(
      subscriptions.map(async (s) => {
        // PUSH_HOSTS may have shrunk since the subscription was stored.
        if (!pushHostAllowed(s.endpoint, config.hosts)) return;
        try {
          await webpush.sendNotification(s, payload, {
            vapidDetails: { subject: config.subject, publicKey: config.publicKey, privateKey: config.privateKey },
            TTL: TTL_SEC,
            urgency: 'high',
            timeout: 10_000,
            ...(this.agent ? { agent: this.agent } : {}),
          });
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          // The push service says the subscription is gone (the browser unsubscribed or expired it).
          if (status === 404 || status === 410) await this.store.push.removePushSubscription(userId, s.endpoint);
          else this.log.warn({ userId, status }, 'push delivery failed');
        }
      }),
    );
  }
}
