import { Router } from 'express';
import { httpRoutes, REDISCLOSURE_NOTICE } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { body, idParam } from '../validate.js';
import type { CheckinRuleBook } from './rules.js';
import type { CheckinService } from './service.js';

/** A person's check-in trend for the staff (§8.2) or the partners (§8.4) they share it with, and each group's check-in alert rules. */
export function checkinsRouter(checkins: CheckinService, rules: CheckinRuleBook): Router {
  const r = Router();
  r.get('/groups/:groupId/members/:userId/checkins', async (req, res) => {
    const days = await checkins.trend(caller(req), idParam(req, 'groupId'), idParam(req, 'userId', 'user'));
    res.json({ ok: true, data: { notice: REDISCLOSURE_NOTICE, days } });
  });
  r.get('/partnerships/:partnershipId/checkins', async (req, res) => {
    const days = await checkins.partnerTrend(caller(req), idParam(req, 'partnershipId'));
    res.json({ ok: true, data: { notice: REDISCLOSURE_NOTICE, days } });
  });
  r.get('/groups/:groupId/checkin-rules', async (req, res) => {
    res.json({ ok: true, data: await rules.get(caller(req), idParam(req, 'groupId')) });
  });
  r.put('/groups/:groupId/checkin-rules', body(httpRoutes['PUT /api/groups/:groupId/checkin-rules'].body), async (req, res) => {
    res.json({ ok: true, data: await rules.set(caller(req), idParam(req, 'groupId'), req.body) });
  });
  return r;
}
