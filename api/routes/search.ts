import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { searchPages } from '../../search/search-pages.js';
import type { ApiDeps } from '../app.js';

const searchQuery = z.object({
  q: z.string().min(1).max(1_000),
  size: z.coerce.number().int().min(1).max(100).default(10),
  domain: z.string().max(253).optional(),
});

export function searchRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/search', async (req, res) => {
    const parsed = searchQuery.safeParse(req.query);
    if (!parsed.success)
      throw new ValidationError('Bad search parameters', z.flattenError(parsed.error).fieldErrors);
    const { q, size, domain } = parsed.data;
    res.json(
      await searchPages(deps.engine, { prefix: deps.prefix, query: q, size, ...(domain ? { domain } : {}) }),
    );
  });
  return router;
}
