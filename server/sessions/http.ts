import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { body, idParam } from '../validate.js';
import type { SessionService } from './service.js';

/** §5.6 a group's schedule, for its facilitators and admins. Rules live in SessionService. */
export function sessionsRouter(sessions: SessionService): Router {
  const r = Router();
  r.get('/groups/:groupId/schedule', async (req, res) => {
    res.json({ ok: true, data: await sessions.schedule(caller(req), idParam(req, 'groupId')) });
  });
  r.put('/groups/:groupId/schedule', body(httpRoutes['PUT /api/groups/:groupId/schedule'].body), async (req, res) => {
    res.json({ ok: true, data: await sessions.setSchedule(caller(req), idParam(req, 'groupId'), req.body) });
  });
  r.delete('/groups/:groupId/schedule', async (req, res) => {
    res.json({ ok: true, data: await sessions.setSchedule(caller(req), idParam(req, 'groupId'), null) });
  });
  r.post('/groups/:groupId/sessions/:sessionId/cancel', async (req, res) => {
    res.json({ ok: true, data: await sessions.cancel(caller(req), idParam(req, 'groupId'), idParam(req, 'sessionId')) });
  });
  r.post('/groups/:groupId/session/extend', body(httpRoutes['POST /api/groups/:groupId/session/extend'].body), async (req, res) => {
    res.json({ ok: true, data: await sessions.extend(caller(req), idParam(req, 'groupId'), req.body.minutes) });
  });
  return r;
}
