import { registeredDomain } from '../extract/index.js';
import type { ExtractedAd, ExtractedPage } from '../extract/types.js';
import type { FetchResult } from '../fetch/index.js';
import type { CrawlTask } from '../frontier/frontier.types.js';
import type { AdSighting } from '../index/ad-indexer.js';
import type { PageDocument } from '../index/page-indexer.js';

/** The site a page belongs to, as inspectors name it: the registered domain, without port. */
export function siteOf(host: string): string {
  return registeredDomain(host.toLowerCase());
}

/** Maps what fetch and extract produced onto the `pages` mapping. */
export function toPageDocument(
  task: CrawlTask,
  fetched: FetchResult,
  page: ExtractedPage,
  contentHash: string,
): PageDocument {
  const url = new URL(task.url);
  const ids = page.identifiers;
  return {
    id: task.urlId,
    url: task.url,
    ...(page.canonicalUrl ? { canonical_url: page.canonicalUrl } : {}),
    host: url.hostname,
    registered_domain: registeredDomain(url.hostname),
    path: url.pathname,
    site: siteOf(url.hostname),
    title: page.title,
    description: page.description,
    text: page.text,
    lang: page.lang,
    status: fetched.status,
    fetched_at: fetched.fetchedAt,
    content_hash: contentHash,
    identifiers: {
      uscc: ids.uscc,
      uscc_invalid: ids.usccInvalid,
      icp: ids.icp.map((i) => i.normalised),
      licence: ids.licences.map((l) => l.normalised),
      phones: ids.phones.map((p) => p.normalised),
      emails: ids.emails,
    },
    prices: page.prices.map((p) => ({ amount: p.amount, currency: p.currency, source: p.source })),
    outlinks_count: page.links.length,
    ads_count: page.ads.length,
    crawl: {
      depth: task.depth,
      ...(fetched.etag ? { etag: fetched.etag } : {}),
      ...(fetched.lastModified ? { last_modified: fetched.lastModified } : {}),
    },
  };
}

/** One sighting of an extracted ad on the page being indexed. */
export function toAdSighting(ad: ExtractedAd, task: CrawlTask, seenAt: string): AdSighting {
  return {
    id: ad.id,
    creative_text: ad.creativeText,
    ...(ad.imageAlt ? { image_alt: ad.imageAlt } : {}),
    ...((ad.imageSrc ?? ad.frameSrc) ? { image_src: (ad.imageSrc ?? ad.frameSrc) as string } : {}),
    ...(ad.landingUrl ? { landing_url: ad.landingUrl } : {}),
    ...(ad.landingDomain ? { landing_domain: ad.landingDomain, advertiser: ad.landingDomain } : {}),
    slot: ad.slot,
    ...(ad.adNetwork ? { ad_network: ad.adNetwork } : {}),
    category: ad.category,
    category_confidence: ad.categoryConfidence,
    page_url: task.url,
    site: siteOf(new URL(task.url).hostname),
    seen_at: seenAt,
  };
}
