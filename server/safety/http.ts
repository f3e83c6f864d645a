import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import { idParam } from '../validate.js';
import type { SafetyResources } from '../../shared/index.js';
import type { AlertInbox } from './inbox.js';
import type { ProgramAlertService } from './program-alerts.js';
import type { PushService } from './push.js';

/** §8.6 the program's alert queue, for admins, and the staff alert inbox. */
export function alertsRouter(alerts: ProgramAlertService, inbox: AlertInbox): Router {
  const r = Router();
  r.get('/inbox', async (req, res) => {
    res.json({ ok: true, data: { alerts: await inbox.list(caller(req)) } });
  });
  r.get('/alerts', async (req, res) => {
    const q = httpRoutes['GET /api/alerts'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    res.json({ ok: true, data: { alerts: await alerts.list(caller(req), q.data.status) } });
  });
  r.post('/alerts/:alertId/resolve', async (req, res) => {
    res.json({ ok: true, data: { alert: await alerts.resolve(caller(req), idParam(req, 'alertId')) } });
  });
  return r;
}

/** §8 the crisis resources, for the "Help now" button: the same for everyone, nothing about the caller. */
export function resourcesRouter(resources: SafetyResources): Router {
  const r = Router();
  r.get('/resources', (_req, res) => {
    res.json({ ok: true, data: resources });
  });
  return r;
}

/** §5.5 the VAPID public key a staff device subscribes with; null when Web Push is off. */
export function pushRouter(push: PushService): Router {
  const r = Router();
  r.get('/push/key', (_req, res) => {
    res.json({ ok: true, data: { publicKey: push.publicKey ?? null } });
  });
  return r;
}
