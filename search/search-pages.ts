import type { Doc, EnginePort, SearchHit } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';
import { toEngineQuery } from './query/index.js';

/** Options of a full-text search over pages. */
export interface PageSearchOptions {
  prefix: string;
  query: string;
  /** @default 10 */
  size?: number;
  /** Only pages of this host or its subdomains (domain analyzer). */
  domain?: string;
  /** Hits to skip (paging). @default 0 */
  from?: number;
  /**
   * Extra engine filters every hit (and every facet bucket) must pass, e.g. the caller's jurisdiction
   * scope from `registry/scope.ts`.
   */
  filters?: Doc[];
  /** Facet name → keyword field, counted over the hits (terms aggregation, 50 buckets). */
  facets?: Record<string, string>;
}

export interface FacetCount {
  key: string;
  count: number;
}

export interface PageSearchHit {
  id: string;
  url: string;
  title: string;
  site: string;
  score: number | null;
  /** Highlighted fragments of the text, `<em>` around matches. */
  fragments: string[];
}

export interface PageSearchResult {
  total: number;
  tookMs: number;
  hits: PageSearchHit[];
  /** Present when facets were asked for. */
  facets?: Record<string, FacetCount[]>;
}

/**
 * Full-text search over pages in the inspectors' query syntax (docs/query-syntax.md): terms, "phrases",
 * AND/OR/NOT, field:value, domain:, proximity, ranges; all terms must match. A bad query throws a
 * `ValidationError` (`QUERY_INVALID`) whose details name the offending position.
 */
export async function searchPages(engine: EnginePort, options: PageSearchOptions): Promise<PageSearchResult> {
  const query = toEngineQuery(options.query, 'pages');
  const filter: Doc[] = [...(options.filters ?? [])];
  if (options.domain) filter.push({ term: { host: options.domain.toLowerCase() } });
  const facets = Object.entries(options.facets ?? {});
  const result = await engine.search<{ url: string; title: string; site: string }>({
    index: aliasName(options.prefix, 'pages'),
    size: Math.min(options.size ?? 10, 100),
    from: options.from ?? 0,
    ...(facets.length > 0
      ? { aggs: Object.fromEntries(facets.map(([name, field]) => [name, { terms: { field, size: 50 } }])) }
      : {}),
    source: ['url', 'title', 'site'],
    query: {
      bool: {
        must: [query],
        filter,
      },
    },
    highlight: { fields: { text: { number_of_fragments: 2, fragment_size: 120 }, title: {} } },
  });
  const out: PageSearchResult = { total: result.total, tookMs: result.tookMs, hits: result.hits.map(toHit) };
  if (facets.length > 0) out.facets = readFacetCounts(result.aggregations);
  return out;
}

function readFacetCounts(aggregations: Record<string, unknown> | undefined): Record<string, FacetCount[]> {
  const facets: Record<string, FacetCount[]> = {};
  for (const [name, agg] of Object.entries(aggregations ?? {})) {
    const buckets = (agg as { buckets?: Array<{ key: unknown; doc_count: number }> }).buckets ?? [];
    facets[name] = buckets.map((b) => ({ key: String(b.key), count: b.doc_count }));
  }
  return facets;
}

function toHit(hit: SearchHit<{ url: string; title: string; site: string }>): PageSearchHit {
  return {
    id: hit.id,
    url: hit.source.url,
    title: hit.source.title,
    site: hit.source.site,
    score: hit.score,
    fragments: hit.highlight?.text ?? hit.highlight?.title ?? [],
  };
}
