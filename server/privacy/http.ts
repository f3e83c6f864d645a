import { Router } from 'express';
import { caller } from '../auth/http.js';
import type { PrivacyService } from './service.js';

/** §8 the caller's own data: export and erasure. */
export function meRouter(privacy: PrivacyService): Router {
  const r = Router();
  r.get('/me/export', async (req, res) => {
    res.json({ ok: true, data: await privacy.export(caller(req)) });
  });
  r.delete('/me', async (req, res) => {
    res.json({ ok: true, data: await privacy.erase(caller(req)) });
  });
  return r;
}
