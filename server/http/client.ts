import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';

/** The browser client's entry point; its CSS is imported from it and comes out as app.css. */
export const CLIENT_ENTRY = fileURLToPath(new URL('../../client/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type ClientAsset = { body: Buffer; gzip: Buffer; etag: string; type: string };
export type ClientBundle =
  | { ok: true; assets: Map<string, ClientAsset>; /** every source file in the bundle, relative to the repository */ inputs: string[] }
  | { ok: false; error: string };

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/**
 * Bundles the client in memory (no build step, no files written, so two nodes starting from one
 * checkout never race). Never rejects: a broken client must not stop the API from serving.
 * @example const b = await buildClientBundle(); b.ok && b.assets.get('/app.js')
 */
export async function buildClientBundle(entry = CLIENT_ENTRY): Promise<ClientBundle> {
  try {
    const result = await build({
      entryPoints: { app: entry },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      write: false,
      outdir: '/bundle',
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
      metafile: true,
      absWorkingDir: ROOT,
    });
    const assets = new Map<string, ClientAsset>();
    for (const file of result.outputFiles) {
      const type = TYPES[extname(file.path)];
      if (!type) continue;
      const body = Buffer.from(file.contents);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(`/${basename(file.path)}`, { body, gzip: gzipSync(body, { level: 9 }), etag, type });
    }
    if (!assets.has('/app.js')) return { ok: false, error: 'esbuild produced no app.js' };
    return { ok: true, assets, inputs: Object.keys(result.metafile.inputs) };
  } catch (err) {
    const errors = (err as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const error = errors?.length
      ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join('; ')
      : String(err);
    return { ok: false, error };
  }
}

let shared: Promise<ClientBundle> | undefined;
/** The process-wide bundle, built once on first use (every app in a test process shares it). */
export function clientBundle(): Promise<ClientBundle> {
  shared ??= buildClientBundle();
  return shared;
}

/**
 * Serves /app.js and /app.css from the in-memory bundle: gzip when the browser takes it, an ETag
 * with `no-cache` so a restarted node with a new bundle is picked up at once and an unchanged one
 * costs a 304. Mount before the static files. If the bundle failed, both answer 503 and the rest
 * of the server is unaffected.
 */
export function clientRoutes(log: Logger, bundle: Promise<ClientBundle> = clientBundle()): Router {
  bundle.then((b) => {
    if (!b.ok) log.warn({ error: b.error }, 'the browser client could not be built; /app.js answers 503, the API is unaffected');
  });
  const r = Router();
  r.get(['/app.js', '/app.css'], async (req: Request, res: Response) => {
    const b = await bundle;
    const asset = b.ok ? b.assets.get(req.path) : undefined;
    if (!asset) {
      res.status(503).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store')
        .send('Bridge: the browser client could not be built on this server (see its log). The API still works.\n');
      return;
    }
    res.set({ 'Content-Type': asset.type, ETag: asset.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.set('Content-Encoding', 'gzip');
    res.send(gzip ? asset.gzip : asset.body);
  });
  return r;
}
