import type { Invite, SafetyResources } from '../../shared/index.js';
import { httpCaller } from './api.js';
import { Connection, type ConnState } from './connection.js';
import type { AppContext, Route, View } from './context.js';
import { announce, byId, h, replace } from './dom.js';
import { IdleLogoff, inWords } from './idle.js';
import { alertInHash, clearAlertFromHash } from './links.js';
import { decodeToken, isExpired, savedToken, takeFragmentToken, type Me } from './session.js';
import { UnreadCounts } from './unread.js';
import type { Key } from './i18n/en.js';
import { t } from './i18n/i18n.js';
import { LazyView } from './lazy-view.js';
import { roleName } from './roles.js';
import { showCrisisResources } from './views/dialogs.js';
import { GroupsView } from './views/groups.js';
import { EscalationNotices } from './views/escalations.js';
import type { InviteNotice } from './views/invite-notice.js';
import { StaffInbox } from './views/inbox.js';
import { PartnerChat } from './views/partner-chat.js';
import { PartnersView } from './views/partners.js';
import { PushControl } from './views/push-control.js';
import { GroupRoom } from './views/room.js';
import { renderSignIn } from './views/signin.js';
import { YourDataView } from './views/your-data.js';

const ROUTE_KEY = 'bridge.route';

/** Starts the page: a token from the address, or this tab's saved one, or the sign-in form. */
export function start(): void {
  labelPage();
  // The switch ("Your data", the sign-in page) redraws its view; the page's own words follow here.
  new MutationObserver(() => {
    labelPage();
    shell?.renderChrome();
  }).observe(document.documentElement, { attributeFilter: ['lang'] });
  // Read before the token is taken out of the address, which takes the whole fragment with it.
  const alertId = alertInHash();
  const token = takeFragmentToken() ?? savedToken.get();
  if (token) signIn(token, undefined, alertId);
  else showSignIn();
}

/** The signed-in page, while there is one. */
let shell: Shell | undefined;

/** The words index.html carries for the page around every view, in the page's language. */
function labelPage(): void {
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('Skip to content');
  byId('nav').setAttribute('aria-label', t('Sections'));
}

function showSignIn(reason?: string): void {
  shell = undefined;
  replace(byId('nav'));
  replace(byId('account'));
  replace(byId('connection'));
  document.title = t('Sign in · Bridge');
  // A `#alert=` link stays in the address while signing in, and opens once signed in.
  renderSignIn(byId('main'), reason, ({ token, openGroupId }) =>
    signIn(token, openGroupId ? { to: 'group', groupId: openGroupId } : undefined, alertInHash()),
  );
}

function signIn(token: string, route?: Route, alertId?: string): void {
  const me = decodeToken(token);
  if (!me) {
    savedToken.clear();
    return showSignIn(t('That sign-in code does not look right. Copy it again from your program, all of it.'));
  }
  if (isExpired(me)) {
    savedToken.clear();
    return showSignIn(t('Your sign-in has expired. Please sign in again.'));
  }
  savedToken.set(token);
  shell = new Shell(me, route ?? savedRoute(), alertId);
}

function savedRoute(): Route {
  try {
    const r = JSON.parse(sessionStorage.getItem(ROUTE_KEY) ?? 'null') as Route | null;
    if (r && typeof r === 'object' && ['groups', 'group', 'attendance', 'partners', 'partner', 'your-data', 'console'].includes(r.to))
      return r;
  } catch {
    // a corrupt or missing entry: start at the groups
  }
  return { to: 'groups' };
}

const STATE_TEXT: Record<ConnState, Key> = {
  connecting: 'Connecting…',
  online: 'Connected',
  reconnecting: 'Reconnecting… what you write is kept and sent when the connection is back.',
  offline: "You're offline. What you write is kept and sent when you're back.",
  crowded: 'Too many Bridge tabs or devices are open for you. Close one and this page connects by itself.',
};

/** The signed-in page: header, navigation, connection state and one view at a time. */
class Shell {
  private readonly conn: Connection;
  private readonly ctx: AppContext;
  private view: View | undefined;
  private route: Route | undefined;
  /** The crisis resources (§7), from the first crisis notice or `GET /api/resources`. */
  private resources: SafetyResources | undefined;
  private readonly inbox: StaffInbox;
  private readonly escalations: EscalationNotices;
  private readonly idle: IdleLogoff;
  /** whether GET /api/client-config has answered (asked again after a reconnect until it has) */
  private configured = false;
  private readonly alertsNav = h('button', { type: 'button', hidden: true, onclick: () => this.inbox.el.scrollIntoView() });
  private readonly partnersBadge = h('span', { class: 'unread partners-unread', hidden: true });
  private unreadPartners = 0;
  private readonly push: PushControl | undefined;
  /** A partner invitation off the Partners page: the count and the notice; their code comes with the first one (the first-load budget). */
  private readonly invitesBadge = h('span', { class: 'unread invites-badge', hidden: true });
  private readonly inviteEl = h('section', { class: 'panel invite-notice', hidden: true });
  private invites: Promise<InviteNotice> | undefined;
  private inviteNotice: InviteNotice | undefined;

  constructor(me: Me, route: Route, alertId?: string) {
    this.conn = new Connection(me.token, {
      onState: (s) => this.renderState(s),
      onSignedOut: (why) =>
        this.signOut(
          why === 'expired'
            ? t('Your session has ended. Please sign in again to continue.')
            : t('Your sign-in was not accepted; it may have expired. Please sign in again.'),
        ),
    });
    this.idle = new IdleLogoff(me.id, (idleMs) =>
      this.signOut(
        t(
          'You were signed out after {time} without activity, to keep your conversations private on this device. Sign in again whenever you like.',
          { time: inWords(idleMs) },
        ),
      ),
    );
    this.ctx = {
      me,
      conn: this.conn,
      call: httpCaller(me.token),
      go: (r) => this.go(r),
      unread: new UnreadCounts((total) => {
        this.unreadPartners = total;
        this.renderPartnersBadge();
      }),
      keepSignedIn: (on) => this.idle.hold(on),
      invitesListed: (invites) => this.invitesListed(invites),
    };
    this.inbox = new StaffInbox(this.ctx, () => this.setTitle());
    this.escalations = new EscalationNotices(this.ctx, (id) => this.inbox.has(id));
    byId('main').before(this.inbox.el, this.escalations.el, this.inviteEl);
    this.push = me.role === 'participant' ? undefined : new PushControl(this.ctx);
    this.renderChrome();
    this.listen();
    this.go(route);
    if (alertId) this.openAlert(alertId);
  }

  /** The navigation, the account bar and the connection state, in the page's language. */
  renderChrome(): void {
    const { me } = this.ctx;
    replace(this.alertsNav, t('Alerts'), ' ', this.inbox.badge);
    replace(
      byId('nav'),
      h('button', { type: 'button', 'data-nav': 'groups', onclick: () => this.go({ to: 'groups' }) }, t('Groups')),
      h(
        'button',
        { type: 'button', 'data-nav': 'partners', onclick: () => this.go({ to: 'partners' }) },
        t('Partners'),
        ' ',
        this.partnersBadge,
        this.invitesBadge,
      ),
      me.role === 'participant'
        ? null
        : h('button', { type: 'button', 'data-nav': 'console', onclick: () => this.go({ to: 'console' }) }, t('Console')),
      this.alertsNav,
    );
    this.markSection();
    this.renderPartnersBadge();
    this.inviteNotice?.render();
    replace(
      byId('account'),
      this.push?.el ?? null,
      // On every page, crisis or not: help stays one tap away.
      h('button', { type: 'button', class: 'help', onclick: () => void this.showHelp() }, t('Help now')),
      h('span', { class: 'who' }, me.name, me.role !== 'participant' ? ` · ${roleName(me.role)}` : ''),
      // Beside the account, not in the sections: a fourth section wrapped the bar on a phone and
      // pushed a crisis alert down the page.
      h('button', { type: 'button', class: 'link', onclick: () => this.go({ to: 'your-data' }) }, t('Your data')),
      h('button', { type: 'button', class: 'link', onclick: () => this.signOut() }, t('Sign out')),
    );
    this.renderState(this.conn.state);
    this.setTitle();
  }

  /** The inbox opens an alert a link or a notification named (`#alert=<id>`, §5.5). */
  private openAlert(alertId: string): void {
    clearAlertFromHash();
    this.inbox.show(alertId);
  }

  private readonly onHashChange = () => {
    const alertId = alertInHash();
    if (alertId) this.openAlert(alertId);
  };

  /** A click on a push notification while this tab is open (client/public/sw.js). */
  private readonly onWorkerMessage = (e: MessageEvent) => {
    const data = e.data as { type?: unknown; alertId?: unknown } | null;
    if (data?.type === 'open-alert' && typeof data.alertId === 'string') this.openAlert(data.alertId);
  };

  private listen(): void {
    const { conn, ctx } = this;
    window.addEventListener('hashchange', this.onHashChange);
    // Absent on plain http other than localhost.
    (navigator.serviceWorker as ServiceWorkerContainer | undefined)?.addEventListener('message', this.onWorkerMessage);
    conn.on('safety:resources', (resources) => {
      this.resources = resources;
      announce(t('Support is available right now. The crisis resources are open on screen.'), true);
      void showCrisisResources(resources, 'crisis');
    });
    conn.on('partner:message', (m) => {
      if (m.conversation.kind === 'partner' && m.sender.id !== ctx.me.id) ctx.unread.bump(m.conversation.id);
    });
    conn.on('partner:invited', (p) => this.withInvites((n) => n.arrived(p)));
    conn.onOnline(() => {
      if (!this.configured) void this.loadClientConfig();
      void conn.request('partner:list', {}).then((res) => {
        if (!res.ok) return;
        for (const p of res.data.partnerships) if (p.id !== ctx.unread.open) ctx.unread.set(p.id, p.unread);
        this.invitesListed(res.data.invites);
      });
    });
  }

  private withInvites(use: (n: InviteNotice) => void): void {
    this.invites ??= import('./views/invite-notice.js').then(
      (m) =>
        (this.inviteNotice = new m.InviteNotice(
          this.ctx.me.id,
          this.invitesBadge,
          this.inviteEl,
          () => this.go({ to: 'partners' }),
          this.route?.to === 'partners',
        )),
    );
    // Not fetched (offline, say): the next invitation or list tries again.
    this.invites.then(use, () => (this.invites = undefined));
  }

  /** `partner:list`'s invitations: counted once one waits for my answer (or the count is showing). */
  private invitesListed(invites: Invite[]): void {
    if (this.invites || invites.some((i) => i.status === 'pending' && i.to.id === this.ctx.me.id)) this.withInvites((n) => n.set(invites));
  }

  /** The idle logoff's time (§10); until the server has answered, the page does not sign itself out. */
  private async loadClientConfig(): Promise<void> {
    const res = await this.ctx.call('GET /api/client-config');
    if (!res.ok || this.configured) return;
    this.configured = true;
    this.idle.start(res.data.idleLogoffSec);
  }

  /** The resources, asked for when first needed (offline, the dialog still gives the emergency line). */
  private async showHelp(): Promise<void> {
    if (!this.resources) {
      const res = await this.ctx.call('GET /api/resources');
      if (res.ok) this.resources = res.data;
    }
    await showCrisisResources(this.resources, 'help');
  }

  go(route: Route): void {
    this.view?.dispose();
    const ctx = this.ctx;
    this.view =
      route.to === 'group'
        ? new GroupRoom(ctx, route.groupId)
        : route.to === 'attendance'
          ? new LazyView(t('Attendance'), async () => new (await import('./views/attendance.js')).AttendanceView(ctx, route.groupId))
          : route.to === 'partners'
            ? new PartnersView(ctx)
            : route.to === 'partner'
              ? new PartnerChat(ctx, route.partnershipId)
              : route.to === 'your-data'
                ? new YourDataView(ctx, (reason) => this.signOut(reason))
                : route.to === 'console' && ctx.me.role !== 'participant'
                  ? new LazyView(
                      t('Program console'),
                      async () => new (await import('./views/console/console.js')).ConsoleView(ctx, route.section),
                    )
                  : new GroupsView(ctx);
    try {
      sessionStorage.setItem(ROUTE_KEY, JSON.stringify(route));
    } catch {
      // storage refused: a reload starts at the groups
    }
    this.route = route;
    this.inviteNotice?.showing(route.to === 'partners');
    this.markSection();
    const main = byId('main');
    replace(main, this.view.el);
    this.setTitle();
    main.querySelector<HTMLElement>('h2')?.focus();
  }

  private renderPartnersBadge(): void {
    const total = this.unreadPartners;
    this.partnersBadge.hidden = total === 0;
    replace(this.partnersBadge, String(total), h('span', { class: 'sr-only' }, ' ', t('unread')));
  }

  /** Marks the navigation button of the section the page is in. */
  private markSection(): void {
    const r = this.route;
    const section = r?.to === 'partner' ? 'partners' : r?.to === 'group' || r?.to === 'attendance' ? 'groups' : r?.to;
    byId('nav')
      .querySelectorAll('button')
      .forEach((b) => {
        if (b.dataset.nav === section) b.setAttribute('aria-current', 'page');
        else b.removeAttribute('aria-current');
      });
  }

  /** The view's title, led by the number of crisis alerts nobody has taken on yet, so they show in the tab. */
  private setTitle(): void {
    const waiting = this.inbox.waitingCrises;
    this.alertsNav.hidden = this.inbox.el.hidden;
    if (!this.view) return;
    const title = this.view.title;
    document.title = waiting ? t('({count}) Crisis alert — {title} · Bridge', { count: waiting, title }) : t('{title} · Bridge', { title });
  }

  private renderState(s: ConnState): void {
    const el = byId('connection');
    el.className = `conn ${s}`;
    replace(el, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(STATE_TEXT[s]));
  }

  private signOut(reason?: string): void {
    this.idle.dispose();
    this.view?.dispose();
    this.view = undefined;
    this.inbox.dispose();
    this.escalations.dispose();
    window.removeEventListener('hashchange', this.onHashChange);
    (navigator.serviceWorker as ServiceWorkerContainer | undefined)?.removeEventListener('message', this.onWorkerMessage);
    this.conn.close();
    savedToken.clear();
    try {
      sessionStorage.removeItem(ROUTE_KEY);
    } catch {
      // nothing to forget
    }
    showSignIn(reason);
  }
}
