/**
 * Ads for analysts: groups by advertiser, landing domain, category or rule (each with a few sample
 * creatives), the pages a creative was seen on, and its timeline. Every query carries the caller's
 * scope filter; the ad itself is read and scope-checked by the caller.
 */
import type { Doc, EnginePort } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';
import { searchQuery, type SearchFilters } from './search-documents.js';

export const AD_GROUP_FIELDS = {
  advertiser: 'advertiser.keyword',
  landingDomain: 'landing_domain.keyword',
  category: 'category',
  rule: 'rule_hits',
} as const;
export type AdGroupBy = keyof typeof AD_GROUP_FIELDS;

/** Options of {@link groupAds}. */
export interface AdGroupOptions {
  prefix: string;
  by: AdGroupBy;
  scope: Doc[];
  query?: string;
  filters?: SearchFilters;
  /** Groups to return. @default 20 */
  size?: number;
  /** Sample creatives per group. @default 4 */
  sampleSize?: number;
}

export interface AdGroup {
  key: string;
  count: number;
  sample: Doc[];
}

const SAMPLE_FIELDS = [
  'creative_text',
  'image_alt',
  'image_src',
  'landing_url',
  'landing_domain',
  'advertiser',
  'category',
  'sites',
  'seen_count',
  'last_seen',
  'rule_hits',
];

type GroupBuckets = {
  buckets?: Array<{
    key: unknown;
    doc_count: number;
    sample?: { hits?: { hits?: Array<{ _id: string; _source?: Doc }> } };
  }>;
};

/** Groups of ads matching the query and filters, largest first, with sample creatives. */
export async function groupAds(
  engine: EnginePort,
  options: AdGroupOptions,
): Promise<{ total: number; groups: AdGroup[] }> {
  const result = await engine.search({
    index: aliasName(options.prefix, 'ads'),
    size: 0,
    trackTotalHits: true,
    query: searchQuery({
      kind: 'ads',
      scope: options.scope,
      query: options.query ?? '',
      filters: options.filters ?? {},
    }),
    aggs: {
      groups: {
        terms: { field: AD_GROUP_FIELDS[options.by], size: options.size ?? 20 },
        aggs: {
          sample: {
            top_hits: {
              size: options.sampleSize ?? 4,
              _source: SAMPLE_FIELDS,
              sort: [{ last_seen: { order: 'desc', unmapped_type: 'date' } }],
            },
          },
        },
      },
    },
  });
  const buckets = (result.aggregations?.groups as GroupBuckets | undefined)?.buckets ?? [];
  return {
    total: result.total,
    groups: buckets.map((b) => ({
      key: String(b.key),
      count: b.doc_count,
      sample: (b.sample?.hits?.hits ?? []).map((h) => ({ ...h._source, id: h._id })),
    })),
  };
}

/** The pages (in scope) whose URL is among the ad's `page_urls`, newest fetch first. */
export async function adPages(
  engine: EnginePort,
  prefix: string,
  ad: Doc,
  scope: Doc,
): Promise<{ total: number; pages: Doc[] }> {
  const urls = Array.isArray(ad.page_urls)
    ? ad.page_urls.filter((u): u is string => typeof u === 'string')
    : [];
  if (urls.length === 0) return { total: 0, pages: [] };
  const result = await engine.search<Doc>({
    index: aliasName(prefix, 'pages'),
    size: 100,
    trackTotalHits: true,
    query: { bool: { filter: [scope, { terms: { url: urls } }] } },
    sort: [{ fetched_at: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
    source: ['url', 'title', 'site', 'fetched_at', 'first_seen', 'last_seen', 'operator_id', 'jurisdiction'],
  });
  return { total: result.total, pages: result.hits.map((h) => ({ ...h.source, id: h.id })) };
}

export interface TimelineEvent {
  t: string;
  type: 'first_seen' | 'page' | 'alert' | 'last_seen';
  detail: Doc;
}

/** First and last sighting, the pages it was seen on (by fetch time) and the alerts on it, in time order. */
export async function adTimeline(
  engine: EnginePort,
  prefix: string,
  ad: Doc & { id: string },
  scope: Doc,
): Promise<{ id: string; seenCount: number; events: TimelineEvent[] }> {
  const [pages, alerts] = await Promise.all([
    adPages(engine, prefix, ad, scope),
    engine.search<Doc>({
      index: aliasName(prefix, 'alerts'),
      size: 100,
      query: { bool: { filter: [scope, { term: { doc_id: ad.id } }, { term: { target: 'ad' } }] } },
      source: ['rule_id', 'rule_name', 'severity', 'status', 'first_hit_at'],
    }),
  ]);
  const events: TimelineEvent[] = [];
  const at = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const first = at(ad.first_seen);
  const last = at(ad.last_seen);
  if (first) events.push({ t: first, type: 'first_seen', detail: {} });
  for (const page of pages.pages) {
    const t = at(page.first_seen) ?? at(page.fetched_at);
    if (t) events.push({ t, type: 'page', detail: { id: page.id, url: page.url, site: page.site } });
  }
  for (const hit of alerts.hits) {
    const t = at(hit.source.first_hit_at);
    if (t) events.push({ t, type: 'alert', detail: { ...hit.source, id: hit.id } });
  }
  if (last) events.push({ t: last, type: 'last_seen', detail: {} });
  events.sort((a, b) => a.t.localeCompare(b.t));
  return { id: ad.id, seenCount: typeof ad.seen_count === 'number' ? ad.seen_count : 0, events };
}
