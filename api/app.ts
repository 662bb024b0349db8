import express, { type NextFunction, type Request, type Response } from 'express';
import { isAppError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { EnginePort } from '../engine/port.js';
import type { Frontier } from '../indexer/frontier/frontier.js';
import { crawlRoutes } from './routes/crawl.js';
import { healthRoutes } from './routes/health.js';
import { searchRoutes } from './routes/search.js';

/** What the routes read from; the API never builds these itself. */
export interface ApiDeps {
  engine: EnginePort;
  prefix: string;
  frontier?: Frontier;
  redisPing: () => Promise<boolean>;
}

/**
 * The HTTP API. This first cut serves health, page search and crawl status for the main job; the
 * workbench issue adds authentication, jurisdiction scope and the rest on the same shape.
 */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRoutes(deps));
  app.use('/api', searchRoutes(deps));
  app.use('/api', crawlRoutes(deps));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (isAppError(error) && error.httpStatus < 500) {
      res
        .status(error.httpStatus)
        .json({ error: { code: error.code, message: error.message, details: error.details } });
      return;
    }
    const status = isAppError(error) ? error.httpStatus : 500;
    logger('api').error({ err: error }, 'request failed');
    res.status(status).json({
      error: {
        code: isAppError(error) ? error.code : 'INTERNAL',
        message: 'The request failed; see the server log',
      },
    });
  });
  return app;
}
