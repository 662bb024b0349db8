import type { BulkItemResult, BulkOperation, Script } from '../../engine/port.js';
import { aliasName, MAX_AD_PAGE_URLS } from '../../mappings/index.js';
import type { JurisdictionRef } from '../../registry/types.js';
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

/** Who an ad's sighting links to (indexer/link/link-stage.ts `adLink`): written with the sighting. */
export interface AdLink {
  /** The operator of the page the ad was seen on; null when the page links to none. */
  operator_id: string | null;
  /** That operator's jurisdiction (ignored without an operator). */
  jurisdiction: JurisdictionRef;
  /** The advertiser's operator (landing domain); present only when the ads mapping stores it. */
  advertiser_operator_id?: string | null;
}

/**
 * Adds sightings to an existing ad: `count` sightings on the distinct `page_urls` and `sites`.
 * `page_count` is exact while `page_urls` has room (MAX_AD_PAGE_URLS); past it, a page not in the list
 * counts as new, so it becomes an upper bound.
 */
const SIGHTING_SCRIPT = `
def s = ctx._source;
s.seen_count = (s.seen_count == null ? 0 : s.seen_count) + params.count;
if (s.first_seen == null || s.first_seen.compareTo(params.first_seen) > 0) { s.first_seen = params.first_seen; }
if (s.last_seen == null || s.last_seen.compareTo(params.seen_at) < 0) { s.last_seen = params.seen_at; }
if (s.page_urls == null) { s.page_urls = new ArrayList(); }
for (def url : params.page_urls) {
  if (!s.page_urls.contains(url)) {
    s.page_count = (s.page_count == null ? 0 : s.page_count) + 1;
    if (s.page_urls.size() < params.max_urls) { s.page_urls.add(url); }
  }
}
if (s.sites == null) { s.sites = new ArrayList(); }
for (def site : params.sites) { if (!s.sites.contains(site)) { s.sites.add(site); } }
if (params.operator_ids.size() > 0) {
  def ids = s.operator_id;
  if (ids == null) { ids = new ArrayList(); s.operator_id = ids; }
  else if (!(ids instanceof List)) { def one = ids; ids = new ArrayList(); ids.add(one); s.operator_id = ids; }
  for (def id : params.operator_ids) { if (!ids.contains(id)) { ids.add(id); } }
  if (s.jurisdiction == null) { s.jurisdiction = new HashMap(); }
  for (def entry : params.jurisdiction.entrySet()) {
    def values = s.jurisdiction[entry.getKey()];
    if (values == null) { values = new ArrayList(); s.jurisdiction[entry.getKey()] = values; }
    else if (!(values instanceof List)) { def one = values; values = new ArrayList(); values.add(one); s.jurisdiction[entry.getKey()] = values; }
    for (def v : entry.getValue()) { if (!values.contains(v)) { values.add(v); } }
  }
}
if (params.set_advertiser) { s.advertiser_operator_id = params.advertiser_operator_id; }
`;

/** One `record` call, folded with the others of its batch into the ad's write. */
interface SightingPart {
  sighting: AdSighting;
  link: AdLink | undefined;
}

/**
 * Upserts ads: the first sighting creates the document, later ones bump counts and dates. The
 * sightings of one ad in one batch of the writer are summed into one scripted update (a creative shown
 * on every page of a crawl costs one write per batch, not one per page); updates of one ad in two
 * batches in flight commute and retry on conflict. Each `record` resolves with the result of the write
 * holding it. A sighting's link (the page's operator and jurisdiction, the advertiser's operator)
 * travels in the same write: an ad seen on several operators' pages carries all of them, so each
 * district sees it.
 */
export class AdIndexer {
  private readonly ads: string;

  constructor(
    private readonly writer: BulkWriter,
    prefix: string,
  ) {
    this.ads = aliasName(prefix, 'ads');
  }

  record(sighting: AdSighting, link?: AdLink): Promise<BulkItemResult> {
    return this.writer.fold<SightingPart>(`ad:${sighting.id}`, { sighting, link }, (parts) =>
      this.operationFor(
        parts.map((p) => p.sighting),
        parts.flatMap((p) => (p.link ? [p.link] : [])),
      ),
    );
  }

  private operationFor(list: AdSighting[], links: AdLink[]): BulkOperation {
    const [first] = list as [AdSighting, ...AdSighting[]];
    const creative: Partial<AdSighting> = { ...first };
    delete creative.page_url;
    delete creative.site;
    delete creative.seen_at;
    const pageUrls = [...new Set(list.map((s) => s.page_url))];
    const sites = [...new Set(list.map((s) => s.site))];
    const times = list.map((s) => s.seen_at).sort();
    const seenAt = times[times.length - 1] ?? first.seen_at;
    const link = mergeLinks(links);
    const script: Script = {
      source: SIGHTING_SCRIPT,
      params: {
        count: list.length,
        page_urls: pageUrls,
        sites,
        first_seen: times[0] ?? first.seen_at,
        seen_at: seenAt,
        max_urls: MAX_AD_PAGE_URLS,
        operator_ids: link.operatorIds,
        jurisdiction: link.jurisdiction,
        set_advertiser: link.advertiser !== undefined,
        advertiser_operator_id: link.advertiser ?? null,
      },
    };
    return {
      op: 'update',
      index: this.ads,
      id: first.id,
      script,
      upsert: {
        ...withoutUndefined(creative),
        page_urls: pageUrls.slice(0, MAX_AD_PAGE_URLS),
        sites,
        page_count: pageUrls.length,
        seen_count: list.length,
        first_seen: times[0] ?? first.seen_at,
        last_seen: seenAt,
        ...(link.operatorIds.length > 0
          ? { operator_id: link.operatorIds, jurisdiction: link.jurisdiction }
          : {}),
        ...(link.advertiser !== undefined ? { advertiser_operator_id: link.advertiser } : {}),
      },
      // Another worker process may write the same ad at the same time.
      retryOnConflict: 5,
    };
  }
}

/** The links of coalesced sightings as one: operators and jurisdiction values unioned, last advertiser. */
function mergeLinks(links: readonly AdLink[]): {
  operatorIds: string[];
  jurisdiction: Record<string, string[]>;
  advertiser: string | null | undefined;
} {
  const operatorIds = new Set<string>();
  const jurisdiction: Record<string, string[]> = {};
  let advertiser: string | null | undefined;
  for (const link of links) {
    if ('advertiser_operator_id' in link) advertiser = link.advertiser_operator_id ?? null;
    if (link.operator_id === null) continue;
    operatorIds.add(link.operator_id);
    for (const [key, value] of Object.entries(link.jurisdiction)) {
      if (typeof value !== 'string') continue;
      const values = (jurisdiction[key] ??= []);
      if (!values.includes(value)) values.push(value);
    }
  }
  return { operatorIds: [...operatorIds], jurisdiction, advertiser };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
