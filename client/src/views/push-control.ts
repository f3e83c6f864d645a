import type { AppContext } from '../context.js';
import { h } from '../dom.js';
import { describeError } from '../errors.js';
import { t } from '../i18n/i18n.js';
import { owner, pushSupported, subscribe, subscriptionInfo, subscriptionOf } from '../push.js';
import { registerWorker } from '../worker.js';

/**
 * "Notify this device" for staff (§5.5): subscribes this browser to Web Push so a new alert wakes
 * it with the page closed, or stops that. Shown only to facilitators and admins, only where the
 * browser can take pushes and the server has push turned on (`GET /api/push/key` gives a key).
 */
export class PushControl {
  readonly el: HTMLElement;
  private readonly button = h('button', { type: 'button', class: 'link', onclick: () => void this.toggle() });
  /** A polite live region: what happened, or calmly why not. */
  private readonly status = h('span', { class: 'push-status', role: 'status' });
  private reg: ServiceWorkerRegistration | undefined;
  private publicKey = '';
  private subscribed = false;
  private busy = false;

  constructor(private readonly ctx: AppContext) {
    this.el = h('span', { class: 'push-control', hidden: true }, this.button, this.status);
    if (ctx.me.role !== 'participant' && pushSupported()) void this.init();
  }

  private async init(): Promise<void> {
    const key = await this.ctx.call('GET /api/push/key');
    if (!key.ok || !key.data.publicKey) return;
    this.publicKey = key.data.publicKey;
    try {
      this.reg = await registerWorker();
      this.subscribed = (await subscriptionOf(this.reg, this.ctx.me.id)) !== undefined;
    } catch {
      return; // no worker (a private window may refuse one): nothing to offer
    }
    this.renderButton();
    this.el.hidden = false;
  }

  private renderButton(): void {
    this.button.textContent = this.subscribed ? t('Stop notifying this device') : t('Notify this device');
    this.button.disabled = this.busy;
  }

  private async toggle(): Promise<void> {
    if (!this.reg || this.busy) return;
    this.busy = true;
    this.renderButton();
    this.status.textContent = this.subscribed ? t('Stopping…') : t('Asking your browser…');
    try {
      this.status.textContent = this.subscribed ? await this.stop(this.reg) : await this.start(this.reg);
    } finally {
      this.busy = false;
      this.renderButton();
    }
  }

  private async start(reg: ServiceWorkerRegistration): Promise<string> {
    // Asked first, so a refusal gets its own words rather than a failed subscription.
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return t(BLOCKED);
    if (permission !== 'granted') return t(NOT_ALLOWED);
    let sub: PushSubscription;
    try {
      sub = await subscribe(reg, this.publicKey);
    } catch {
      // No push service to register with (Chromium's incognito windows have none), or it failed.
      return t(UNAVAILABLE);
    }
    const res = await this.ctx.conn.request('push:subscribe', subscriptionInfo(sub));
    if (!res.ok) {
      // The server will not send to it: keep no subscription that promises otherwise.
      await sub.unsubscribe().catch(() => false);
      return t('This device could not be set up for notifications. {error}', { error: describeError(res.error) });
    }
    owner.set(this.ctx.me.id);
    this.subscribed = true;
    return t('This device will be notified of new alerts, even with Bridge closed.');
  }

  private async stop(reg: ServiceWorkerRegistration): Promise<string> {
    const sub = await subscriptionOf(reg, this.ctx.me.id);
    if (sub) {
      const res = await this.ctx.conn.request('push:unsubscribe', { endpoint: sub.endpoint });
      if (!res.ok) return t('Could not stop the notifications. {error}', { error: describeError(res.error) });
      await sub.unsubscribe().catch(() => false);
    }
    owner.set(undefined);
    this.subscribed = false;
    return t('This device will no longer be notified.');
  }
}

const BLOCKED =
  'Notifications are blocked for Bridge in this browser. To be notified here, allow them in the site settings, then try again.';
const NOT_ALLOWED = 'Notifications were not allowed, so this device will not be notified. You can try again at any time.';
const UNAVAILABLE = 'This browser could not set up notifications just now. Alerts still show here while Bridge is open.';
