/**
 * The workbench UI: the built `web/dist` at `/`, with index.html for every other GET that is not an API
 * path (the UI routes on the client). Hashed assets are cached for a year; index.html never.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';

/** Where the built UI lives. */
export interface WebRouteOptions {
  /** @default `<repo>/web/dist` */
  distDir?: string;
}

export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Paths the SPA fallback leaves to the API (and its 404): API and ops paths, assets, and top-level files
 * such as /favicon.ico. Client routes may hold dots (`/rules/builtin.ad-law.terms`).
 */
const NOT_UI = /^\/(api|healthz|metrics|assets)(\/|$)|^\/[^/]+\.[A-Za-z0-9]+$/;

export function webRoutes(options: WebRouteOptions = {}): Router {
  const distDir = options.distDir ?? WEB_DIST_DIR;
  const index = join(distDir, 'index.html');
  const router = Router();
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    }),
  );
  router.use(express.static(distDir, { index: false, maxAge: 0 }));
  router.get(/.*/, (req: Request, res: Response, next) => {
    if (NOT_UI.test(req.path) || !req.accepts('html')) {
      next();
      return;
    }
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web UI is not built: run `npm run build:web`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
