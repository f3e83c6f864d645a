import { Router, type Response } from 'express';
import { httpRoutes, REDISCLOSURE_NOTICE } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import { body, idParam } from '../validate.js';
import { disclosuresCsv, type DisclosureService } from './disclosures.js';
import type { Disclosure, SafetyResources } from '../../shared/index.js';
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

/**
 * §8.8 emergency-disclosure records: made on an alert, listed per alert (its group's
 * facilitators, admins) and for the whole program (admins), as JSON or CSV, with the notice.
 * No route edits or removes one.
 */
export function disclosuresRouter(disclosures: DisclosureService): Router {
  const r = Router();
  r.post('/alerts/:alertId/disclosures', body(httpRoutes['POST /api/alerts/:alertId/disclosures'].body), async (req, res) => {
    res.status(201).json({ ok: true, data: { disclosure: await disclosures.record(caller(req), idParam(req, 'alertId'), req.body) } });
  });
  r.get('/alerts/:alertId/disclosures', async (req, res) => {
    const q = httpRoutes['GET /api/alerts/:alertId/disclosures'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    const alertId = idParam(req, 'alertId');
    send(res, q.data.format, `disclosures-${alertId}`, await disclosures.ofAlert(caller(req), alertId, q.data.groupId));
  });
  r.get('/disclosures', async (req, res) => {
    const q = httpRoutes['GET /api/disclosures'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    const { format, ...filters } = q.data;
    send(res, format, 'disclosures', await disclosures.list(caller(req), filters));
  });
  return r;
}

function send(res: Response, format: 'json' | 'csv', name: string, records: Disclosure[]): void {
  if (format === 'json') {
    res.json({ ok: true, data: { notice: REDISCLOSURE_NOTICE, disclosures: records } });
    return;
  }
  res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}.csv"`).send(disclosuresCsv(records));
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
