import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import type { AccessLogService } from './log.js';

/** §8.8 the access log, for admins. */
export function accessLogRouter(accessLog: AccessLogService): Router {
  const r = Router();
  r.get('/access-log', async (req, res) => {
    const q = httpRoutes['GET /api/access-log'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    res.json({ ok: true, data: await accessLog.list(caller(req), q.data) });
  });
  return r;
}
