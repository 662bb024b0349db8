import { Router } from 'express';
import type { ApiDeps } from '../app.js';

export function crawlRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/crawl/status', async (_req, res) => {
    if (!deps.frontier) {
      res.status(404).json({ error: { code: 'NO_CRAWL', message: 'No crawl runs in this process' } });
      return;
    }
    res.json(await deps.frontier.progress());
  });
  return router;
}
