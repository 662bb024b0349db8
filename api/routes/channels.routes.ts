/**
 * Channels: the alert routes of indexer/alert/routing (which jurisdiction node gets which severities and
 * categories on which channel target). Listed, created, changed, deleted and tested inside the caller's
 * scope; target secrets are never sent back.
 */
import { Router } from 'express';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import type { EnginePort } from '../../engine/port.js';
import { testRouteChannel, type ChannelTestOptions } from '../../indexer/alert/routing/channel-test.js';
import { RouteRepository } from '../../indexer/alert/routing/route.repository.js';
import {
  routeInputSchema,
  routePatchSchema,
  type AlertRoute,
} from '../../indexer/alert/routing/route.schema.js';
import type { SseHub } from '../../notify/index.js';
import { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import { authorize, notFoundError, type ScopedAccess } from '../auth/principal.js';
import { idParam, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

export interface ChannelRouteDeps {
  engine: EnginePort;
  prefix: string;
  /** In-app stream that tests of `in_app` routes publish on. */
  hub?: SseHub;
  /** Where channel tests send from (SMTP server, time limit). @default the notify config */
  channelTest?: ChannelTestOptions;
}

export const channelListQuery = z.object({ enabled: z.enum(['true', 'false']).optional() }).strict();
export const channelPatchBody = routePatchSchema.extend({
  version: z.number().int().min(1).describe('The version edited (409 when stale)'),
});
export const channelDeleteBody = z
  .object({ version: z.number().int().min(1).optional() })
  .strict()
  .default({});

export const channelTestBody = z
  .object({
    message: z.string().trim().min(1).max(500).optional().describe('A line added to the test notice'),
  })
  .strict()
  .default({});
export const channelTestResponse = z.object({
  ok: z.boolean(),
  status: z.enum(['sent', 'failed']),
  ms: z.number().int().min(0),
  channel: z.enum(['webhook', 'email', 'dingtalk', 'wecom', 'in_app']),
  recipient: z.string().describe('Where it went, without secrets'),
  error: z
    .string()
    .optional()
    .describe('`CODE: message` of the refusal (`HTTP_404`, `SMTP_550`, `ECONNREFUSED`)'),
  retryable: z.boolean().optional().describe('false when the target refused for good'),
});

function redact(route: AlertRoute): AlertRoute {
  const target = { ...route.target } as Record<string, unknown>;
  if ('secret' in target) target.secret = target.secret ? '***' : undefined;
  return { ...route, target: target as unknown as AlertRoute['target'] };
}

function outOfScope(): NonRetryableError {
  return new NonRetryableError('A channel may only route alerts of your own jurisdiction', {
    code: 'OUT_OF_SCOPE',
    httpStatus: 403,
    details: { field: 'node_id' },
  });
}

export function channelRoutes(deps: ChannelRouteDeps): Router {
  const router = Router();
  const routes = new RouteRepository(deps.engine, { prefix: deps.prefix });
  const tree = new JurisdictionTree(deps.engine, { prefix: deps.prefix });
  const actor = (access: ScopedAccess) => access.principal.user.username;

  async function nodeInScope(access: ScopedAccess, nodeId: string): Promise<void> {
    const node = await tree.get(nodeId);
    if (!node || !access.sees(await tree.refOf(nodeId))) throw outOfScope();
  }
  async function visible(access: ScopedAccess, id: string) {
    const stored = await routes.get(id);
    if (!stored) throw notFoundError('channel', id);
    access.assertVisible(stored.route.jurisdiction, 'channel', id);
    return stored;
  }

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/channels',
      tag: 'channels',
      summary: 'Alert routes in scope',
      query: channelListQuery,
    },
    async (req, res) => {
      const access = authorize(req, 'channels', 'read');
      const query = parseRequest(channelListQuery, req.query, 'query');
      const scope = access.principal.scope;
      if (!scope) {
        res.json({ channels: [] });
        return;
      }
      const list = await routes.list({
        scope,
        ...(query.enabled ? { enabled: query.enabled === 'true' } : {}),
      });
      res.json({ channels: list.filter((r) => access.sees(r.jurisdiction)).map(redact) });
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/channels',
      tag: 'channels',
      summary: 'Create an alert route at a node in scope',
      body: routeInputSchema,
    },
    async (req, res) => {
      const access = authorize(req, 'channels', 'write');
      const body = parseRequest(routeInputSchema, req.body, 'body');
      await nodeInScope(access, body.node_id);
      const stored = await routes.create(body, { actor: actor(access) });
      res.status(201).json(redact(stored.route));
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'patch',
      path: '/channels/:id',
      tag: 'channels',
      summary: 'Change an alert route; `version` guards against lost updates',
      params: idParam,
      body: channelPatchBody,
    },
    async (req, res) => {
      const access = authorize(req, 'channels', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const { version, ...patch } = parseRequest(channelPatchBody, req.body, 'body');
      const current = await visible(access, id);
      if (current.route.version !== version) {
        throw new NonRetryableError(`Channel ${id} is at version ${current.route.version}`, {
          code: 'VERSION_CONFLICT',
          httpStatus: 409,
          details: { id, version, current: current.route.version },
        });
      }
      if (patch.node_id) await nodeInScope(access, patch.node_id);
      const stored = await routes.update(id, patch, {
        actor: actor(access),
        guard: { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm },
      });
      res.json(redact(stored.route));
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/channels/:id/test',
      tag: 'channels',
      summary:
        'Send one test notice through the route now (one try, no outbox); a refusing target is `ok: false`, not an error',
      params: idParam,
      body: channelTestBody,
      response: channelTestResponse,
    },
    async (req, res) => {
      const access = authorize(req, 'channels', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const body = parseRequest(channelTestBody, req.body, 'body');
      const current = await visible(access, id);
      const result = await testRouteChannel(
        deps.engine,
        deps.prefix,
        current.route,
        { actor: actor(access), ...(body.message ? { message: body.message } : {}) },
        { ...deps.channelTest, ...(deps.hub ? { hub: deps.hub } : {}) },
      );
      res.json(result);
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'delete',
      path: '/channels/:id',
      tag: 'channels',
      summary: 'Delete an alert route',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'channels', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const current = await visible(access, id);
      await routes.delete(id, {
        actor: actor(access),
        guard: { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm },
      });
      res.status(204).end();
    },
  );
  return router;
}
