/**
 * Work lists: the inspector task list (I2's schedule module), unregistered-operator candidates and
 * lookalike findings. Candidates and findings carry no jurisdiction (an unregistered site belongs to no
 * operator yet; a lookalike watches a brand), so only the city bureau sees them until they are linked.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { EnginePort } from '../../engine/port.js';
import { loadScheduleTable, type ScheduleTable } from '../../indexer/schedule/schedule-table.js';
import { taskList } from '../../indexer/schedule/task-list.js';
import { aliasName } from '../../mappings/index.js';
import { deepestLevel } from '../../registry/scope.js';
import { authorize } from '../auth/principal.js';
import { pagingSchema, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

export interface ReviewRouteDeps {
  engine: EnginePort;
  prefix: string;
  /** @default loaded once from SCHEDULE_TABLE_PATH */
  scheduleTable?: ScheduleTable;
}

const tasksQuery = z
  .object({
    inspector_id: z.string().min(1).max(64).optional(),
    /** Only the caller's own operators. */
    mine: z.enum(['true', 'false']).optional(),
  })
  .strict();

const reviewQuery = z.object({ ...pagingSchema, status: z.string().min(1).max(32).optional() }).strict();

export function reviewRoutes(deps: ReviewRouteDeps): Router {
  const router = Router();
  let table: Promise<ScheduleTable> | undefined = deps.scheduleTable
    ? Promise.resolve(deps.scheduleTable)
    : undefined;

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/tasks',
      tag: 'tasks',
      summary: 'Inspection tasks in scope (due, overdue, upcoming)',
      query: tasksQuery,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'tasks', 'read');
      const query = parseRequest(tasksQuery, req.query, 'query');
      table ??= loadScheduleTable();
      const inspectorId = query.mine === 'true' ? access.principal.user.id : query.inspector_id;
      res.json(
        await taskList(deps.engine, {
          prefix: deps.prefix,
          table: await table,
          scope: access.principal.scope ?? {},
          ...(inspectorId ? { inspectorId } : {}),
        }),
      );
    },
  );

  for (const [path, index, sortField] of [
    ['candidates', 'candidates', 'last_seen'],
    ['lookalikes', 'lookalikes', 'last_seen'],
  ] as const) {
    defineRoute(
      router,
      '/api',
      {
        method: 'get',
        path: `/${path}`,
        tag: 'review',
        summary: `Review queue of ${path} (city scope)`,
        query: reviewQuery,
      },
      async (req: Request, res: Response) => {
        const access = authorize(req, path, 'read');
        const query = parseRequest(reviewQuery, req.query, 'query');
        if (deepestLevel(access.principal.scope ?? {}) !== 'city') {
          res.json({ total: 0, from: query.from, size: query.size, items: [] });
          return;
        }
        const result = await deps.engine.search({
          index: aliasName(deps.prefix, index),
          query: { bool: { filter: query.status ? [{ term: { status: query.status } }] : [] } },
          from: query.from,
          size: query.size,
          sort: [{ [sortField]: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
          trackTotalHits: true,
        });
        res.json({
          total: result.total,
          from: query.from,
          size: query.size,
          items: result.hits.map((hit) => ({ ...hit.source, id: hit.id })),
        });
      },
    );
  }
  return router;
}
