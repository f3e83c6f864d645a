import { Router } from 'express';
import type { Stores } from '../store/ports.js';

const READY_TIMEOUT_MS = 1000;

/** Liveness (the process answers) and readiness (the store answers, and we are not draining). */
export function healthRouter(store: Pick<Stores, 'kind' | 'ping'>, isDraining: () => boolean): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true, data: { status: 'up' } });
  });
  r.get('/readyz', async (_req, res) => {
    const ready = await isReady(store, isDraining);
    res.status(ready ? 200 : 503).json({ ok: ready, data: { store: store.kind, ready } });
  });
  return r;
}

/** Ready: not draining, and the store answers within a second (also the metrics' bridge_ready). */
export async function isReady(store: Pick<Stores, 'kind' | 'ping'>, isDraining: () => boolean): Promise<boolean> {
  return !isDraining() && (await withTimeout(store.ping(), READY_TIMEOUT_MS));
}

function withTimeout(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.then(
      () => resolve(true),
      () => resolve(false),
    ).finally(() => clearTimeout(t));
  });
}
