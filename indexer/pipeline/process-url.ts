import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import { contentHash, extractPage } from '../extract/index.js';
import { collectSitemapUrls, type Fetcher, type RobotsCache, type RobotsRules } from '../fetch/index.js';
import type { ExtractedAd } from '../extract/types.js';
import type { CrawlOutcome, CrawlTask, ProcessUrl } from '../frontier/frontier.types.js';
import type { AdIndexer } from '../index/ad-indexer.js';
import type { PageIndexer, PageIndexResult } from '../index/page-indexer.js';
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
}

interface StoredValidators {
  crawl?: { etag?: string; last_modified?: string };
}

/**
 * fetch → extract → index for one URL. Errors keep their `retryable` flag so the frontier decides:
 * a timeout or 503 is retried with back-off, a 404, a robots disallow or a refused address is not.
 */
export function createProcessUrl(deps: PipelineDeps): ProcessUrl {
  const pagesAlias = aliasName(deps.prefix, 'pages');

  async function validatorsOf(task: CrawlTask): Promise<{ etag?: string; lastModified?: string }> {
    if (task.reason !== 'recrawl') return {};
    const stored = await deps.engine.get<StoredValidators>(pagesAlias, task.urlId);
    const crawl = stored.source?.crawl;
    return {
      ...(crawl?.etag ? { etag: crawl.etag } : {}),
      ...(crawl?.last_modified ? { lastModified: crawl.last_modified } : {}),
    };
  }

  /** A seed also brings its site's sitemaps (robots.txt `Sitemap:` lines, else /sitemap.xml). */
  async function sitemapLinks(task: CrawlTask, rules: RobotsRules): Promise<string[]> {
    if (task.reason !== 'seed') return [];
    const roots = rules.sitemaps.length > 0 ? rules.sitemaps : [new URL('/sitemap.xml', task.url).href];
    const collected = await collectSitemapUrls(deps.fetcher, roots, { maxTotalUrls: task.siteBudget });
    return collected.urls.map((entry) => entry.url);
  }

  return async (task, ctx): Promise<CrawlOutcome> => {
    const rules = await deps.robots.assertAllowed(task.url);
    const crawlDelay = rules.crawlDelayMs !== undefined ? { crawlDelayMs: rules.crawlDelayMs } : {};
    const fetched = await deps.fetcher.fetchPage(task.url, {
      ...(await validatorsOf(task)),
      signal: ctx.signal,
    });
    if (fetched.notModified) {
      await deps.pages.touch(task.urlId, fetched.fetchedAt);
      return crawlDelay;
    }
    const page = extractPage(fetched.text, fetched.finalUrl);
    const doc = toPageDocument(task, fetched, page, contentHash(page));
    const linked = deps.link?.linkPage(doc);
    const result = await deps.pages.index({ ...doc, ...linked });
    // Every fetch is a sighting: ads rotate without changing the page's content hash.
    const ads = deps.resolveFrame ? await Promise.all(page.ads.map(deps.resolveFrame)) : page.ads;
    const sightings = ads.map((ad) => toAdSighting(ad, task, fetched.fetchedAt));
    await Promise.all(sightings.map((sighting) => deps.ads.record(sighting)));
    if (linked) await deps.link?.afterPage(doc, linked, sightings);
    const onAdIndexed = deps.onAdIndexed;
    if (onAdIndexed) await Promise.all(sightings.map(async (sighting) => onAdIndexed(sighting.id)));
    await deps.onIndexed?.(result, task);
    const fromSitemaps = await sitemapLinks(task, rules);
    return { links: [...page.links.map((link) => link.url), ...fromSitemaps], ...crawlDelay };
  };
}
