import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { Frontier } from '../frontier/frontier.js';
import { siteOf } from './page-document.js';

export interface SiteSummary {
  site: string;
  pages: number;
  /** Pages showing at least one valid USCC, ICP filing or licence number. */
  pagesWithIdentifiers: number;
  /** Distinct ads seen on the site. */
  ads: number;
  errors: number;
}

export interface CrawlSummary {
  pages: number;
  ads: number;
  pagesWithIdentifiers: number;
  /** Fetches that failed for good, robots refusals excepted. */
  errors: number;
  /** URLs robots.txt forbade: obeyed, not failed. */
  robotsDisallowed: number;
  errorsByCode: Record<string, number>;
  sites: SiteSummary[];
}

const ROBOTS_DISALLOWED = 'ROBOTS_DISALLOWED';

interface Bucket {
  key: string;
  doc_count: number;
  with_identifiers?: { doc_count: number };
}

/** Counts from the indices themselves (what an inspector can find), plus the frontier's failures. */
export async function summariseCrawl(
  engine: EnginePort,
  prefix: string,
  frontier: Frontier,
): Promise<CrawlSummary> {
  const pagesIndex = aliasName(prefix, 'pages');
  const adsIndex = aliasName(prefix, 'ads');
  await Promise.all([engine.refresh(pagesIndex), engine.refresh(adsIndex)]);
  const hasIdentifiers = {
    bool: {
      should: ['identifiers.uscc', 'identifiers.icp', 'identifiers.licence'].map((field) => ({
        exists: { field },
      })),
    },
  };
  const [pages, ads, progress, failures] = await Promise.all([
    engine.search({
      index: pagesIndex,
      size: 0,
      trackTotalHits: true,
      aggs: {
        sites: {
          terms: { field: 'site', size: 500 },
          aggs: { with_identifiers: { filter: hasIdentifiers } },
        },
        with_identifiers: { filter: hasIdentifiers },
      },
    }),
    engine.search({
      index: adsIndex,
      size: 0,
      trackTotalHits: true,
      aggs: { sites: { terms: { field: 'sites', size: 500 } } },
    }),
    frontier.progress(),
    frontier.failures(),
  ]);
  const errorsBySite = new Map<string, number>();
  for (const failure of failures) {
    if (failure.code === ROBOTS_DISALLOWED) continue;
    const host = siteOf(safeHost(failure.url));
    errorsBySite.set(host, (errorsBySite.get(host) ?? 0) + 1);
  }
  const adBuckets = new Map(buckets(ads.aggregations, 'sites').map((b) => [b.key, b.doc_count]));
  const sites = buckets(pages.aggregations, 'sites').map((b) => ({
    site: b.key,
    pages: b.doc_count,
    pagesWithIdentifiers: b.with_identifiers?.doc_count ?? 0,
    ads: adBuckets.get(b.key) ?? 0,
    errors: errorsBySite.get(b.key) ?? 0,
  }));
  const withIds =
    (pages.aggregations?.with_identifiers as { doc_count?: number } | undefined)?.doc_count ?? 0;
  return {
    pages: pages.total,
    ads: ads.total,
    pagesWithIdentifiers: withIds,
    errors: progress.failed - (progress.failedByCode[ROBOTS_DISALLOWED] ?? 0),
    robotsDisallowed: progress.failedByCode[ROBOTS_DISALLOWED] ?? 0,
    errorsByCode: Object.fromEntries(
      Object.entries(progress.failedByCode).filter(([code]) => code !== ROBOTS_DISALLOWED),
    ),
    sites,
  };
}

function buckets(aggregations: Record<string, unknown> | undefined, name: string): Bucket[] {
  return ((aggregations?.[name] as { buckets?: Bucket[] } | undefined)?.buckets ?? []).slice();
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** The summary as lines for a terminal. */
export function formatSummary(summary: CrawlSummary): string {
  const codes = Object.entries(summary.errorsByCode)
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
  const lines = [
    `crawl summary: pages=${summary.pages} ads=${summary.ads} pages_with_identifiers=${summary.pagesWithIdentifiers} errors=${summary.errors}${codes ? ` (${codes})` : ''} robots_disallowed=${summary.robotsDisallowed}`,
    `${'site'.padEnd(28)} ${'pages'.padStart(6)} ${'ids'.padStart(6)} ${'ads'.padStart(5)} ${'errors'.padStart(6)}`,
    ...summary.sites.map(
      (s) =>
        `${s.site.padEnd(28)} ${String(s.pages).padStart(6)} ${String(s.pagesWithIdentifiers).padStart(6)} ${String(s.ads).padStart(5)} ${String(s.errors).padStart(6)}`,
    ),
  ];
  return lines.join('\n');
}
