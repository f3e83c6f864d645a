import { createServer, type Server } from 'node:http';
import { Router } from 'express';
import { AppError } from '../errors.js';
import { metricsTokenMatches, type Metrics } from '../metrics.js';

/**
 * `GET /metrics` on the public port: only with `Authorization: Bearer <METRICS_TOKEN>`. Without a
 * configured token it is 404, as if it did not exist: the public port never offers node internals
 * to anyone, and a scanner learns nothing. With a token, a wrong or missing one is 403.
 */
export function metricsRouter(metrics: Metrics, token: string | undefined): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    if (token === undefined) throw new AppError('NOT_FOUND', 'no such endpoint');
    if (!metricsTokenMatches(req.headers.authorization, token)) throw new AppError('FORBIDDEN', 'metrics need the metrics token');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}

/**
 * The metrics port (METRICS_PORT): `/metrics` to anyone who can reach it, so it belongs on a
 * network only the monitoring system sees. Nothing else is served there.
 */
export function metricsServer(metrics: Metrics): Server {
  return createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
}
