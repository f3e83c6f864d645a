import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { badRequest } from '../errors.js';
import { idParam } from '../validate.js';
import type { StaffPairings } from './pairings.js';

/** §8.4 the pairings of a group's members, for its facilitators and admins. */
export function pairingsRouter(pairings: StaffPairings): Router {
  const r = Router();
  r.get('/groups/:groupId/partnerships', async (req, res) => {
    const q = httpRoutes['GET /api/groups/:groupId/partnerships'].query.safeParse(req.query);
    if (!q.success) throw badRequest(q.error);
    res.json({ ok: true, data: { partnerships: await pairings.list(caller(req), idParam(req, 'groupId'), q.data.status) } });
  });
  r.post('/groups/:groupId/partnerships/:partnershipId/end', async (req, res) => {
    const partnership = await pairings.end(caller(req), idParam(req, 'groupId'), idParam(req, 'partnershipId'));
    res.json({ ok: true, data: { partnership } });
  });
  return r;
}
