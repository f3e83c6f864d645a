import { Router } from 'express';
import { httpRoutes } from '../../shared/index.js';
import { caller } from '../auth/http.js';
import type { SocketHandlers } from '../realtime/handler.js';
import { body, idParam } from '../validate.js';
import type { AgreementService } from './agreement.js';

/** §8.2 a group's agreement: read it (members), set a new version and list acceptances (facilitators, admins). */
export function agreementRouter(agreements: AgreementService): Router {
  const r = Router();
  r.get('/groups/:groupId/agreement', async (req, res) => {
    res.json({ ok: true, data: { agreement: await agreements.current(caller(req), idParam(req, 'groupId')) } });
  });
  r.put('/groups/:groupId/agreement', body(httpRoutes['PUT /api/groups/:groupId/agreement'].body), async (req, res) => {
    res.json({ ok: true, data: { agreement: await agreements.set(caller(req), idParam(req, 'groupId'), req.body.text) } });
  });
  r.get('/groups/:groupId/agreement/acceptances', async (req, res) => {
    res.json({ ok: true, data: { acceptances: await agreements.acceptances(caller(req), idParam(req, 'groupId')) } });
  });
  return r;
}

/** §5.1 `group:agree`: a member accepts the current version. */
export function agreementHandlers(agreements: AgreementService): SocketHandlers {
  return {
    'group:agree': async (p, socket) => ({ accepted: await agreements.agree(socket.data.user, p) }),
  };
}
