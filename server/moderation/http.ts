import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import { idParam } from '../validate.js';
import type { ReportService } from './reports.js';
import type { ModerationService } from './service.js';

/** §8 audit log and report queue, for the group's facilitators and admins. */
export function moderationRouter(mod: ModerationService, reports: ReportService): Router {
  const r = Router();
  r.get('/groups/:groupId/audit', async (req, res) => {
    const q = httpRoutes['GET /api/groups/:groupId/audit'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    res.json({ ok: true, data: await mod.auditLog(caller(req), idParam(req, 'groupId'), q.data) });
  });
  r.get('/groups/:groupId/moderation', async (req, res) => {
    res.json({ ok: true, data: await mod.moderationList(caller(req), idParam(req, 'groupId')) });
  });
  r.get('/groups/:groupId/reports', async (req, res) => {
    const q = httpRoutes['GET /api/groups/:groupId/reports'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    res.json({ ok: true, data: { reports: await reports.list(caller(req), idParam(req, 'groupId'), q.data.status) } });
  });
  r.post('/groups/:groupId/reports/:reportId/resolve', async (req, res) => {
    const report = await reports.resolve(caller(req), idParam(req, 'groupId'), idParam(req, 'reportId'));
    res.json({ ok: true, data: { report } });
  });
  return r;
}
