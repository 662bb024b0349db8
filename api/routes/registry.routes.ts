/**
 * The jurisdiction tree (nested view, new node, CSV import and export) and user administration. Every
 * read is limited to the caller's subtree; every write must land inside it.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { exportTreeCsv, importTreeCsv } from '../../registry/csv/index.js';
import { isJurisdictionLevel } from '../../registry/jurisdictions/jurisdiction.rules.js';
import type { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { JurisdictionNode } from '../../registry/types.js';
import type { UserRepository } from '../../registry/users/user.repository.js';
import { authorize, notFoundError, type ScopedAccess } from '../auth/principal.js';
import { streamLines } from '../http/export.js';
import { idParam, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';
import { requireCityScope, requireCsv } from './route-guards.js';

export interface RegistryRouteDeps {
  tree: JurisdictionTree;
  users: UserRepository;
}

interface TreeNode extends JurisdictionNode {
  children: TreeNode[];
}

const nodeBody = z
  .object({
    id: z.string().min(1).max(64),
    level: z.string().refine(isJurisdictionLevel, 'city, county, station or grid'),
    name: z.string().trim().min(1).max(200),
    parent_id: z.string().min(1).max(64).nullable(),
  })
  .strict();

const userBody = z.record(z.string(), z.unknown());

/** Nodes (parents listed before children) as a forest rooted at the nodes whose parent is not listed. */
function nest(nodes: readonly JurisdictionNode[]): TreeNode[] {
  const byId = new Map<string, TreeNode>(nodes.map((n) => [n.id, { ...n, children: [] }]));
  const roots: TreeNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parent_id ? byId.get(node.parent_id) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A node id the caller may use: it exists and lies inside the caller's subtree (else 404). */
async function assertNodeInScope(tree: JurisdictionTree, access: ScopedAccess, id: string): Promise<void> {
  if (!(await tree.get(id)) || !access.sees(await tree.refOf(id)))
    throw notFoundError('jurisdiction node', id);
}

async function assertUserInScope(deps: RegistryRouteDeps, access: ScopedAccess, id: string) {
  const user = await deps.users.get(id);
  if (!user || !access.sees(await deps.users.scopeOf(user))) throw notFoundError('user', id);
  return user;
}

export function jurisdictionRoutes(deps: RegistryRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/jurisdictions/tree',
      tag: 'jurisdictions',
      summary: 'The jurisdiction tree in scope',
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'jurisdictions', 'read');
      res.json({ roots: nest(await deps.tree.list({ scope: access.principal.scope ?? {} })) });
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/jurisdictions',
      tag: 'jurisdictions',
      summary: 'Create or change a jurisdiction node',
      body: nodeBody,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'jurisdictions', 'write');
      const body = parseRequest(nodeBody, req.body, 'body');
      if (body.parent_id) await assertNodeInScope(deps.tree, access, body.parent_id);
      else requireCityScope(access, 'create a city');
      const node = await deps.tree.create({ ...body, level: body.level });
      res.status(201).json(node);
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/jurisdictions/export.csv',
      tag: 'jurisdictions',
      summary: 'The tree as CSV',
      produces: ['text/csv'],
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'jurisdictions', 'read');
      await streamLines(res, exportTreeCsv(deps.tree, access.principal.scope ?? {}), 'jurisdictions.csv');
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/jurisdictions/import',
      tag: 'jurisdictions',
      summary: 'Import the tree from CSV (city scope only)',
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'jurisdictions', 'write');
      requireCityScope(access, 'import the jurisdiction tree');
      requireCsv(req);
      const result = await importTreeCsv(req, deps.tree);
      res.status(result.ok ? 200 : 422).json(result);
    },
  );
  return router;
}

export function userRoutes(deps: RegistryRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    { method: 'get', path: '/users', tag: 'users', summary: 'Users in scope' },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'users', 'read');
      res.json({ items: await deps.users.list(access.principal.scope ?? {}) });
    },
  );

  defineRoute(
    router,
    '/api',
    { method: 'get', path: '/users/:id', tag: 'users', summary: 'One user', params: idParam },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'users', 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      res.json(await assertUserInScope(deps, access, id));
    },
  );

  defineRoute(
    router,
    '/api',
    { method: 'post', path: '/users', tag: 'users', summary: 'Create a user', body: userBody },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'users', 'write');
      const body = parseRequest(userBody, req.body, 'body');
      if (typeof body.scope_node_id === 'string')
        await assertNodeInScope(deps.tree, access, body.scope_node_id);
      else requireCityScope(access, 'create users without a scope node');
      res.status(201).json(await deps.users.create(body as never));
    },
  );

  defineRoute(
    router,
    '/api',
    {
      method: 'patch',
      path: '/users/:id',
      tag: 'users',
      summary: 'Change a user',
      params: idParam,
      body: userBody,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'users', 'write');
      const { id } = parseRequest(idParam, req.params, 'params');
      const body = parseRequest(userBody, req.body, 'body');
      await assertUserInScope(deps, access, id);
      if (typeof body.scope_node_id === 'string')
        await assertNodeInScope(deps.tree, access, body.scope_node_id);
      res.json(await deps.users.update(id, body));
    },
  );
  return router;
}
