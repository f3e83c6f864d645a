import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import { body, idParam } from '../validate.js';
import type { GroupService } from './service.js';

/** §8 groups and enrolment. Rules live in GroupService. */
export function groupsRouter(groups: GroupService): Router {
  const r = Router();
  r.post('/groups', body(httpRoutes['POST /api/groups'].body), async (req, res) => {
    res.status(201).json({ ok: true, data: { group: await groups.create(caller(req), req.body) } });
  });
  r.get('/groups', async (req, res) => {
    res.json({ ok: true, data: { groups: await groups.list(caller(req)) } });
  });
  r.get('/groups/:groupId', async (req, res) => {
    res.json({ ok: true, data: await groups.get(caller(req), idParam(req, 'groupId')) });
  });
  r.patch('/groups/:groupId', body(httpRoutes['PATCH /api/groups/:groupId'].body), async (req, res) => {
    res.json({ ok: true, data: { group: await groups.edit(caller(req), idParam(req, 'groupId'), req.body) } });
  });
  r.put('/groups/:groupId/members/:userId', body(httpRoutes['PUT /api/groups/:groupId/members/:userId'].body), async (req, res) => {
    const member = await groups.enrol(caller(req), idParam(req, 'groupId'), idParam(req, 'userId', 'user'), req.body);
    res.json({ ok: true, data: { member } });
  });
  r.delete('/groups/:groupId/members/:userId', async (req, res) => {
    await groups.unenrol(caller(req), idParam(req, 'groupId'), idParam(req, 'userId', 'user'));
    res.json({ ok: true, data: {} });
  });
  return r;
}
