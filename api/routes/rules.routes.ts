/**
 * Rules: get with version, create, guarded update, enable/disable, version history, query validation
 * and back-test, over indexer/match's RuleRepository. A rule's `scope` must lie inside the author's;
 * a rule outside the caller's scope is 404. Back-tests only count documents inside the caller's scope.
 */
import { Router } from 'express';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import type { EnginePort } from '../../engine/port.js';
import { backtestRule } from '../../indexer/match/backtest.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import {
  RULE_TARGETS,
  ruleIdSchema,
  ruleInputSchema,
  rulePatchSchema,
  ruleQuerySchema,
  type StoredRule,
} from '../../indexer/match/rule.types.js';
import { deepestLevel } from '../../registry/scope.js';
import type { JurisdictionRef } from '../../registry/types.js';
import { authorize, notFoundError, type ScopedAccess } from '../auth/principal.js';
import { idParam, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

/** What the rule routes use. */
export interface RuleRouteDeps {
  engine: EnginePort;
  prefix: string;
  /** @default a RuleRepository over `engine` and `prefix` */
  rules?: RuleRepository;
}

export const ruleCreateBody = ruleInputSchema;
export const rulePatchBody = rulePatchSchema.extend({
  version: z.number().int().min(1).describe('The rule version the author edited (409 when stale)'),
});
export const ruleToggleBody = z
  .object({ version: z.number().int().min(1).optional() })
  .strict()
  .default({});
export const ruleValidateBody = z
  .object({ query: ruleQuerySchema, target: z.enum(RULE_TARGETS).default('both') })
  .strict();
export const ruleBacktestBody = z
  .object({
    rule: z
      .object({
        id: ruleIdSchema.optional(),
        query: ruleQuerySchema,
        target: z.enum(RULE_TARGETS).default('both'),
      })
      .loose(),
    sampleSize: z.number().int().min(1).max(50).default(10),
  })
  .strict();

function outOfScope(): NonRetryableError {
  return new NonRetryableError('A rule may only cover your own jurisdiction or part of it', {
    code: 'OUT_OF_SCOPE',
    httpStatus: 403,
    details: { field: 'scope' },
  });
}

/** The scope a new or changed rule gets: the caller's own when absent, else one inside it. */
function ruleScope(access: ScopedAccess, asked: JurisdictionRef | undefined): JurisdictionRef {
  const own = access.principal.scope;
  if (!own) throw outOfScope();
  if (!asked) return own;
  if (!access.sees(asked) || !deepestLevel(asked)) throw outOfScope();
  return asked;
}

function view(stored: StoredRule) {
  return stored.rule;
}

export function ruleRoutes(deps: RuleRouteDeps): Router {
  const router = Router();
  const rules = deps.rules ?? new RuleRepository(deps.engine, { prefix: deps.prefix });

  async function visible(access: ScopedAccess, id: string): Promise<StoredRule> {
    const stored = await rules.get(id);
    if (!stored) throw notFoundError('rule', id);
    access.assertVisible(stored.rule.scope, 'rule', id);
    return stored;
  }
  const actor = (access: ScopedAccess) => access.principal.user.username;
  const route = (doc: Parameters<typeof defineRoute>[2], handler: Parameters<typeof defineRoute>[3]) =>
    defineRoute(router, '/api', { ...doc, tag: 'rules' }, handler);

  route(
    {
      method: 'post',
      path: '/rules/validate',
      tag: 'rules',
      summary: 'Check a query; 400 `QUERY_INVALID`/`RULE_INVALID` naming the offending part',
      body: ruleValidateBody,
    },
    async (req, res) => {
      authorize(req, 'rules', 'read');
      const body = parseRequest(ruleValidateBody, req.body, 'body');
      const compiled = await rules.compile(body.query, body.target);
      res.json({ ok: true, compiled });
    },
  );

  route(
    {
      method: 'post',
      path: '/rules/backtest',
      tag: 'rules',
      summary: 'Run an unsaved rule over the indexed corpus in scope: hits, samples, spread, alerts',
      body: ruleBacktestBody,
    },
    async (req, res) => {
      const access = authorize(req, 'rules', 'read');
      const body = parseRequest(ruleBacktestBody, req.body, 'body');
      const scopeFilter = access.filter('jurisdiction');
      const scoped = {
        compile: async (source: string | object, target: (typeof RULE_TARGETS)[number]) => ({
          bool: { must: [await rules.compile(source, target)], filter: [scopeFilter] },
        }),
      } as unknown as RuleRepository;
      const cityWide = deepestLevel(access.principal.scope ?? {}) === 'city';
      let ruleId: string | undefined;
      if (body.rule.id && cityWide && (await rules.get(body.rule.id))) ruleId = body.rule.id;
      const result = await backtestRule(deps.engine, {
        prefix: deps.prefix,
        rules: scoped,
        query: body.rule.query,
        target: body.rule.target,
        sampleSize: body.sampleSize,
        ...(ruleId ? { ruleId } : {}),
      });
      res.json(result);
    },
  );

  route(
    {
      method: 'post',
      path: '/rules',
      tag: 'rules',
      summary: 'Create a rule (scope defaults to yours)',
      body: ruleCreateBody,
    },
    async (req, res) => {
      const access = authorize(req, 'rules', 'write');
      const body = parseRequest(ruleCreateBody, req.body, 'body');
      const scope = ruleScope(access, body.scope);
      const stored = await rules.create({ ...body, scope }, { actor: actor(access) });
      res.status(201).json(view(stored));
    },
  );

  route(
    {
      method: 'get',
      path: '/rules/:id',
      tag: 'rules',
      summary: 'One rule with its version',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'rules', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      res.json(view(await visible(access, id)));
    },
  );

  route(
    {
      method: 'patch',
      path: '/rules/:id',
      tag: 'rules',
      summary: 'Change a rule; `version` is the one edited (409 when someone saved since)',
      params: idParam,
      body: rulePatchBody,
    },
    async (req, res) => {
      const access = authorize(req, 'rules', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const { version, ...patch } = parseRequest(rulePatchBody, req.body, 'body');
      await visible(access, id);
      if (patch.scope) patch.scope = ruleScope(access, patch.scope);
      const stored = await rules.update(id, patch, { actor: actor(access), expectedVersion: version });
      res.json(view(stored));
    },
  );

  for (const action of ['enable', 'disable'] as const) {
    route(
      {
        method: 'post',
        path: `/rules/:id/${action}`,
        tag: 'rules',
        summary: `${action === 'enable' ? 'Enable' : 'Disable'} a rule (optional \`version\` guard)`,
        params: idParam,
        body: ruleToggleBody,
      },
      async (req, res) => {
        const access = authorize(req, 'rules', 'write');
        const { id } = parseRequest(idParam, req.params, 'params');
        const body = parseRequest(ruleToggleBody, req.body, 'body');
        await visible(access, id);
        const options = {
          actor: actor(access),
          ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
        };
        const stored =
          action === 'enable' ? await rules.enable(id, options) : await rules.disable(id, options);
        res.json(view(stored));
      },
    );
  }

  route(
    {
      method: 'get',
      path: '/rules/:id/versions',
      tag: 'rules',
      summary: 'Version history of a rule, newest first',
      params: idParam,
    },
    async (req, res) => {
      const access = authorize(req, 'rules', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      await visible(access, id);
      res.json({ versions: await rules.versions(id) });
    },
  );
  return router;
}
