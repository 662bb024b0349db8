import express, { type NextFunction, type Request, type Response } from 'express';
import { Redis } from 'ioredis';
import { config } from '../core/config.js';
import { isAppError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { EnginePort } from '../engine/port.js';
import type { Frontier } from '../indexer/frontier/frontier.js';
import { JurisdictionTree } from '../registry/jurisdictions/jurisdiction-tree.js';
import { OperatorRepository } from '../registry/operators/operator.repository.js';
import { UserRepository } from '../registry/users/user.repository.js';
import type { ScheduleTable } from '../indexer/schedule/schedule-table.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { authenticate } from './auth/principal.js';
import { SessionStore } from './auth/session.store.js';
import { loginRoutes, sessionRoutes } from './routes/auth.routes.js';
import { crawlRoutes } from './routes/crawl.js';
import { healthRoutes } from './routes/health.js';
import { operatorRoutes } from './routes/operators.routes.js';
import { jurisdictionRoutes, userRoutes } from './routes/registry.routes.js';
import { resourceRoutes } from './routes/resources.routes.js';
import { reviewRoutes } from './routes/review.routes.js';
import { searchRoutes } from './routes/search.js';
import { webRoutes } from './routes/web.routes.js';

/** Sessions, sign-in throttling and cookies. */
export interface ApiAuthOptions {
  /** Prefix of the API's Redis keys (sessions, tokens, failure counters). @default `${prefix}:api` */
  keyPrefix?: string;
  /** Idle lifetime of a session. @default API_SESSION_TTL_SEC (28800) */
  sessionTtlSec?: number;
  /** Failed sign-ins per username and address before 429. @default API_LOGIN_MAX_FAILURES (5) */
  maxLoginFailures?: number;
  /** @default API_LOGIN_WINDOW_SEC (900) */
  loginWindowSec?: number;
  /** Mark the session cookie `Secure`. @default API_SECURE_COOKIE (false) */
  secureCookie?: boolean;
}

/** What the routes read from; the API never builds these itself. */
export interface ApiDeps {
  engine: EnginePort;
  prefix: string;
  frontier?: Frontier;
  redisPing: () => Promise<boolean>;
  /** Sessions live here. @default a client on `REDIS_URL` */
  redis?: Redis;
  /** @default stores over `engine` and `prefix` */
  tree?: JurisdictionTree;
  users?: UserRepository;
  operators?: OperatorRepository;
  /** Inspection schedule for `/api/tasks`. @default loaded from SCHEDULE_TABLE_PATH on first use */
  scheduleTable?: ScheduleTable;
  auth?: ApiAuthOptions;
}

/**
 * The HTTP API: health, then sign-in, then everything else behind `authenticate`, where each route asks
 * `authorize` for its role's power and its scope filter (api/auth/principal.ts).
 */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRoutes(deps));

  const cfg = config();
  const redis = deps.redis ?? new Redis(cfg.REDIS_URL, { lazyConnect: true });
  const tree = deps.tree ?? new JurisdictionTree(deps.engine, { prefix: deps.prefix });
  const users = deps.users ?? new UserRepository(deps.engine, tree, { prefix: deps.prefix });
  const operators =
    deps.operators ?? new OperatorRepository(deps.engine, { prefix: deps.prefix, tree, users });
  const keyPrefix = deps.auth?.keyPrefix ?? `${deps.prefix}:api`;
  const sessionTtlSec = deps.auth?.sessionTtlSec ?? cfg.API_SESSION_TTL_SEC;
  const sessions = new SessionStore(redis, { keyPrefix, sessionTtlSec });
  const limiterOptions = {
    keyPrefix,
    maxFailures: deps.auth?.maxLoginFailures ?? cfg.API_LOGIN_MAX_FAILURES,
    windowSec: deps.auth?.loginWindowSec ?? cfg.API_LOGIN_WINDOW_SEC,
  };
  const limiter = new LoginLimiter(redis, limiterOptions);
  const authDeps = {
    users,
    sessions,
    limiter,
    sessionTtlSec,
    secureCookie: deps.auth?.secureCookie ?? cfg.API_SECURE_COOKIE,
  };

  app.use('/api', loginRoutes(authDeps));
  app.use('/api', authenticate(sessions, users));
  app.use('/api', sessionRoutes(authDeps));
  app.use('/api', searchRoutes(deps));
  app.use('/api', operatorRoutes({ ...deps, operators, tree, users }));
  app.use('/api', jurisdictionRoutes({ tree, users }));
  app.use('/api', userRoutes({ tree, users }));
  app.use('/api', reviewRoutes(deps));
  app.use('/api', resourceRoutes(deps, ['operators', 'pages', 'ads', 'alerts', 'rules', 'evidence']));
  app.use('/api', crawlRoutes(deps));
  app.use(webRoutes());
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });
  app.use(errorHandler);
  return app;
}

function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (isBodyParseError(error)) {
    const tooLarge = error.status === 413;
    res.status(tooLarge ? 413 : 400).json({
      error: {
        code: tooLarge ? 'BODY_TOO_LARGE' : 'VALIDATION_FAILED',
        message: tooLarge ? 'The body is larger than 1 MB' : 'The body is not valid JSON',
        details: { part: 'body' },
      },
    });
    return;
  }
  if (isAppError(error) && error.httpStatus < 500) {
    if (error.code === 'AUTH_RATE_LIMITED') {
      const retry = (error.details as { retryAfterSec?: number } | undefined)?.retryAfterSec;
      if (retry) res.setHeader('Retry-After', String(retry));
    }
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
}

/** express.json's SyntaxError (status 400, type `entity.parse.failed`) and size errors. */
function isBodyParseError(error: unknown): error is { status: number } {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    typeof error.type === 'string' &&
    'status' in error &&
    (error as { status: number }).status < 500
  );
}
