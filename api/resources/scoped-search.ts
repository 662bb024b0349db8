/**
 * Listing, getting, grouping and exporting a catalogue resource inside the caller's scope. Every engine
 * request built here carries the scope filter of {@link ScopedAccess}; there is no unscoped path.
 */
import { z } from 'zod';
import { scanAll } from '../../engine/deep-paging.js';
import type { Doc, EnginePort, SearchRequest } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionRef } from '../../registry/types.js';
import type { ScopedAccess } from '../auth/principal.js';
import { notFoundError } from '../auth/principal.js';
import { cursorParam, decodeCursor, encodeCursor } from '../http/cursor.js';
import { csvList, idString, pagingSchema } from '../http/validate.js';
import type { ResourceSpec } from './resource-catalog.js';

/** The query-string schema of a listing of `spec`: paging, `q`, `facets` and its exact filters. */
export function listQuerySchema(spec: ResourceSpec) {
  const filters = Object.fromEntries(
    Object.keys(spec.filters).map((name) => [
      name,
      spec.idFilters?.includes(name) ? idString.optional() : z.string().trim().min(1).max(300).optional(),
    ]),
  );
  return z
    .object({
      ...pagingSchema,
      /** Cursor from the previous page's `next` (search_after); replaces `from` for deep pages. */
      after: cursorParam.optional(),
      q: z.string().trim().min(1).max(1_000).optional(),
      facets: csvList(Object.keys(spec.facets)).optional(),
      ...filters,
    })
    .strict();
}

export type ListQuery = z.output<ReturnType<typeof listQuerySchema>>;

/** The scoped bool query of a listing (also what its export and facets run). */
export function scopedListQuery(spec: ResourceSpec, access: ScopedAccess, query: Partial<ListQuery>): Doc {
  const filter: Doc[] = [access.filter(spec.scopeField)];
  for (const [param, field] of Object.entries(spec.filters)) {
    const value = (query as Record<string, unknown>)[param];
    if (typeof value === 'string') filter.push({ term: { [field]: value } });
  }
  const must: Doc[] = query.q
    ? [{ simple_query_string: { query: query.q, fields: [...spec.textFields], default_operator: 'and' } }]
    : [];
  return { bool: { must, filter } };
}

/** `terms` aggregations of the named facets, each with up to 50 buckets. */
export function facetAggs(spec: ResourceSpec, names: readonly string[]): Doc | undefined {
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((name) => [name, { terms: { field: spec.facets[name], size: 50 } }]));
}

export interface FacetBucket {
  key: string;
  count: number;
}

export function readFacets(aggregations: Record<string, unknown> | undefined): Record<string, FacetBucket[]> {
  const facets: Record<string, FacetBucket[]> = {};
  for (const [name, agg] of Object.entries(aggregations ?? {})) {
    const buckets = (agg as { buckets?: Array<{ key: unknown; doc_count: number }> }).buckets ?? [];
    facets[name] = buckets.map((b) => ({ key: String(b.key), count: b.doc_count }));
  }
  return facets;
}

export interface ListPage {
  total: number;
  from: number;
  size: number;
  items: Doc[];
  facets?: Record<string, FacetBucket[]>;
  /** Cursor of the next page (`after=`), present when this page was full. */
  next?: string;
}

export async function listScoped(
  engine: EnginePort,
  prefix: string,
  spec: ResourceSpec,
  access: ScopedAccess,
  query: ListQuery,
): Promise<ListPage> {
  const sort = query.q ? [{ _score: 'desc' }, { id: 'asc' }] : [...spec.sort];
  const request: SearchRequest = {
    index: aliasName(prefix, spec.index),
    query: scopedListQuery(spec, access, query),
    from: query.after ? 0 : query.from,
    size: query.size,
    sort,
    source: [...spec.fields],
    trackTotalHits: true,
  };
  if (query.after) request.searchAfter = decodeCursor(query.after, sort.length);
  const aggs = facetAggs(spec, query.facets ?? []);
  if (aggs) request.aggs = aggs;
  const result = await engine.search(request);
  const page: ListPage = {
    total: result.total,
    from: query.from,
    size: query.size,
    items: result.hits.map((hit) => ({ ...hit.source, id: hit.id })),
  };
  if (aggs) page.facets = readFacets(result.aggregations);
  const last = result.hits.at(-1);
  const next = result.hits.length === query.size ? encodeCursor(last?.sort) : undefined;
  if (next) page.next = next;
  return page;
}

/** One document with its version guard, or 404 when it is absent or outside the scope. */
export async function getScoped(
  engine: EnginePort,
  prefix: string,
  spec: ResourceSpec,
  access: ScopedAccess,
  id: string,
): Promise<{ doc: Doc; seqNo?: number; primaryTerm?: number }> {
  const result = await engine.get<Doc>(aliasName(prefix, spec.index), id);
  if (!result.found || !result.source) throw notFoundError(spec.kind, id);
  access.assertVisible(result.source[spec.scopeField] as JurisdictionRef | undefined, spec.kind, id);
  const out: { doc: Doc; seqNo?: number; primaryTerm?: number } = { doc: { ...result.source, id } };
  if (result.seqNo !== undefined) out.seqNo = result.seqNo;
  if (result.primaryTerm !== undefined) out.primaryTerm = result.primaryTerm;
  return out;
}

/** Every document of a listing, for exports; the scope filter is part of the scanned query. */
export async function* scanScoped(
  engine: EnginePort,
  prefix: string,
  spec: ResourceSpec,
  access: ScopedAccess,
  query: Partial<ListQuery>,
): AsyncGenerator<Doc> {
  for await (const hit of scanAll<Doc>(engine, {
    index: aliasName(prefix, spec.index),
    query: scopedListQuery(spec, access, query),
    source: [...spec.fields],
  })) {
    yield { ...hit.source, id: hit.id };
  }
}
