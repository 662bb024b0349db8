import { Router } from 'express';
import type { ApiDeps } from '../app.js';
import { defineRoute } from '../openapi/route-docs.js';

/** `/healthz`: 200 when the engine and Redis answer, 503 naming what does not. */
export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '',
    {
      method: 'get',
      path: '/healthz',
      tag: 'ops',
      summary: 'Engine and Redis health (503 naming what is down)',
      auth: false,
    },
    async (_req, res) => {
      const [engine, redis] = await Promise.all([
        deps.engine.health().then(
          (h) => h.status,
          () => 'unreachable',
        ),
        deps.redisPing().catch(() => false),
      ]);
      const ok = (engine === 'green' || engine === 'yellow') && redis;
      res.status(ok ? 200 : 503).json({ ok, engine, redis: redis ? 'ok' : 'unreachable' });
    },
  );
  return router;
}
