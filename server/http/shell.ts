import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

/** The page and its files as they are (copied beside the compiled server by `npm run build`). */
export const CLIENT_DIR = fileURLToPath(new URL('../../client/public', import.meta.url));

/** Files served at fixed paths with their own type; never from a cache, so a new release is picked up on the next visit. */
const FILES: Record<string, { file: string; type: string }> = {
  // The service worker (§5.5, §8.1), at the root so its scope is the whole app.
  '/sw.js': { file: 'sw.js', type: 'text/javascript; charset=utf-8' },
  // The web app manifest (§8.1, "The app shell"), which makes the page installable.
  '/manifest.webmanifest': { file: 'manifest.webmanifest', type: 'application/manifest+json; charset=utf-8' },
};

/** The service worker and the web app manifest. Mount before the static files. */
export function shellRoutes(): Router {
  const r = Router();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    r.get(path, (_req, res) => {
      res.sendFile(join(CLIENT_DIR, file), { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } });
    });
  }
  return r;
}
