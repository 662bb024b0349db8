/**
 * `GET /api/search` and `GET /api/search/export`: pages or ads in the caller's scope, in the shared
 * query-string syntax, with filters, `<mark>` highlights, facets, sort and `after` cursors.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { EnginePort } from '../../engine/port.js';
import {
  ruleIdsOfSeverity,
  scanDocuments,
  searchDocuments,
  SEARCH_FACETS,
  searchSort,
  type SearchFilters,
} from '../../search/search-documents.js';
import { SEVERITIES } from '../../indexer/match/rule.types.js';
import { authorize } from '../auth/principal.js';
import { cursorParam, decodeCursor, encodeCursor } from '../http/cursor.js';
import { exportFormat, streamExport } from '../http/export.js';
import { sendJson } from '../http/send-json.js';
import { csvList, idString, parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

/** What the search routes read from. */
export interface SearchRouteDeps {
  engine: EnginePort;
  prefix: string;
}

const FACET_NAMES = [...new Set(Object.values(SEARCH_FACETS).flatMap((f) => Object.keys(f)))];
const dateParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const hostParam = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$/, 'a host name such as shop.example.com.cn');

const filterFields = {
  q: z.string().max(1_000).default(''),
  kind: z.enum(['pages', 'ads']).default('pages'),
  domain: hostParam.optional(),
  registeredDomain: hostParam.optional(),
  operator: idString.optional(),
  district: idString.optional(),
  grid: idString.optional(),
  from: dateParam.optional().describe('Fetched (pages) or last seen (ads) at or after'),
  to: dateParam.optional().describe('Fetched (pages) or last seen (ads) at or before'),
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'a language tag such as zh or en')
    .optional(),
  rule: idString.optional(),
  severity: z.enum(SEVERITIES).optional(),
  sort: z.enum(['relevance', 'newest']).default('relevance'),
};

/** Query string of `GET /api/search`. */
export const searchQuerySchema = z
  .object({
    ...filterFields,
    size: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(9_000).default(0).describe('First pages only; then `after`'),
    after: cursorParam.optional(),
    facets: csvList(FACET_NAMES).optional(),
  })
  .strict();

/** Query string of `GET /api/search/export`. */
export const searchExportSchema = z.object({ ...filterFields, format: exportFormat }).strict();

const facetValue = z.object({ value: z.string(), count: z.number() });
const searchResponse = z.object({
  total: z.number(),
  tookMs: z.number(),
  hits: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['page', 'ad']),
      url: z.string(),
      title: z.string(),
      site: z.string(),
      fetchedAt: z.string().nullable(),
      score: z.number().nullable(),
      highlights: z.object({ title: z.array(z.string()).optional(), text: z.array(z.string()).optional() }),
      source: z
        .record(z.string(), z.unknown())
        .describe('The other stored fields of the hit (host, lang, operator_id, jurisdiction, rule_hits…)'),
    }),
  ),
  facets: z.record(z.string(), z.array(facetValue)),
  next: z.string().optional(),
});

const CSV_COLUMNS = {
  pages: [
    'id',
    'url',
    'site',
    'title',
    'lang',
    'fetched_at',
    'operator_id',
    'jurisdiction.county',
    'jurisdiction.grid',
    'rule_hits',
  ],
  ads: [
    'id',
    'creative_text',
    'landing_url',
    'advertiser',
    'category',
    'sites',
    'last_seen',
    'operator_id',
    'jurisdiction.county',
    'rule_hits',
  ],
} as const;

const FILTER_KEYS = [
  'domain',
  'registeredDomain',
  'operator',
  'district',
  'grid',
  'from',
  'to',
  'lang',
  'rule',
] as const;

type FilterInput = z.output<z.ZodObject<typeof filterFields>>;

async function filtersOf(deps: SearchRouteDeps, input: FilterInput): Promise<SearchFilters> {
  const filters: SearchFilters = {};
  for (const key of FILTER_KEYS) {
    const value = input[key];
    if (value !== undefined) filters[key] = value;
  }
  const { severity } = input;
  if (severity) filters.ruleIds = await ruleIdsOfSeverity(deps.engine, deps.prefix, severity);
  return filters;
}

function scopeOf(req: Request, kind: 'pages' | 'ads') {
  return authorize(req, kind, 'read').filter('jurisdiction');
}

export function searchRoutes(deps: SearchRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/search',
      tag: 'search',
      summary: 'Search pages or ads in scope with filters, highlights, facets, sort and cursors',
      query: searchQuerySchema,
      response: searchResponse,
    },
    async (req, res) => {
      const input = parseRequest(searchQuerySchema, req.query, 'query');
      const scope = scopeOf(req, input.kind);
      const allowed = SEARCH_FACETS[input.kind];
      const badFacet = input.facets?.find((f) => !(f in allowed));
      if (badFacet) {
        throw new ValidationError(`No facet "${badFacet}" for ${input.kind}`, {
          part: 'query',
          field: 'facets',
          allowed: Object.keys(allowed),
        });
      }
      const sort = searchSort(input.kind, input.sort);
      const result = await searchDocuments(deps.engine, {
        prefix: deps.prefix,
        kind: input.kind,
        query: input.q,
        filters: await filtersOf(deps, input),
        scope: [scope],
        sort: input.sort,
        size: input.size,
        from: input.offset,
        ...(input.after ? { after: decodeCursor(input.after, sort.length) } : {}),
        ...(input.facets ? { facets: input.facets } : {}),
      });
      const { nextAfter, ...body } = result;
      const next = encodeCursor(nextAfter);
      sendJson(res, next ? { ...body, next } : body);
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'get',
      path: '/search/export',
      tag: 'search',
      summary: 'Every hit of a search, streamed as CSV or NDJSON',
      query: searchExportSchema,
      produces: ['text/csv', 'application/x-ndjson'],
    },
    async (req, res) => {
      const input = parseRequest(searchExportSchema, req.query, 'query');
      const scope = scopeOf(req, input.kind);
      const docs = scanDocuments(deps.engine, {
        prefix: deps.prefix,
        kind: input.kind,
        query: input.q,
        filters: await filtersOf(deps, input),
        scope: [scope],
        sort: input.sort,
      });
      await streamExport(res, docs, {
        format: input.format,
        columns: CSV_COLUMNS[input.kind],
        filename: `search-${input.kind}`,
      });
    },
  );
  return router;
}
