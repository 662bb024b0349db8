/**
 * The inspector searches of `npm run bench:api`, each written once and sent two ways: as the API's
 * `GET /api/search` query string, and as the `searchDocuments` options the route builds from it (same
 * query compiler, same scope filter, filters, sort, highlights and facets), so both sides ask the
 * engine for the same DSL.
 */
import type { JurisdictionRef } from '../../registry/types.js';
import { scopeFilter } from '../../registry/scope.js';
import type { DocumentSearchOptions } from '../../search/search-documents.js';

/** One search as an inspector types it in the search page. */
export interface MixQuery {
  label: string;
  q: string;
  /** Facet names of pages (`SEARCH_FACETS.pages`: `site`, `lang`, `operator`, `rule`). */
  facets?: string[];
  /** The API's `domain` filter (a host, subdomains included). */
  domain?: string;
  /** @default 'relevance' */
  sort?: 'relevance' | 'newest';
  /** @default 20 (the search page's) */
  size?: number;
}

/** Corpus values the mix refers to: one operator's site inside the inspector's scope, a mid-corpus date. */
export interface MixTargets {
  registeredDomain: string;
  host: string;
  /** ISO time; about half the corpus was fetched after it. */
  midFetchedAt: string;
}

/** The mix: absolute-term claims, medical claims, English, boolean, field, domain and range searches. */
export function queryMix(targets: MixTargets): MixQuery[] {
  return [
    { label: 'phrase 国家级', q: '国家级' },
    { label: 'phrase 最佳, site facet', q: '最佳', facets: ['site'] },
    { label: 'quoted “全网最低”', q: '“全网最低”' },
    { label: 'absolute terms OR', q: '最佳 OR 国家级 OR 顶级 OR 第一', facets: ['site', 'operator'] },
    { label: 'medical claims', q: '(祖传秘方 OR 药到病除 OR 无效退款) -包邮' },
    { label: 'AND NOT', q: '国家级 NOT 包邮' },
    { label: 'newest first', q: '顶级 OR 全网最低', sort: 'newest' },
    { label: 'proximity', q: '"最佳 产品"~5' },
    { label: 'English phrase', q: '"best price" OR "number one"' },
    { label: 'title field', q: 'title:(最佳 OR 第一) 保健' },
    { label: 'domain: operator', q: `domain:${targets.registeredDomain} AND (最佳 OR 特价)` },
    { label: 'host parameter', q: '包邮', domain: targets.host },
    { label: 'date range', q: `第一 fetched_at:>=${targets.midFetchedAt}`, size: 50 },
    { label: 'price and currency', q: 'price:<10 currency:CNY AND 限时' },
    { label: 'site wildcard', q: 'site:site-1* AND 特价 -旗舰店' },
  ];
}

/** The API path of `query` (`/api/search?...`). */
export function apiPath(query: MixQuery): string {
  const params = new URLSearchParams({ q: query.q, size: String(query.size ?? 20) });
  if (query.sort) params.set('sort', query.sort);
  if (query.facets) params.set('facets', query.facets.join(','));
  if (query.domain) params.set('domain', query.domain);
  return `/api/search?${params.toString()}`;
}

/** The `searchDocuments` options `GET /api/search` builds for `query` and a caller scoped to `scope`. */
export function engineOptions(
  query: MixQuery,
  prefix: string,
  scope: JurisdictionRef,
): DocumentSearchOptions {
  return {
    prefix,
    kind: 'pages',
    query: query.q,
    filters: query.domain ? { domain: query.domain } : {},
    scope: [scopeFilter(scope, { field: 'jurisdiction' })],
    sort: query.sort ?? 'relevance',
    size: query.size ?? 20,
    from: 0,
    ...(query.facets ? { facets: query.facets } : {}),
  };
}

/** Nearest-rank percentile (`p` in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}
