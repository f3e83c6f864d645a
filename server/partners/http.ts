import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { body } from '../validate.js';
import type { PartnerService } from './service.js';

/** §8 pairing by staff. The API shows staff the pairing only, never the messages. */
export function partnersRouter(partners: PartnerService): Router {
  const r = Router();
  r.post('/partnerships', body(httpRoutes['POST /api/partnerships'].body), async (req, res) => {
    res.status(201).json({ ok: true, data: { partnership: await partners.createByStaff(caller(req), req.body.userIds) } });
  });
  return r;
}
