/**
 * Request ids (`X-Request-Id` in and out), one JSON access log line per request carrying them, and the Prometheus
 * registry of the API: request latency by route template and status, plus crawl, queue and alert
 * figures read when `/metrics` is scraped.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { logger } from '../../core/logger.js';
import type { EnginePort } from '../../engine/port.js';
import type { Frontier } from '../../indexer/frontier/frontier.js';
import { aliasName } from '../../mappings/index.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ids = new WeakMap<IncomingMessage, string>();

/** The request's id: the caller's `X-Request-Id` when it is a sane token, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (!id) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    ids.set(req, id);
  }
  return id;
}

/** Sets `X-Request-Id` on the answer. */
export const requestId: RequestHandler = (req, res, next) => {
  res.setHeader('X-Request-Id', requestIdOf(req));
  next();
};

/**
 * JSON access log, one line per request when it ends (id, method, path, status, milliseconds), `error`
 * level from 500 on; never headers, cookies, query strings or bodies. The same lines pino-http wrote,
 * without its per-request child logger and serializers.
 */
export function accessLog(log: Logger = logger('api.http')): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    const write = (msg: string) => {
      const url = req.originalUrl;
      const query = url.indexOf('?');
      const entry = {
        req: { id: requestIdOf(req), method: req.method, path: query < 0 ? url : url.slice(0, query) },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - startedAt),
      };
      if (res.statusCode >= 500) log.error(entry, msg);
      else log.info(entry, msg);
    };
    res.once('finish', () => write('request completed'));
    res.once('close', () => {
      if (!res.writableFinished) write('request aborted');
    });
    next();
  };
}

/** Where the figures of `/metrics` come from. */
export interface MetricsSources {
  engine: EnginePort;
  prefix: string;
  frontier?: Frontier;
}

/** The route template of a matched request (`/api/rules/:id`), `unmatched` otherwise (no raw paths: bounded labels). */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** A registry per app, with the latency middleware that feeds it. */
export function createMetrics(sources: MetricsSources): { registry: Registry; middleware: RequestHandler } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'argus_api_' });
  const latency = new Histogram({
    name: 'argus_http_request_duration_seconds',
    help: 'API request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'argus_crawl_urls',
    help: 'Crawl frontier figures (discovered, done, failed, retried)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const progress = await sources.frontier?.progress().catch(() => undefined);
      if (!progress) return;
      for (const state of ['discovered', 'queued', 'done', 'failed', 'retried'] as const) {
        this.set({ state }, progress[state]);
      }
    },
  });
  new Gauge({
    name: 'argus_queue_jobs',
    help: 'Crawl queue jobs by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const progress = await sources.frontier?.progress().catch(() => undefined);
      if (!progress) return;
      const live = progress as unknown as Record<string, unknown>;
      for (const state of ['waiting', 'active', 'delayed']) {
        if (typeof live[state] === 'number') this.set({ state }, live[state]);
      }
    },
  });
  new Gauge({
    name: 'argus_alerts',
    help: 'Alerts stored, by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const result = await sources.engine
        .search({
          index: aliasName(sources.prefix, 'alerts'),
          size: 0,
          aggs: { status: { terms: { field: 'status', size: 10 } } },
        })
        .catch(() => undefined);
      const buckets =
        (result?.aggregations?.status as { buckets?: Array<{ key: string; doc_count: number }> } | undefined)
          ?.buckets ?? [];
      for (const b of buckets) this.set({ status: b.key }, b.doc_count);
    },
  });
  const middleware: RequestHandler = (req: Request, res: Response, next) => {
    const end = latency.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
