/**
 * Scoped list, get, facets and export of the catalogue resources (operators, pages, ads, alerts,
 * rules, evidence): `GET /api/<resource>`, `/api/<resource>/facets`, `/api/<resource>/export`,
 * `/api/<resource>/:id`.
 */
import { Router, type Request, type Response } from 'express';
import type { EnginePort } from '../../engine/port.js';
import { authorize } from '../auth/principal.js';
import { exportFormat, streamExport } from '../http/export.js';
import { idParam, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';
import { RESOURCE_CATALOG, type CatalogResource } from '../resources/resource-catalog.js';
import { getScoped, listQuerySchema, listScoped, scanScoped } from '../resources/scoped-search.js';

export interface ResourceRouteDeps {
  engine: EnginePort;
  prefix: string;
}

/**
 * Which routes to register: `collections` (list, facets, export) go before the specific routers so
 * `/alerts/export` is never read as an id; `items` (`/:id`) go after them, so `/ads/groups` is not either.
 */
export type ResourceRoutePart = 'collections' | 'items' | 'all';

export function resourceRoutes(
  deps: ResourceRouteDeps,
  resources: readonly CatalogResource[],
  part: ResourceRoutePart = 'all',
): Router {
  const router = Router();
  for (const resource of resources) {
    const spec = RESOURCE_CATALOG[resource];
    const listSchema = listQuerySchema(spec);
    const exportSchema = listSchema
      .omit({ from: true, size: true, facets: true })
      .extend({ format: exportFormat });
    const facetsSchema = listSchema.omit({ from: true, size: true }).extend({
      facets: listSchema.shape.facets.unwrap().default(Object.keys(spec.facets)),
    });

    if (part === 'items') {
      registerItem(router, deps, resource);
      continue;
    }
    defineRoute(
      router,
      '/api',
      {
        method: 'get',
        path: `/${resource}`,
        tag: resource,
        summary: `List ${resource} in scope (paging by from or after, q, filters, facets)`,
        query: listSchema,
      },
      async (req: Request, res: Response) => {
        const access = authorize(req, resource, 'read');
        const query = parseRequest(listSchema, req.query, 'query');
        res.json(await listScoped(deps.engine, deps.prefix, spec, access, query));
      },
    );

    defineRoute(
      router,
      '/api',
      {
        method: 'get',
        path: `/${resource}/facets`,
        tag: resource,
        summary: `Facet counts of ${resource} in scope`,
        query: facetsSchema,
      },
      async (req: Request, res: Response) => {
        const access = authorize(req, resource, 'read');
        const query = parseRequest(facetsSchema, req.query, 'query');
        const page = await listScoped(deps.engine, deps.prefix, spec, access, { ...query, from: 0, size: 0 });
        res.json({ total: page.total, facets: page.facets ?? {} });
      },
    );

    defineRoute(
      router,
      '/api',
      {
        method: 'get',
        path: `/${resource}/export`,
        tag: resource,
        summary: `Every ${spec.kind} in scope as NDJSON or CSV`,
        query: exportSchema,
        produces: ['application/x-ndjson', 'text/csv'],
      },
      async (req: Request, res: Response) => {
        const access = authorize(req, resource, 'read');
        const { format, ...query } = parseRequest(exportSchema, req.query, 'query');
        const docs = scanScoped(deps.engine, deps.prefix, spec, access, query);
        await streamExport(res, docs, { format, columns: spec.csvColumns, filename: resource });
      },
    );

    if (part === 'all') registerItem(router, deps, resource);
  }
  return router;
}

function registerItem(router: Router, deps: ResourceRouteDeps, resource: CatalogResource): void {
  const spec = RESOURCE_CATALOG[resource];
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: `/${resource}/:id`,
      tag: resource,
      summary: `One ${spec.kind} (404 outside scope), ETag of its version`,
      params: idParam,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, resource, 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const found = await getScoped(deps.engine, deps.prefix, spec, access, id);
      if (found.seqNo !== undefined && found.primaryTerm !== undefined) {
        res.setHeader('ETag', `"${found.seqNo}-${found.primaryTerm}"`);
      }
      res.json(found.doc);
    },
  );
}
