import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';

/**
 * The browser client's entry point; its CSS is imported from it and comes out as app.css, and its
 * Spanish catalogue (client/src/i18n/es.ts), imported only when Spanish is chosen, as es.js.
 */
export const CLIENT_ENTRY = fileURLToPath(new URL('../../client/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where `npm run build` puts the bundle, relative to the build's root; a checkout has none. */
export const PREBUILT_DIR = 'client/bundle';

export type ClientAsset = { body: Buffer; gzip: Buffer; etag: string; type: string };
export type ClientBundle = { ok: true; assets: Map<string, ClientAsset> } | { ok: false; error: string };
export type BuiltClientBundle =
  | { ok: true; assets: Map<string, ClientAsset>; /** every source file in the bundle, relative to the repository */ inputs: string[] }
  | { ok: false; error: string };

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
/**
 * The bundle's named files: app.js and app.css are the first load; es.js is fetched by app.js when
 * needed. Besides them, the chunks (CHUNKS_DIR): code app.js imports, some at once (code it
 * shares with a later screen), some only when a screen needs it (the staff console, attendance),
 * so a participant's first load carries no staff screens. Named by their content.
 */
export const ASSET_NAMES = ['app.js', 'app.css', 'es.js'];
export const CHUNKS_DIR = 'chunks';

/**
 * The files a script of the bundle at `path` imports statically (fetched with it, before it runs),
 * as paths; its dynamic `import()`s are not among them.
 * @example staticImports('import{a}from"./chunks/chunk-X.js";', '/app.js') // ['/chunks/chunk-X.js']
 */
export function staticImports(script: string, path: string): string[] {
  const base = new URL(path, 'http://bundle');
  return [...script.matchAll(/(?:\bfrom|\bimport)\s*"(\.{1,2}\/[^"]+\.js)"/g)].map((m) => new URL(m[1]!, base).pathname);
}

function toAsset(name: string, body: Buffer): ClientAsset | undefined {
  const type = TYPES[extname(name)];
  if (!type) return undefined;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzipSync(body, { level: 9 }), etag, type };
}

/**
 * Bundles the client in memory (no files written, so two nodes starting from one checkout never
 * race). esbuild is loaded only here, so a production build, which serves a prebuilt bundle,
 * needs it neither installed nor running. Never rejects: a broken client must not stop the API.
 * @example const b = await buildClientBundle(); b.ok && b.assets.get('/app.js')
 */
export async function buildClientBundle(entry = CLIENT_ENTRY): Promise<BuiltClientBundle> {
  try {
    const { build } = await import('esbuild');
    const result = await build({
      // The Spanish catalogue is an entry of its own, imported by app.js only when needed.
      entryPoints: { app: entry, es: join(dirname(entry), 'i18n/es.ts') },
      bundle: true,
      splitting: true,
      chunkNames: `${CHUNKS_DIR}/[name]-[hash]`,
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
      const asset = toAsset(file.path, Buffer.from(file.contents));
      if (asset) assets.set(`/${relative('/bundle', file.path)}`, asset);
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

/** The bundle `npm run build` wrote (ASSET_NAMES). Never rejects, like buildClientBundle. */
export async function loadPrebuiltBundle(dir: string): Promise<ClientBundle> {
  try {
    const assets = new Map<string, ClientAsset>();
    const chunks = (await readdir(join(dir, CHUNKS_DIR))).map((name) => `${CHUNKS_DIR}/${name}`);
    for (const name of [...ASSET_NAMES, ...chunks]) assets.set(`/${name}`, toAsset(name, await readFile(join(dir, name)))!);
    return { ok: true, assets };
  } catch (err) {
    return { ok: false, error: `the prebuilt client in ${dir} is unreadable: ${String(err)}` };
  }
}

let shared: Promise<ClientBundle> | undefined;
/**
 * The process-wide bundle, made once on first use (every app in a test process shares it): the
 * prebuilt one beside the compiled server after `npm run build`, else bundled in memory.
 */
export function clientBundle(): Promise<ClientBundle> {
  const prebuilt = join(ROOT, PREBUILT_DIR);
  shared ??= existsSync(join(prebuilt, 'app.js')) ? loadPrebuiltBundle(prebuilt) : buildClientBundle();
  return shared;
}

/**
 * Serves the bundle's files (/app.js, /app.css, /es.js; prebuilt or built in memory): gzip when the
 * browser takes it, an ETag with `no-cache` so a restarted node with a new bundle is picked up at
 * once and an unchanged one costs a 304. Mount before the static files. If the bundle failed,
 * they answer 503 and the rest of the server is unaffected.
 */
export function clientRoutes(log: Logger, bundle: Promise<ClientBundle> = clientBundle()): Router {
  // The bundle never rejects (a failed build settles as { ok: false }), so nothing is left unhandled.
  void bundle.then((b) => {
    if (!b.ok) log.warn({ error: b.error }, 'the browser client could not be built; /app.js answers 503, the API is unaffected');
  });
  const r = Router();
  r.get([...ASSET_NAMES.map((name) => `/${name}`), `/${CHUNKS_DIR}/:file`], async (req: Request, res: Response, next: NextFunction) => {
    const b = await bundle;
    const asset = b.ok ? b.assets.get(req.path) : undefined;
    // A chunk this bundle does not have (a page from an older release): the usual 404.
    if (b.ok && !asset) return next();
    if (!asset) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .set('Cache-Control', 'no-store')
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
