import type { BulkItemResult, Script } from '../../engine/port.js';
import { aliasName, MAX_AD_PAGE_URLS } from '../../mappings/index.js';
import type { BulkWriter } from './bulk-writer.js';

/** One sighting of an ad creative on a page, in the `ads` mapping's field names. */
export interface AdSighting {
  /** Derived from creative and landing URL: the same creative on many pages is one document. */
  id: string;
  creative_text: string;
  image_alt?: string;
  image_src?: string;
  landing_url?: string;
  landing_domain?: string;
  advertiser?: string;
  slot: string;
  ad_network?: string;
  category: string;
  category_confidence: number;
  page_url: string;
  site: string;
  seen_at: string;
}

/**
 * Counts a sighting on an existing ad. `page_count` is exact while `page_urls` has room
 * (MAX_AD_PAGE_URLS); past it, a page not in the list counts as new, so it becomes an upper bound.
 */
const SIGHTING_SCRIPT = `
def s = ctx._source;
s.seen_count = (s.seen_count == null ? 0 : s.seen_count) + 1;
if (s.last_seen == null || s.last_seen.compareTo(params.seen_at) < 0) { s.last_seen = params.seen_at; }
if (s.page_urls == null) { s.page_urls = new ArrayList(); }
if (!s.page_urls.contains(params.page_url)) {
  s.page_count = (s.page_count == null ? 0 : s.page_count) + 1;
  if (s.page_urls.size() < params.max_urls) { s.page_urls.add(params.page_url); }
}
if (s.sites == null) { s.sites = new ArrayList(); }
if (!s.sites.contains(params.site)) { s.sites.add(params.site); }
`;

/** Upserts ads: the first sighting creates the document, later ones bump counts and dates. */
export class AdIndexer {
  private readonly ads: string;

  constructor(
    private readonly writer: BulkWriter,
    prefix: string,
  ) {
    this.ads = aliasName(prefix, 'ads');
  }

  record(sighting: AdSighting): Promise<BulkItemResult> {
    const { page_url, site, seen_at, ...creative } = sighting;
    const script: Script = {
      source: SIGHTING_SCRIPT,
      params: { page_url, site, seen_at, max_urls: MAX_AD_PAGE_URLS },
    };
    return this.writer.add({
      op: 'update',
      index: this.ads,
      id: sighting.id,
      script,
      upsert: {
        ...withoutUndefined(creative),
        page_urls: [page_url],
        sites: [site],
        page_count: 1,
        seen_count: 1,
        first_seen: seen_at,
        last_seen: seen_at,
      },
      // Two pages with the same creative indexed in one batch race on the same document.
      retryOnConflict: 5,
    });
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
