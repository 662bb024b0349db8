import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import { contentHash, extractPage } from '../extract/index.js';
import {
  collectSitemapUrls,
  type Fetcher,
  type FetchResult,
  type RobotsCache,
  type RobotsRules,
} from '../fetch/index.js';
import type { ExtractedAd } from '../extract/types.js';
import type { CrawlOutcome, CrawlTask, ProcessUrl } from '../frontier/frontier.types.js';
import type { AdIndexer } from '../index/ad-indexer.js';
import type { LandingCopy } from '../index/landing-copy.js';
import type { PageIndexer, PageIndexResult, StoredPage } from '../index/page-indexer.js';
import type { LinkStage } from '../link/link-stage.js';
import { toAdSighting, toPageDocument } from './page-document.js';

/** What the per-URL work needs; built once per worker process. */
export interface PipelineDeps {
  engine: EnginePort;
  prefix: string;
  fetcher: Fetcher;
  robots: RobotsCache;
  pages: PageIndexer;
  ads: AdIndexer;
  /** Called after a page (and its ads) is written: the match stage hooks in here. */
  onIndexed?: (result: PageIndexResult, task: CrawlTask) => void | Promise<void>;
  /** Called after an ad sighting is written, with the ad's id. */
  onAdIndexed?: (adId: string) => void | Promise<void>;
  /** Links pages and ads to operators (and so to a jurisdiction) before they are written. */
  link?: LinkStage;
  /** Fills in ads whose creative lives in an iframe document. */
  resolveFrame?: (ad: ExtractedAd) => Promise<ExtractedAd>;
  /** Copies landing pages' title and text onto their ads, whichever is indexed first. */
  landing?: LandingCopy;
}

interface StoredForRecrawl extends StoredPage {
  crawl?: { etag?: string; last_modified?: string };
}

/** The robots.txt verdict on links of the page's own origin (rules already loaded); others unknown. */
function robotsVerdict(rules: RobotsRules): (url: string) => boolean | undefined {
  return (url) => {
    try {
      return new URL(url).origin === rules.origin ? rules.isAllowed(url) : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * fetch → extract → index for one URL. Errors keep their `retryable` flag so the frontier decides:
 * a timeout or 503 is retried with back-off, a 404, a robots disallow or a refused address is not.
 * The host is released (`ctx.releaseHost`) once fetched; the job resolves only after its writes are
 * acknowledged by the engine (or dead-lettered), so a killed worker's job is re-run, never lost.
 */
export function createProcessUrl(deps: PipelineDeps): ProcessUrl {
  const pagesAlias = aliasName(deps.prefix, 'pages');

  /** A recrawl reads the stored page once: validators for the fetch, the rest for change detection. */
  async function storedOf(task: CrawlTask): Promise<StoredForRecrawl | undefined> {
    if (task.reason !== 'recrawl') return undefined;
    const stored = await deps.engine.get<StoredForRecrawl>(pagesAlias, task.urlId);
    return stored.found ? stored.source : undefined;
  }

  /** A seed also brings its site's sitemaps (robots.txt `Sitemap:` lines, else /sitemap.xml). */
  async function sitemapLinks(task: CrawlTask, rules: RobotsRules): Promise<string[]> {
    if (task.reason !== 'seed') return [];
    const roots = rules.sitemaps.length > 0 ? rules.sitemaps : [new URL('/sitemap.xml', task.url).href];
    const collected = await collectSitemapUrls(deps.fetcher, roots, { maxTotalUrls: task.siteBudget });
    return collected.urls.map((entry) => entry.url);
  }

  async function indexPage(task: CrawlTask, fetched: FetchResult, stored: StoredPage | undefined) {
    const page = extractPage(fetched.text, fetched.finalUrl);
    const doc = toPageDocument(task, fetched, page, contentHash(page));
    const linked = deps.link?.linkPage(doc);
    // Every fetch is a sighting: ads rotate without changing the page's content hash.
    const ads = deps.resolveFrame ? await Promise.all(page.ads.map(deps.resolveFrame)) : page.ads;
    const sightings = ads.map((ad) => toAdSighting(ad, task, fetched.fetchedAt));
    // The page, its ads (with their links) and a candidate are independent documents: their writes
    // share the writer's next batches.
    const link = linked && deps.link ? { stage: deps.link, fields: linked } : undefined;
    const [result] = await Promise.all([
      deps.pages.index({ ...doc, ...linked }, stored ? { stored } : {}),
      ...sightings.map((sighting) => deps.ads.record(sighting, link?.stage.adLink(sighting, link.fields))),
      link?.stage.afterPage(doc, link.fields),
    ]);
    const landed = (await deps.landing?.afterPage(doc, result, sightings)) ?? [];
    const onAdIndexed = deps.onAdIndexed;
    const adIds = [...sightings.map((sighting) => sighting.id), ...landed];
    if (onAdIndexed) await Promise.all(adIds.map(async (id) => onAdIndexed(id)));
    await deps.onIndexed?.(result, task);
    // An ad is judged with its landing page: the frontier fetches those on whatever site they are.
    const landingUrls = deps.landing ? sightings.flatMap((s) => (s.landing_url ? [s.landing_url] : [])) : [];
    return { links: page.links.map((link) => link.url), landingUrls };
  }

  return async (task, ctx): Promise<CrawlOutcome> => {
    const rules = await deps.robots.assertAllowed(task.url);
    const crawlDelay = rules.crawlDelayMs !== undefined ? { crawlDelayMs: rules.crawlDelayMs } : {};
    const stored = await storedOf(task);
    const fetched = await deps.fetcher.fetchPage(task.url, {
      ...(stored?.crawl?.etag ? { etag: stored.crawl.etag } : {}),
      ...(stored?.crawl?.last_modified ? { lastModified: stored.crawl.last_modified } : {}),
      signal: ctx.signal,
    });
    const fromSitemaps = fetched.notModified ? [] : await sitemapLinks(task, rules);
    await ctx.releaseHost();
    if (fetched.notModified) {
      await deps.pages.touch(task.urlId, fetched.fetchedAt);
      return crawlDelay;
    }
    const { links, landingUrls } = await indexPage(task, fetched, stored);
    return {
      links: [...links, ...fromSitemaps],
      landingUrls,
      robotsAllows: robotsVerdict(rules),
      ...crawlDelay,
    };
  };
}
