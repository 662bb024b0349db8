/** `GET /api/stats/overview`: the dashboard's figures in the caller's scope over a time window. */
import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { EnginePort } from '../../engine/port.js';
import type { Frontier } from '../../indexer/frontier/frontier.js';
import { STATS_INTERVALS, statsOverview } from '../../search/stats-overview.js';
import { authorize } from '../auth/principal.js';
import { parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

export interface StatsRouteDeps {
  engine: EnginePort;
  prefix: string;
  frontier?: Frontier;
}

const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
export const statsQuery = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    interval: z.enum(STATS_INTERVALS).default('day'),
  })
  .strict();

const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 28 * 86_400_000 };
/** More buckets than this in one chart is a mistake (and a heavy engine request). */
const MAX_BUCKETS = 2_000;

export function statsRoutes(deps: StatsRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/stats/overview',
      tag: 'stats',
      summary: 'Dashboard: alerts over time, by category and district, top advertisers, crawl health',
      query: statsQuery,
    },
    async (req, res) => {
      const access = authorize(req, 'alerts', 'read');
      authorize(req, 'pages', 'read');
      const query = parseRequest(statsQuery, req.query, 'query');
      const to = query.to ? new Date(query.to).toISOString() : new Date().toISOString();
      const from = query.from
        ? new Date(query.from).toISOString()
        : new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
      const span = Date.parse(to) - Date.parse(from);
      if (span < 0 || span / INTERVAL_MS[query.interval] > MAX_BUCKETS) {
        throw new ValidationError(
          span < 0 ? '`from` is after `to`' : `More than ${MAX_BUCKETS} ${query.interval}s in the window`,
          { part: 'query', field: span < 0 ? 'from' : 'interval' },
          'WINDOW_INVALID',
        );
      }
      const overview = await statsOverview(deps.engine, {
        prefix: deps.prefix,
        scope: access.filter('jurisdiction'),
        from,
        to,
        interval: query.interval,
      });
      const queue = deps.frontier ? await deps.frontier.progress().catch(() => null) : null;
      res.json({ ...overview, crawlHealth: { ...overview.crawlHealth, queue } });
    },
  );
  return router;
}
