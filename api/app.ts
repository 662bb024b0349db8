import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { MaxRetriesPerRequestError, Redis } from 'ioredis';
import { config } from '../core/config.js';
import { isAppError, ThrottledError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { EnginePort } from '../engine/port.js';
import type { Frontier } from '../indexer/frontier/frontier.js';
import { JurisdictionTree } from '../registry/jurisdictions/jurisdiction-tree.js';
import { OperatorRepository } from '../registry/operators/operator.repository.js';
import { UserRepository } from '../registry/users/user.repository.js';
import type { ScheduleTable } from '../indexer/schedule/schedule-table.js';
import type { AlertService } from '../indexer/alert/alert.service.js';
import type { RuleRepository } from '../indexer/match/rule.repository.js';
import type { SseHub } from '../notify/index.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { authenticate } from './auth/principal.js';
import { PrincipalCache } from './auth/principal-cache.js';
import { requestGate } from './auth/request-gate.js';
import { SessionStore } from './auth/session.store.js';
import { accessLog, createMetrics, requestId, requestIdOf } from './http/observability.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { defineRoute, mount } from './openapi/route-docs.js';
import { adsPagesRoutes } from './routes/ads-pages.routes.js';
import { alertRoutes } from './routes/alerts.routes.js';
import type { ChannelTestOptions } from '../indexer/alert/routing/channel-test.js';
import { channelRoutes } from './routes/channels.routes.js';
import { loginRoutes, sessionRoutes } from './routes/auth.routes.js';
import { crawlRoutes } from './routes/crawl.js';
import { healthRoutes } from './routes/health.js';
import { operatorRoutes } from './routes/operators.routes.js';
import { jurisdictionRoutes, userRoutes } from './routes/registry.routes.js';
import { resourceRoutes } from './routes/resources.routes.js';
import { reviewRoutes } from './routes/review.routes.js';
import { ruleRoutes } from './routes/rules.routes.js';
import { searchRoutes } from './routes/search.js';
import { statsRoutes } from './routes/stats.routes.js';
import { webRoutes } from './routes/web.routes.js';

/**
 * The API's own Redis client. Someone is waiting on every command, so while Redis is away a command
 * fails after one more reconnect (answered 503 REDIS_UNAVAILABLE) and reconnects are tried every
 * second at most, so the API is back within a second of Redis. ioredis's defaults (20 reconnects,
 * backing off to 5 s) held a request for over a minute. Background work keeps the defaults.
 */
export function createApiRedis(url: string = config().REDIS_URL): Redis {
  return new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

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
  /** In-app notification stream for `/api/notifications/stream`; without it that route answers 503. */
  hub?: SseHub;
  /** @default a RuleRepository over `engine` and `prefix` */
  rules?: RuleRepository;
  /** @default an AlertService over `engine` and `prefix` */
  alerts?: AlertService;
  /** Requests per caller per window. @default API_RATE_LIMIT_MAX / API_RATE_LIMIT_WINDOW_SEC */
  rateLimit?: { max: number; windowSec: number };
  /** How long a signed-in user and its scope stay in memory (0: read at every request). @default API_PRINCIPAL_CACHE_MS */
  principalCacheMs?: number;
  /** CORS allow-list. @default API_CORS_ORIGINS (empty: no CORS) */
  corsOrigins?: string[];
  /** `POST /api/channels/:id/test`: SMTP relay and timeout. @default SMTP_URL / NOTIFY_TIMEOUT_MS */
  channelTest?: ChannelTestOptions;
}

/**
 * The HTTP API: health, then sign-in, then everything else behind `authenticate`, where each route asks
 * `authorize` for its role's power and its scope filter (api/auth/principal.ts).
 */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const cfg = config();
  const metrics = createMetrics(deps);
  app.use(requestId, accessLog(), metrics.middleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
        },
      },
    }),
  );
  const origins =
    deps.corsOrigins ??
    cfg.API_CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  if (origins.length > 0) app.use(cors({ origin: origins, credentials: true, maxAge: 600 }));
  app.use(express.json({ limit: '1mb' }));
  mount(app, '', healthRoutes(deps));
  const opsRouter = express.Router();
  defineRoute(
    opsRouter,
    '',
    {
      method: 'get',
      path: '/metrics',
      tag: 'ops',
      summary: 'Prometheus metrics (request latency, crawl, queue, alerts)',
      auth: false,
      produces: ['text/plain'],
    },
    async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
  mount(app, '', opsRouter);
  mount(app, '/api', openApiRoutes());

  const redis = deps.redis ?? createApiRedis(cfg.REDIS_URL);
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

  const principals = new PrincipalCache(redis, {
    keyPrefix,
    ttlMs: deps.principalCacheMs ?? cfg.API_PRINCIPAL_CACHE_MS,
  });
  principals.watch(users, tree);
  app.use(
    '/api',
    requestGate({
      redis,
      sessions,
      principals,
      keyPrefix,
      max: deps.rateLimit?.max ?? cfg.API_RATE_LIMIT_MAX,
      windowSec: deps.rateLimit?.windowSec ?? cfg.API_RATE_LIMIT_WINDOW_SEC,
    }),
  );
  mount(app, '/api', loginRoutes(authDeps));
  app.use('/api', authenticate(sessions, users, principals));
  mount(app, '/api', sessionRoutes(authDeps));
  const catalogue = ['operators', 'pages', 'ads', 'alerts', 'rules', 'evidence'] as const;
  mount(app, '/api', resourceRoutes(deps, catalogue, 'collections'));
  mount(app, '/api', searchRoutes(deps));
  mount(app, '/api', alertRoutes(deps));
  mount(app, '/api', ruleRoutes(deps));
  mount(app, '/api', statsRoutes(deps));
  mount(app, '/api', channelRoutes(deps));
  mount(app, '/api', adsPagesRoutes(deps));
  mount(app, '/api', operatorRoutes({ ...deps, operators, tree, users }));
  mount(app, '/api', jurisdictionRoutes({ tree, users }));
  mount(app, '/api', userRoutes({ tree, users }));
  mount(app, '/api', reviewRoutes(deps));
  mount(app, '/api', resourceRoutes(deps, ['operators', 'pages', 'ads', 'evidence'], 'items'));
  mount(app, '/api', crawlRoutes(deps));
  app.use(webRoutes());
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });
  app.use(errorHandler);
  return app;
}

/** Seconds a client is told to wait after a 503 (an engine or Redis away, usually a restart). */
const RETRY_AFTER_SEC = 5;

function errorHandler(thrown: unknown, req: Request, res: Response, _next: NextFunction): void {
  const error = isRedisOutage(thrown)
    ? new ThrottledError('Redis unreachable', { code: 'REDIS_UNAVAILABLE', cause: thrown })
    : thrown;
  if (res.headersSent) {
    logger('api').error({ err: error, reqId: requestIdOf(req) }, 'request failed after the answer began');
    res.destroy();
    return;
  }
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
  if (isClientHttpError(error)) {
    res.status(error.status).json({
      error: { code: 'BAD_REQUEST', message: 'The request line could not be read', details: { part: 'url' } },
    });
    return;
  }
  const { httpStatus, code, retryable } = isAppError(error)
    ? error
    : { httpStatus: 500, code: 'INTERNAL', retryable: false };
  // The thrown error, not the wrapper, carries the useful stack.
  logger('api').error({ err: thrown, code, reqId: requestIdOf(req) }, 'request failed');
  if (retryable) res.setHeader('Retry-After', String(RETRY_AFTER_SEC));
  res.status(httpStatus).json({
    error: {
      code,
      message: retryable
        ? 'A backing service is unavailable; try again shortly'
        : 'The request failed; see the server log',
    },
  });
}

/** ioredis giving up on a command: retries used up while reconnecting, or a client already closed. */
function isRedisOutage(error: unknown): boolean {
  return (
    error instanceof MaxRetriesPerRequestError ||
    (error instanceof Error && error.message === 'Connection is closed.')
  );
}

/** express's own 4xx errors without a body type (e.g. a path parameter that is not valid percent-encoding). */
function isClientHttpError(error: unknown): error is { status: number } {
  if (typeof error !== 'object' || error === null || !('status' in error)) return false;
  const status = error.status;
  return typeof status === 'number' && status >= 400 && status < 500;
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
