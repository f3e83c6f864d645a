import express, { type ErrorRequestHandler, type Express } from 'express';
import { httpRoutes, type ClientConfig, type SafetyResources } from '../../shared/index.js';
import { attendanceRouter } from '../attendance/http.js';
import type { AttendanceService } from '../attendance/service.js';
import { requireUser } from '../auth/http.js';
import type { Identity } from '../auth/tokens.js';
import type { DemoService } from '../demo.js';
import { AppError, httpStatus, toWireError } from '../errors.js';
import type { AgreementService } from '../groups/agreement.js';
import { agreementRouter } from '../groups/agreement-http.js';
import { groupsRouter } from '../groups/http.js';
import type { GroupService } from '../groups/service.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { moderationRouter } from '../moderation/http.js';
import { sessionsRouter } from '../sessions/http.js';
import type { SessionService } from '../sessions/service.js';
import type { ReportService } from '../moderation/reports.js';
import type { ModerationService } from '../moderation/service.js';
import { checkinsRouter } from '../checkins/http.js';
import type { CheckinRuleBook } from '../checkins/rules.js';
import type { CheckinService } from '../checkins/service.js';
import { partnersRouter } from '../partners/http.js';
import type { PartnerService } from '../partners/service.js';
import type { StaffPairings } from '../moderation/pairings.js';
import { pairingsRouter } from '../moderation/pairings-http.js';
import { meRouter } from '../privacy/http.js';
import type { PrivacyService } from '../privacy/service.js';
import { alertsRouter, disclosuresRouter, pushRouter, resourcesRouter } from '../safety/http.js';
import type { DisclosureService } from '../safety/disclosures.js';
import { accessLogRouter } from '../access/http.js';
import type { AccessLogService } from '../access/log.js';
import type { PushService } from '../safety/push.js';
import type { AlertInbox } from '../safety/inbox.js';
import type { ProgramAlertService } from '../safety/program-alerts.js';
import type { Stores } from '../store/ports.js';
import { body } from '../validate.js';
import { apiDescriptionsRouter } from './api-descriptions.js';
import { clientRoutes } from './client.js';
import { clientConfigRouter } from './client-config.js';
import { healthRouter } from './health.js';
import { metricsRouter } from './metrics.js';
import { CLIENT_DIR, shellRoutes } from './shell.js';

export type HttpDeps = {
  store: Stores;
  groups: GroupService;
  agreements: AgreementService;
  moderation: ModerationService;
  sessions: SessionService;
  attendance: AttendanceService;
  reports: ReportService;
  programAlerts: ProgramAlertService;
  inbox: AlertInbox;
  push: PushService;
  crisisResources: SafetyResources;
  /** what the browser client is told at `GET /api/client-config` */
  clientConfig: ClientConfig;
  partners: PartnerService;
  pairings: StaffPairings;
  checkins: CheckinService;
  checkinRules: CheckinRuleBook;
  privacy: PrivacyService;
  accessLog: AccessLogService;
  disclosures: DisclosureService;
  demo?: DemoService;
  verify: (token: unknown) => Identity;
  log: Logger;
  isDraining: () => boolean;
  metrics: Metrics;
  metricsToken?: string;
};

/** The express app: health, demo auth, the JSON API of §8 and the browser client. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  });
  app.use(healthRouter(deps.store, deps.isDraining));
  app.use(metricsRouter(deps.metrics, deps.metricsToken));
  app.use(express.json({ limit: '64kb' }));
  const demo = deps.demo;
  // Tells the sign-in page whether to offer the demo form (§9: demo mode says so on the page).
  app.get('/auth/demo', (_req, res) => {
    res.json({ ok: true, data: { demo: Boolean(demo) } });
  });
  if (demo) {
    app.post('/auth/demo', body(httpRoutes['POST /auth/demo'].body), async (req, res) => {
      res.json({ ok: true, data: await demo.signIn(req.body.name, req.body.role) });
    });
  } else {
    app.post('/auth/demo', () => {
      throw new AppError('NOT_FOUND', 'demo mode is off on this node; sign in with a token from your program');
    });
  }
  app.use(apiDescriptionsRouter());
  app.use(
    '/api',
    requireUser(deps.verify),
    groupsRouter(deps.groups),
    agreementRouter(deps.agreements),
    moderationRouter(deps.moderation, deps.reports),
    sessionsRouter(deps.sessions),
    attendanceRouter(deps.attendance),
    alertsRouter(deps.programAlerts, deps.inbox),
    disclosuresRouter(deps.disclosures),
    accessLogRouter(deps.accessLog),
    resourcesRouter(deps.crisisResources),
    pushRouter(deps.push),
    partnersRouter(deps.partners),
    pairingsRouter(deps.pairings),
    checkinsRouter(deps.checkins, deps.checkinRules),
    meRouter(deps.privacy),
    clientConfigRouter(deps.clientConfig),
  );
  app.use('/api', () => {
    throw new AppError('NOT_FOUND', 'no such endpoint');
  });
  app.use(clientRoutes(deps.log));
  app.use(shellRoutes());
  app.use(express.static(CLIENT_DIR, { index: 'index.html', maxAge: '1h' }));
  // Whatever nothing above served: the JSON error shape, never Express's HTML page.
  app.use(() => {
    throw new AppError('NOT_FOUND', 'no such endpoint');
  });
  app.use(errorHandler(deps.log));
  return app;
}

function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : fromExpress(err);
    const wire = toWireError(known ?? err, log, {
      method: req.method,
      path: (req.route as { path: string } | undefined)?.path ?? 'unmatched',
    });
    res.status(httpStatus(wire)).json({ ok: false, error: wire });
  };
}

/** body-parser's own errors (bad JSON, too large) are the client's fault, not ours. */
function fromExpress(err: unknown): AppError | undefined {
  const e = err as { type?: string; status?: number };
  if (e?.type === 'entity.parse.failed') return new AppError('BAD_REQUEST', 'body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError('BAD_REQUEST', 'body is too large');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError('BAD_REQUEST', 'bad request');
  return undefined;
}
