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
import { RESOURCE_CATALOG, type CatalogResource } from '../resources/resource-catalog.js';
import { getScoped, listQuerySchema, listScoped, scanScoped } from '../resources/scoped-search.js';

export interface ResourceRouteDeps {
  engine: EnginePort;
  prefix: string;
}

export function resourceRoutes(deps: ResourceRouteDeps, resources: readonly CatalogResource[]): Router {
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

    router.get(`/${resource}`, async (req: Request, res: Response) => {
      const access = authorize(req, resource, 'read');
      const query = parseRequest(listSchema, req.query, 'query');
      res.json(await listScoped(deps.engine, deps.prefix, spec, access, query));
    });

    router.get(`/${resource}/facets`, async (req: Request, res: Response) => {
      const access = authorize(req, resource, 'read');
      const query = parseRequest(facetsSchema, req.query, 'query');
      const page = await listScoped(deps.engine, deps.prefix, spec, access, { ...query, from: 0, size: 0 });
      res.json({ total: page.total, facets: page.facets ?? {} });
    });

    router.get(`/${resource}/export`, async (req: Request, res: Response) => {
      const access = authorize(req, resource, 'read');
      const { format, ...query } = parseRequest(exportSchema, req.query, 'query');
      const docs = scanScoped(deps.engine, deps.prefix, spec, access, query);
      await streamExport(res, docs, { format, columns: spec.csvColumns, filename: resource });
    });

    router.get(`/${resource}/:id`, async (req: Request, res: Response) => {
      const access = authorize(req, resource, 'read');
      const { id } = parseRequest(idParam, req.params, 'params');
      const found = await getScoped(deps.engine, deps.prefix, spec, access, id);
      if (found.seqNo !== undefined && found.primaryTerm !== undefined) {
        res.setHeader('ETag', `"${found.seqNo}-${found.primaryTerm}"`);
      }
      res.json(found.doc);
    });
  }
  return router;
}
