/**
 * The dashboard's figures over one time window, inside the caller's scope: alerts over time, by
 * category and district, top advertisers of violating ads, and crawl health (pages fetched, failed,
 * last hour). Queue figures come from the frontier, which the caller adds.
 */
import type { Doc, EnginePort } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';

export const STATS_INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type StatsInterval = (typeof STATS_INTERVALS)[number];

/** Options of {@link statsOverview}. */
export interface StatsOverviewOptions {
  prefix: string;
  /** The caller's scope filter (applied to every index read). */
  scope: Doc;
  /** ISO start of the window. @default 30 days before `to` */
  from?: string;
  /** ISO end of the window. @default now */
  to?: string;
  /** @default 'day' */
  interval?: StatsInterval;
}

export interface CountPoint {
  t: string;
  count: number;
}

export interface KeyCount {
  key: string;
  count: number;
}

export interface StatsOverview {
  from: string;
  to: string;
  interval: StatsInterval;
  hitsOverTime: CountPoint[];
  byCategory: KeyCount[];
  byDistrict: KeyCount[];
  topAdvertisers: KeyCount[];
  crawlHealth: { fetched: number; failed: number; lastHour: number };
}

type Agg = { buckets?: Array<{ key: unknown; key_as_string?: string; doc_count: number }> };

function keyCounts(aggs: Record<string, unknown> | undefined, name: string): KeyCount[] {
  return ((aggs?.[name] as Agg | undefined)?.buckets ?? []).map((b) => ({
    key: String(b.key),
    count: b.doc_count,
  }));
}

/** Runs the four engine requests of the dashboard in parallel. */
export async function statsOverview(
  engine: EnginePort,
  options: StatsOverviewOptions,
): Promise<StatsOverview> {
  const to = options.to ?? new Date().toISOString();
  const from = options.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
  const interval = options.interval ?? 'day';
  const window = (field: string): Doc => ({ range: { [field]: { gte: from, lte: to } } });
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const [alerts, ads, pages] = await Promise.all([
    engine.search({
      index: aliasName(options.prefix, 'alerts'),
      size: 0,
      query: { bool: { filter: [options.scope, window('first_hit_at')] } },
      aggs: {
        over_time: {
          date_histogram: {
            field: 'first_hit_at',
            calendar_interval: interval,
            min_doc_count: 0,
            extended_bounds: { min: from, max: to },
          },
        },
        by_category: { terms: { field: 'category', size: 20 } },
        by_district: { terms: { field: 'jurisdiction.county', size: 50, missing: '(none)' } },
      },
    }),
    engine.search({
      index: aliasName(options.prefix, 'ads'),
      size: 0,
      query: { bool: { filter: [options.scope, window('last_seen'), { exists: { field: 'rule_hits' } }] } },
      aggs: { top_advertisers: { terms: { field: 'advertiser.keyword', size: 10 } } },
    }),
    engine.search({
      index: aliasName(options.prefix, 'pages'),
      size: 0,
      trackTotalHits: true,
      query: { bool: { filter: [options.scope, window('fetched_at')] } },
      aggs: {
        failed: { filter: { range: { status: { gte: 400 } } } },
        last_hour: { filter: { range: { fetched_at: { gte: hourAgo } } } },
      },
    }),
  ]);
  const over = (alerts.aggregations?.over_time as Agg | undefined)?.buckets ?? [];
  const docCount = (name: string) =>
    (pages.aggregations?.[name] as { doc_count?: number } | undefined)?.doc_count ?? 0;
  return {
    from,
    to,
    interval,
    hitsOverTime: over.map((b) => ({
      t: b.key_as_string ?? new Date(Number(b.key)).toISOString(),
      count: b.doc_count,
    })),
    byCategory: keyCounts(alerts.aggregations, 'by_category'),
    byDistrict: keyCounts(alerts.aggregations, 'by_district'),
    topAdvertisers: keyCounts(ads.aggregations, 'top_advertisers'),
    crawlHealth: { fetched: pages.total, failed: docCount('failed'), lastHour: docCount('last_hour') },
  };
}
