/**
 * The workbench search over pages or ads: the inspectors' query syntax (docs/query-syntax.md) plus
 * exact filters, `<mark>` highlights (HTML-escaped otherwise), facets, relevance or newest-first sort
 * and deep paging by `search_after`. Callers pass their scope filter; every request carries it.
 */
import type { Doc, EnginePort, SearchHit, SearchRequest } from '../engine/port.js';
import { scanAll } from '../engine/deep-paging.js';
import { aliasName } from '../mappings/index.js';
import { hasLoneCjk, toEngineQuery, type QueryTarget } from './query/index.js';

export type SearchKind = QueryTarget;
export type SearchSort = 'relevance' | 'newest';

/** Exact filters of a search; each narrows the hits and the facet counts alike. */
export interface SearchFilters {
  /** Host (pages) or landing domain (ads), subdomains included. */
  domain?: string;
  registeredDomain?: string;
  operator?: string;
  /** County bureau id of the document's jurisdiction. */
  district?: string;
  grid?: string;
  /** ISO date or date-time: fetched (pages) or last seen (ads) at or after. */
  from?: string;
  to?: string;
  lang?: string;
  /** Rule id among the document's rule hits. */
  rule?: string;
  /** Rule ids of this severity among the document's rule hits (resolved by the caller). */
  ruleIds?: string[];
}

/** Options of {@link searchDocuments}. */
export interface DocumentSearchOptions {
  prefix: string;
  kind: SearchKind;
  /** Query-string syntax; empty matches everything (filters still apply). */
  query?: string;
  filters?: SearchFilters;
  /** Engine filters every hit and facet bucket must pass (the caller's scope). */
  scope: Doc[];
  /** @default 'relevance' */
  sort?: SearchSort;
  /** @default 20 */
  size?: number;
  /** @default 0 */
  from?: number;
  /** Sort values of the last hit of the previous page. */
  after?: unknown[];
  /** Facet names out of {@link SEARCH_FACETS}[kind]. */
  facets?: string[];
}

/** Facet name → keyword field, per kind. */
export const SEARCH_FACETS: Readonly<Record<SearchKind, Readonly<Record<string, string>>>> = {
  pages: {
    site: 'site',
    lang: 'lang',
    operator: 'operator_id',
    rule: 'rule_hits',
    district: 'jurisdiction.county',
    grid: 'jurisdiction.grid',
    registeredDomain: 'registered_domain',
  },
  ads: {
    site: 'sites',
    category: 'category',
    advertiser: 'advertiser.keyword',
    landingDomain: 'landing_domain.keyword',
    operator: 'operator_id',
    rule: 'rule_hits',
    district: 'jurisdiction.county',
    grid: 'jurisdiction.grid',
  },
};

interface KindSpec {
  dateField: string;
  source: string[];
  /** The stored fields a hit lifts to its common fields. */
  common: { url: string; title: string; site: string; fetchedAt: string };
  highlight: Record<string, 'title' | 'text'>;
}

const KINDS: Readonly<Record<SearchKind, KindSpec>> = {
  pages: {
    dateField: 'fetched_at',
    source: [
      'url',
      'title',
      'site',
      'host',
      'lang',
      'fetched_at',
      'operator_id',
      'jurisdiction',
      'rule_hits',
    ],
    common: { url: 'url', title: 'title', site: 'site', fetchedAt: 'fetched_at' },
    highlight: { title: 'title', text: 'text' },
  },
  ads: {
    dateField: 'last_seen',
    source: [
      'creative_text',
      'image_alt',
      'image_src',
      'landing_url',
      'landing_domain',
      'advertiser',
      'sites',
      'category',
      'seen_count',
      'first_seen',
      'last_seen',
      'operator_id',
      'jurisdiction',
      'rule_hits',
    ],
    common: { url: 'landing_url', title: 'creative_text', site: 'sites', fetchedAt: 'last_seen' },
    highlight: { image_alt: 'title', creative_text: 'text' },
  },
};

export interface FacetValue {
  value: string;
  count: number;
}

/** One hit: the common fields every kind has, then the other stored fields of its kind (`source`). */
export interface DocumentHit {
  id: string;
  kind: 'page' | 'ad';
  url: string;
  title: string;
  site: string;
  fetchedAt: string | null;
  score: number | null;
  highlights: { title?: string[]; text?: string[] };
  source: Doc;
}

export interface DocumentSearchResult {
  total: number;
  tookMs: number;
  hits: DocumentHit[];
  facets: Record<string, FacetValue[]>;
  /** Cursor values of the next page (the last hit's sort), when this page was full. */
  nextAfter?: unknown[];
}

/** The sort of a search; `after` cursors carry as many values. */
export function searchSort(kind: SearchKind, sort: SearchSort = 'relevance'): unknown[] {
  return sort === 'newest'
    ? [{ [KINDS[kind].dateField]: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }]
    : [{ _score: 'desc' }, { id: 'asc' }];
}

/** The scoped, filtered bool query of a search (exports scan the same one). */
export function searchQuery(options: Omit<DocumentSearchOptions, 'prefix'>): Doc {
  const { kind, filters = {} } = options;
  const spec = KINDS[kind];
  const filter: Doc[] = [...options.scope];
  const term = (field: string, value: string | undefined): void => {
    if (value !== undefined) filter.push({ term: { [field]: value } });
  };
  if (filters.domain) {
    term(kind === 'pages' ? 'host' : 'landing_domain', filters.domain.toLowerCase());
  }
  if (filters.registeredDomain) {
    const field = kind === 'pages' ? 'registered_domain' : 'landing_domain';
    term(field, filters.registeredDomain.toLowerCase());
  }
  term('operator_id', filters.operator);
  term('jurisdiction.county', filters.district);
  term('jurisdiction.grid', filters.grid);
  term('lang', filters.lang);
  term('rule_hits', filters.rule);
  if (filters.ruleIds) filter.push({ terms: { rule_hits: filters.ruleIds } });
  if (filters.from || filters.to) {
    const range: Doc = {};
    if (filters.from) range.gte = filters.from;
    if (filters.to) range.lte = filters.to;
    filter.push({ range: { [spec.dateField]: range } });
  }
  const text = options.query?.trim();
  const must: Doc[] = text ? [toEngineQuery(text, kind)] : [{ match_all: {} }];
  return { bool: { must, filter } };
}

/** Runs one page of a search. A bad query is a 400 `QUERY_INVALID` naming the offending part. */
export async function searchDocuments(
  engine: EnginePort,
  options: DocumentSearchOptions,
): Promise<DocumentSearchResult> {
  const spec = KINDS[options.kind];
  const facets = options.facets ?? [];
  const size = options.size ?? 20;
  const request: SearchRequest = {
    index: aliasName(options.prefix, options.kind),
    query: searchQuery(options),
    size,
    from: options.after ? 0 : (options.from ?? 0),
    sort: searchSort(options.kind, options.sort),
    source: spec.source,
    trackTotalHits: true,
    highlight: {
      pre_tags: ['<mark>'],
      post_tags: ['</mark>'],
      encoder: 'html',
      require_field_match: false,
      fields: Object.fromEntries(
        highlightFields(spec, options.query).map((f) => [f, { number_of_fragments: 3, fragment_size: 120 }]),
      ),
    },
  };
  if (options.after) request.searchAfter = options.after;
  if (facets.length > 0) {
    const fields = SEARCH_FACETS[options.kind];
    request.aggs = Object.fromEntries(
      facets.map((name) => [name, { terms: { field: fields[name] ?? name, size: 50 } }]),
    );
  }
  const result = await engine.search<Doc>(request);
  const out: DocumentSearchResult = {
    total: result.total,
    tookMs: result.tookMs,
    hits: result.hits.map((hit) => toHit(options.kind, hit)),
    facets: readFacetValues(result.aggregations),
  };
  const last = result.hits.at(-1);
  if (result.hits.length === size && last?.sort) out.nextAfter = last.sort;
  return out;
}

function readFacetValues(aggregations: Record<string, unknown> | undefined): Record<string, FacetValue[]> {
  const facets: Record<string, FacetValue[]> = {};
  for (const [name, agg] of Object.entries(aggregations ?? {})) {
    const buckets = (agg as { buckets?: Array<{ key: unknown; doc_count: number }> }).buckets ?? [];
    facets[name] = buckets.map((b) => ({ value: String(b.key), count: b.doc_count }));
  }
  return facets;
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

/**
 * The fields to highlight. The CJK fields hold bigrams, so a lone character the query found through
 * the `.en` twins (烟, see the query compiler) is marked there: the twins are highlighted too, as a
 * fallback, only when the query has one.
 */
function highlightFields(spec: KindSpec, query: string | undefined): string[] {
  const fields = Object.keys(spec.highlight);
  return query && hasLoneCjk(query) ? [...fields, ...fields.map((f) => `${f}.en`)] : fields;
}

function toHit(kind: SearchKind, hit: SearchHit<Doc>): DocumentHit {
  const spec = KINDS[kind];
  const highlights: DocumentHit['highlights'] = {};
  for (const [field, slot] of Object.entries(spec.highlight)) {
    const fragments = hit.highlight?.[field]?.length ? hit.highlight[field] : hit.highlight?.[`${field}.en`];
    if (fragments && fragments.length > 0) highlights[slot] = fragments;
  }
  // A lifted field leaves `source` (repeating them was a quarter of a search page's bytes); a list
  // such as an ad's `sites` stays, the hit shows its first.
  const source: Doc = { ...hit.source };
  const lift = (field: string): string => {
    const value = source[field];
    if (!Array.isArray(value)) delete source[field];
    return str(value);
  };
  return {
    id: hit.id,
    kind: kind === 'pages' ? 'page' : 'ad',
    url: lift(spec.common.url),
    title: lift(spec.common.title),
    site: lift(spec.common.site),
    fetchedAt: lift(spec.common.fetchedAt) || null,
    score: hit.score,
    highlights,
    source,
  };
}

/** Ids of the rules of `severity` (a search by severity matches documents that hit one of them). */
export async function ruleIdsOfSeverity(
  engine: EnginePort,
  prefix: string,
  severity: string,
): Promise<string[]> {
  const result = await engine.search<{ id: string }>({
    index: aliasName(prefix, 'rules'),
    query: { term: { severity } },
    size: 1_000,
    source: ['id'],
  });
  return result.hits.map((hit) => hit.id);
}

/**
 * Every hit of a search (point in time + search_after), for streamed exports. The query is compiled
 * before this returns, so a bad one fails before the first byte is sent.
 */
export function scanDocuments(
  engine: EnginePort,
  options: Omit<DocumentSearchOptions, 'size' | 'from' | 'after' | 'facets'>,
): AsyncGenerator<Doc> {
  const sort = options.sort === 'newest' ? searchSort(options.kind, 'newest') : [{ id: 'asc' }];
  const request: SearchRequest = {
    index: aliasName(options.prefix, options.kind),
    query: searchQuery(options),
    sort,
    source: KINDS[options.kind].source,
  };
  return (async function* () {
    for await (const hit of scanAll<Doc>(engine, request)) yield { ...hit.source, id: hit.id };
  })();
}
