import { Router } from 'express';
import { caller } from '../auth/http.js';
import { idParam } from '../validate.js';
import type { CheckinService } from './service.js';

/** §8.2 a member's check-in trend, for the staff they share it with. */
export function checkinsRouter(checkins: CheckinService): Router {
  const r = Router();
  r.get('/groups/:groupId/members/:userId/checkins', async (req, res) => {
    const days = await checkins.trend(caller(req), idParam(req, 'groupId'), idParam(req, 'userId', 'user'));
    res.json({ ok: true, data: { days } });
  });
  return r;
}
