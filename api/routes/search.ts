import { Router } from 'express';
import { z } from 'zod';
import type { EnginePort } from '../../engine/port.js';
import { searchPages } from '../../search/search-pages.js';
import { authorize } from '../auth/principal.js';
import { csvList, parseRequest } from '../http/validate.js';
import { RESOURCE_CATALOG } from '../resources/resource-catalog.js';

/** What the search route reads from. */
export interface SearchRouteDeps {
  engine: EnginePort;
  prefix: string;
}

const pageFacets = RESOURCE_CATALOG.pages.facets;

const searchQuery = z
  .object({
    q: z.string().min(1).max(1_000),
    from: z.coerce.number().int().min(0).max(9_000).default(0),
    size: z.coerce.number().int().min(1).max(100).default(10),
    domain: z.string().max(253).optional(),
    facets: csvList(Object.keys(pageFacets)).optional(),
  })
  .strict();

/** `GET /api/search`: full-text search over the pages inside the caller's scope, with scoped facets. */
export function searchRoutes(deps: SearchRouteDeps): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const access = authorize(req, 'pages', 'read');
    const { q, from, size, domain, facets } = parseRequest(searchQuery, req.query, 'query');
    res.json(
      await searchPages(deps.engine, {
        prefix: deps.prefix,
        query: q,
        from,
        size,
        filters: [access.filter(RESOURCE_CATALOG.pages.scopeField)],
        ...(domain ? { domain } : {}),
        ...(facets ? { facets: Object.fromEntries(facets.map((f) => [f, pageFacets[f] as string])) } : {}),
      }),
    );
  });
  return router;
}
