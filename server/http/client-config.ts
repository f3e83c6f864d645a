import { Router } from 'express';
import type { ClientConfig } from '../../shared/index.js';

/** §8.1 the browser client's settings (the idle logoff, §10): the same for everyone signed in. */
export function clientConfigRouter(config: ClientConfig): Router {
  const r = Router();
  r.get('/client-config', (_req, res) => {
    res.json({ ok: true, data: config });
  });
  return r;
}
