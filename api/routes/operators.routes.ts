/**
 * Operator writes and the views the generic catalogue routes do not give: create, guarded update
 * (`If-Match: "<seq_no>-<primary_term>"`, 409 when someone wrote since), history, CSV export in the
 * registry's importable columns, CSV import (all-or-nothing, with the report).
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import type { ConcurrencyGuard, EnginePort } from '../../engine/port.js';
import { exportOperatorsCsv, importOperatorsCsv } from '../../registry/csv/index.js';
import type { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { OperatorRepository, VersionedOperator } from '../../registry/operators/operator.repository.js';
import { deepestLevel } from '../../registry/scope.js';
import type { JurisdictionRef } from '../../registry/types.js';
import type { UserRepository } from '../../registry/users/user.repository.js';
import { authorize, notFoundError, type ScopedAccess } from '../auth/principal.js';
import { streamLines } from '../http/export.js';
import { idParam, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';
import { requireCityScope, requireCsv } from './route-guards.js';

export interface OperatorRouteDeps {
  engine: EnginePort;
  prefix: string;
  operators: OperatorRepository;
  tree: JurisdictionTree;
  users: UserRepository;
}

const writeBody = z.record(z.string(), z.unknown());

const ifMatch = z
  .string({ error: 'send If-Match with the ETag of the operator you read' })
  .regex(/^"?\d+-\d+"?$/, 'an ETag such as "12-1"');

function etag(version: ConcurrencyGuard): string {
  return `"${version.ifSeqNo}-${version.ifPrimaryTerm}"`;
}

function send(res: Response, found: VersionedOperator, status = 200): void {
  res.status(status).setHeader('ETag', etag(found.version)).json(found.operator);
}

/** The full ref of a submitted `jurisdiction` (from its deepest id), or {} for none. */
async function resolveRef(tree: JurisdictionTree, input: unknown): Promise<JurisdictionRef> {
  if (typeof input !== 'object' || input === null) return {};
  const ref = input as JurisdictionRef;
  const level = deepestLevel(ref);
  const id = level ? ref[level] : undefined;
  if (!id || typeof id !== 'string') return {};
  // An unknown node is the repository's to report (400); until then judge the ref as given.
  return (await tree.get(id)) ? tree.refOf(id) : ref;
}

async function assertTargetInScope(
  tree: JurisdictionTree,
  access: ScopedAccess,
  input: unknown,
): Promise<void> {
  if (!access.sees(await resolveRef(tree, input))) {
    throw new NonRetryableError('The operator would lie outside your jurisdiction', {
      code: 'OUT_OF_SCOPE',
      httpStatus: 403,
      details: { field: 'jurisdiction' },
    });
  }
}

export function operatorRoutes(deps: OperatorRouteDeps): Router {
  const router = Router();

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/operators',
      tag: 'operators',
      summary: 'Create an operator in scope',
      body: writeBody,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'operators', 'write');
      const body = parseRequest(writeBody, req.body, 'body');
      await assertTargetInScope(deps.tree, access, body.jurisdiction);
      send(res, await deps.operators.create(body as never, { actor: access.principal.user.id }), 201);
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'patch',
      path: '/operators/:id',
      tag: 'operators',
      summary: 'Change an operator; If-Match version guard (409 when stale)',
      params: idParam,
      body: writeBody,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'operators', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const version = parseRequest(ifMatch, req.headers['if-match'], 'header');
      const body = parseRequest(writeBody, req.body, 'body');
      const current = await deps.operators.getInScope(id, access.principal.scope ?? {});
      if (!current) throw notFoundError('operator', id);
      if ('jurisdiction' in body) await assertTargetInScope(deps.tree, access, body.jurisdiction);
      const [seqNo, primaryTerm] = version.replaceAll('"', '').split('-').map(Number);
      const expected = { ifSeqNo: seqNo ?? -1, ifPrimaryTerm: primaryTerm ?? -1 };
      send(res, await deps.operators.update(id, body, { actor: access.principal.user.id, expected }));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/operators/:id/history',
      tag: 'operators',
      summary: 'Change history of an operator',
      params: idParam,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'operators', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      if (!(await deps.operators.getInScope(id, access.principal.scope ?? {})))
        throw notFoundError('operator', id);
      res.json({ items: await deps.operators.historyOf(id) });
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/operators/export.csv',
      tag: 'operators',
      summary: 'Operators in scope as CSV',
      produces: ['text/csv'],
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'operators', 'read');
      await streamLines(
        res,
        exportOperatorsCsv(deps.operators, access.principal.scope ?? {}),
        'operators.csv',
      );
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/operators/import',
      tag: 'operators',
      summary: 'Import operators from CSV (city scope only)',
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'operators', 'write');
      requireCityScope(access, 'import operators');
      requireCsv(req);
      const result = await importOperatorsCsv(req, {
        engine: deps.engine,
        prefix: deps.prefix,
        tree: deps.tree,
        users: deps.users,
        actor: access.principal.user.id,
      });
      res.status(result.ok ? 200 : 422).json(result);
    },
  );
  return router;
}
