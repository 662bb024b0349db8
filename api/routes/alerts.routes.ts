/**
 * Alerts beyond the generic listing: counts by status × severity, the detail with delivery state and
 * audit trail, guarded lifecycle actions (409 on a stale `version`), bulk actions, and the live SSE
 * stream (`/api/notifications/stream`, scope-filtered by notify/sse-handler.ts).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { NonRetryableError, errorCode, isAppError } from '../../core/errors.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { AlertService, type StoredAlert } from '../../indexer/alert/alert.service.js';
import { SEVERITIES } from '../../indexer/match/rule.types.js';
import { sseHandler, type SseHub } from '../../notify/index.js';
import { alertCounts, auditTrail } from '../../search/alert-views.js';
import { authorize, notFoundError, type ScopedAccess } from '../auth/principal.js';
import { idParam, idString, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

/** What the alert routes read from and write to. */
export interface AlertRouteDeps {
  engine: EnginePort;
  prefix: string;
  /** In-app stream; without one the stream answers 503 `STREAM_UNAVAILABLE`. */
  hub?: SseHub;
  /** @default an AlertService over `engine` and `prefix` */
  alerts?: AlertService;
}

const ACTIONS = ['acknowledge', 'resolve', 'false_positive'] as const;
/** The concurrency token of an alert as the API hands it out: `<seq_no>-<primary_term>`. */
const versionToken = z.string().regex(/^\d{1,18}-\d{1,9}$/, 'the `version` of the alert as last read');

export const alertCountsQuery = z
  .object({
    rule: idString.optional(),
    district: idString.optional(),
    site: z.string().max(300).optional(),
  })
  .strict();

export const alertActionBody = z
  .object({
    action: z.enum(ACTIONS),
    reason: z.string().trim().max(2_000).optional(),
    version: versionToken,
  })
  .strict();

export const alertBulkBody = z
  .object({
    ids: z.array(idString).min(1).max(500),
    action: z.enum(ACTIONS),
    reason: z.string().trim().max(2_000).optional(),
  })
  .strict();

export const streamQuery = z
  .object({
    lastEventId: z
      .string()
      .regex(/^\d{1,20}-\d{1,20}$/)
      .optional(),
    minSeverity: z.enum(SEVERITIES).optional(),
  })
  .strict();

function tokenOf(stored: StoredAlert): string {
  return `${stored.seqNo}-${stored.primaryTerm}`;
}

function view(stored: StoredAlert, id: string): Doc {
  return { ...stored.alert, id, version: tokenOf(stored) };
}

async function visibleAlert(service: AlertService, access: ScopedAccess, id: string): Promise<StoredAlert> {
  const stored = await service.get(id);
  if (!stored) throw notFoundError('alert', id);
  access.assertVisible(stored.alert.jurisdiction, 'alert', id);
  return stored;
}

function actorOf(access: ScopedAccess): string {
  return access.principal.user.username;
}

export function alertRoutes(deps: AlertRouteDeps): Router {
  const router = Router();
  const service = deps.alerts ?? new AlertService(deps.engine, { prefix: deps.prefix, refresh: 'wait_for' });

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/alerts/counts',
      tag: 'alerts',
      summary: 'Alert counts in scope by status, by severity and status × severity',
      query: alertCountsQuery,
    },
    async (req, res) => {
      const access = authorize(req, 'alerts', 'read');
      const query = parseRequest(alertCountsQuery, req.query, 'query');
      const filters: Doc[] = [access.filter('jurisdiction')];
      if (query.rule) filters.push({ term: { rule_id: query.rule } });
      if (query.district) filters.push({ term: { 'jurisdiction.county': query.district } });
      if (query.site) filters.push({ term: { site: query.site } });
      res.json(await alertCounts(deps.engine, deps.prefix, filters));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/alerts/bulk',
      tag: 'alerts',
      summary: 'One action on many alerts; a result per id (ok, or the error code)',
      body: alertBulkBody,
    },
    async (req, res) => {
      const access = authorize(req, 'alerts', 'write');
      const body = parseRequest(alertBulkBody, req.body, 'body');
      const results = [];
      for (const id of new Set(body.ids)) {
        try {
          await visibleAlert(service, access, id);
          const stored = await service.transition(id, body.action, {
            actor: actorOf(access),
            ...(body.reason ? { note: body.reason } : {}),
          });
          results.push({ id, ok: true, status: stored.alert.status, version: tokenOf(stored) });
        } catch (error) {
          if (isAppError(error) && error.httpStatus >= 500) throw error;
          const code = errorCode(error) === 'ALERT_NOT_FOUND' ? 'NOT_FOUND' : errorCode(error);
          results.push({ id, ok: false, code, message: error instanceof Error ? error.message : code });
        }
      }
      res.json({
        results,
        ok: results.filter((r) => r.ok).length,
        failed: results.filter((r) => !r.ok).length,
      });
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/alerts/:id',
      tag: 'alerts',
      summary: 'One alert with its delivery state (notifications), audit trail and `version`',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'alerts', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const stored = await visibleAlert(service, access, id);
      res.setHeader('ETag', `"${tokenOf(stored)}"`);
      const audit = await auditTrail(deps.engine, deps.prefix, 'alert', id);
      res.json({
        ...view(stored, id),
        notifications: (stored.alert as unknown as Doc).notifications ?? [],
        audit,
      });
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/alerts/:id/actions',
      tag: 'alerts',
      summary: 'Acknowledge, resolve or mark false positive; 409 when `version` is stale',
      params: idParam,
      body: alertActionBody,
    },
    async (req, res) => {
      const access = authorize(req, 'alerts', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const body = parseRequest(alertActionBody, req.body, 'body');
      const current = await visibleAlert(service, access, id);
      const [seqNo, primaryTerm] = body.version.split('-').map(Number) as [number, number];
      if (seqNo !== current.seqNo || primaryTerm !== current.primaryTerm) {
        throw new NonRetryableError(`Alert ${id} changed since version ${body.version}`, {
          code: 'VERSION_CONFLICT',
          httpStatus: 409,
          details: { id, version: body.version, current: tokenOf(current), status: current.alert.status },
        });
      }
      const stored = await service.transition(id, body.action, {
        actor: actorOf(access),
        guard: { ifSeqNo: seqNo, ifPrimaryTerm: primaryTerm },
        ...(body.reason ? { note: body.reason } : {}),
      });
      res.json(view(stored, id));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/notifications/stream',
      tag: 'alerts',
      summary: 'Server-sent events of new alerts in scope (resume with Last-Event-ID)',
      query: streamQuery,
      produces: ['text/event-stream'],
    },
    (req, res, next) => {
      const access = authorize(req, 'alerts', 'read');
      const query = parseRequest(streamQuery, req.query, 'query');
      const scope = access.principal.scope;
      if (!deps.hub) {
        throw new NonRetryableError('No notification stream in this process', {
          code: 'STREAM_UNAVAILABLE',
          httpStatus: 503,
        });
      }
      if (!scope) throw notFoundError('stream', 'notifications');
      const principal = (_req: Request) => ({
        userId: access.principal.user.id,
        scope,
        ...(query.minSeverity ? { minSeverity: query.minSeverity } : {}),
      });
      void sseHandler(deps.hub, principal)(req, res, next);
    },
  );
  return router;
}
