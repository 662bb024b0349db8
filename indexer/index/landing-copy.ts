/**
 * Landing-page copy on ads. Regulators judge an ad together with its landing page (落地页): a pop-up
 * creative may show only an image and alt text while its claims (顶级, 第一) sit on the page it links
 * to. Every ad carries `landing_page_id` (the page id its landing URL has once crawled) and, while that
 * page is indexed, the page's `landing_title` and a bounded `landing_text` excerpt, which ad rules
 * search beside the creative.
 *
 * Both orders: an ad first seen after its landing page reads the page once (realtime get, cached); a
 * landing page indexed (new or changed) after its ads finds them by `landing_page_id` and updates them.
 * The caller re-matches every ad id this hands back.
 */
import { detach } from '../../core/strings.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import { normalizeUrl, urlIdOfNormalized, type NormalizeUrlOptions } from '../frontier/url-normalize.js';
import type { AdSighting } from './ad-indexer.js';
import type { BulkWriter } from './bulk-writer.js';
import type { PageIndexResult } from './page-indexer.js';

/** Options of {@link LandingCopy}. */
export interface LandingCopyOptions {
  prefix: string;
  /** Ad updates join the crawl's batches and dead letters. */
  writer: BulkWriter;
  /** Characters of the landing page's text copied onto its ads. @default 2_000 */
  maxTextChars?: number;
  /** Characters of the landing page's title copied onto its ads. @default 300 */
  maxTitleChars?: number;
  /**
   * Landing pages remembered by the ad side: pages read for an ad, and indexed pages that ads land on
   * (not every crawled page). About 5 KB each (title and text excerpts of CJK text). @default 2_000
   */
  maxCachedPages?: number;
  /** How long a remembered landing page is trusted before it is read again. @default 60_000 */
  cacheTtlMs?: number;
  /** Ads remembered as already carrying their landing page id (one update per ad per process). @default 50_000 */
  maxKnownAds?: number;
  /** Ads read per search round when landing pages arrive. @default 500 */
  pageSize?: number;
  /**
   * Pages indexed within this window share one search for the ads landing on them (most pages are
   * no ad's landing page: one search per page was a search per crawled page). @default 5
   */
  batchWindowMs?: number;
  /** @default 256 */
  maxBatch?: number;
  /** The frontier's URL normalisation, so `landing_page_id` equals the crawled page's id. @default {} */
  normalize?: NormalizeUrlOptions;
}

/** What an ad carries of its landing page. */
export interface LandingFields {
  landing_title?: string;
  landing_text?: string;
}

/** What the page side reads of an indexed page. */
export interface LandingPage {
  id: string;
  title?: string;
  text?: string;
}

interface Cached {
  fields: LandingFields | undefined;
  at: number;
}

/** A page waiting for the batched search of the ads that land on it, and its callers. */
interface WaitingPage {
  fields: LandingFields;
  waiters: Array<{ resolve: (adIds: string[]) => void; reject: (error: unknown) => void }>;
}

/** `text` cut to `max` UTF-16 units without splitting a surrogate pair. */
export function excerpt(text: string | undefined, max: number): string | undefined {
  if (!text) return undefined;
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function ownExcerpt(text: string | undefined, max: number): string | undefined {
  const cut = excerpt(text, max);
  return cut === undefined ? undefined : detach(cut);
}

/**
 * The id the page at an ad's landing URL has in `pages` (tracking parameters such as `utm_*` dropped,
 * as the frontier does), or undefined when the ad has no usable landing URL.
 */
export function landingPageId(
  landingUrl: string | undefined,
  normalize: NormalizeUrlOptions = {},
): string | undefined {
  if (!landingUrl) return undefined;
  try {
    return urlIdOfNormalized(normalizeUrl(landingUrl, undefined, normalize));
  } catch {
    return undefined;
  }
}

/** Copies landing-page title and text onto ads, whichever of the two is indexed first. */
export class LandingCopy {
  private readonly ads: string;
  private readonly pages: string;
  private readonly cache = new Map<string, Cached>();
  private readonly known = new Map<string, Promise<void>>();
  private refreshQueued: Promise<void> | undefined;
  private refreshRunning: Promise<void> = Promise.resolve();
  private waiting = new Map<string, WaitingPage>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: LandingCopyOptions,
  ) {
    this.ads = aliasName(options.prefix, 'ads');
    this.pages = aliasName(options.prefix, 'pages');
  }

  /**
   * After a page and its ads are written: the page's ads get their landing copy (ad side), and when
   * the page is new or changed, the ads landing on it get its copy (page side). Resolves with the ids
   * of those landing ads, to match again; the page's own ads are matched by the caller anyway.
   */
  async afterPage(page: LandingPage, result: PageIndexResult, sightings: readonly AdSighting[]) {
    const changed = result.ok && result.change !== 'unchanged';
    const [landed] = await Promise.all([
      changed ? this.copyToAds(page) : Promise.resolve([]),
      ...[...new Map(sightings.map((s) => [s.id, s])).values()].map((s) => this.enrichAd(s)),
    ]);
    return landed;
  }

  /** Ad side: once per ad per process, stamps its landing page id and, when indexed, the page's copy. */
  private enrichAd(sighting: AdSighting): Promise<void> {
    let done = this.known.get(sighting.id);
    if (!done) {
      const maxKnown = this.options.maxKnownAds ?? 50_000;
      if (this.known.size >= maxKnown) this.known.delete(this.known.keys().next().value as string);
      done = this.stamp(sighting).catch((error: unknown) => {
        this.known.delete(sighting.id);
        throw error;
      });
      this.known.set(sighting.id, done);
    }
    return done;
  }

  private async stamp(sighting: AdSighting): Promise<void> {
    const pageId = landingPageId(sighting.landing_url, this.options.normalize);
    if (!pageId) return;
    const fields = await this.lookup(pageId);
    await this.update(sighting.id, { landing_page_id: pageId, ...fields });
    if (fields) return;
    // The landing page may be written meanwhile, and its search for ads by `landing_page_id` may not
    // see this ad's update yet (refresh interval). Once the ads index is refreshed after the update,
    // either that search sees the ad, or this read sees the page.
    await this.refreshAds();
    const late = await this.read(pageId);
    if (late) await this.update(sighting.id, late);
  }

  /** Page side: the ads whose landing page this is get its copy; resolves with their ids. */
  private copyToAds(page: LandingPage): Promise<string[]> {
    const fields = this.fieldsOf(page);
    // A known landing page's copy changes now; other pages are remembered once ads are found landing on them.
    if (this.cache.has(page.id)) this.remember(page.id, fields);
    return new Promise((resolve, reject) => {
      // The same page twice in one window: the later copy wins, both callers get the ads.
      const waiters = [...(this.waiting.get(page.id)?.waiters ?? []), { resolve, reject }];
      this.waiting.set(page.id, { fields, waiters });
      if (this.waiting.size >= (this.options.maxBatch ?? 256)) void this.copyBatch();
      else this.timer ??= setTimeout(() => void this.copyBatch(), this.options.batchWindowMs ?? 5);
    });
  }

  /** One search for the ads landing on any page of the batch; each gets its page's copy. */
  private async copyBatch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = new Map();
    if (batch.size === 0) return;
    try {
      const adsByPage = await this.adsLandingOn([...batch.keys()]);
      await Promise.all(
        [...batch].map(async ([pageId, page]) => {
          const adIds = adsByPage.get(pageId) ?? [];
          if (adIds.length > 0) this.remember(pageId, page.fields);
          const written = await Promise.all(adIds.map((id) => this.update(id, page.fields)));
          const updated = adIds.filter((_, i) => written[i]);
          for (const waiter of page.waiters) waiter.resolve(updated);
        }),
      );
    } catch (error) {
      for (const page of batch.values()) for (const waiter of page.waiters) waiter.reject(error);
    }
  }

  /** Ad ids by the landing page they carry, for `pageIds`. */
  private async adsLandingOn(pageIds: string[]): Promise<Map<string, string[]>> {
    const byPage = new Map<string, string[]>();
    const size = this.options.pageSize ?? 500;
    let searchAfter: unknown[] | undefined;
    for (;;) {
      const found = await this.engine.search<{ landing_page_id?: string }>({
        index: this.ads,
        query: { bool: { filter: [{ terms: { landing_page_id: pageIds } }] } },
        size,
        sort: [{ id: 'asc' }],
        source: ['landing_page_id'],
        trackTotalHits: false,
        ...(searchAfter ? { searchAfter } : {}),
      });
      for (const hit of found.hits) {
        const pageId = hit.source.landing_page_id;
        if (!pageId) continue;
        const ads = byPage.get(pageId) ?? [];
        ads.push(hit.id);
        byPage.set(pageId, ads);
      }
      const last = found.hits.at(-1);
      if (found.hits.length < size || !last?.sort) return byPage;
      searchAfter = last.sort;
    }
  }

  /** The landing copy of a page id: cached for `cacheTtlMs`, else one realtime get. */
  private async lookup(pageId: string): Promise<LandingFields | undefined> {
    const cached = this.cache.get(pageId);
    if (cached && Date.now() - cached.at < (this.options.cacheTtlMs ?? 60_000)) return cached.fields;
    return this.read(pageId);
  }

  private async read(pageId: string): Promise<LandingFields | undefined> {
    const got = await this.engine.get<Doc>(this.pages, pageId);
    const fields = got.found && got.source ? this.fieldsOf(pageOf(pageId, got.source)) : undefined;
    this.remember(pageId, fields);
    return fields;
  }

  private remember(pageId: string, fields: LandingFields | undefined): void {
    this.cache.delete(pageId);
    if (this.cache.size >= (this.options.maxCachedPages ?? 2_000))
      this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(pageId, { fields, at: Date.now() });
  }

  /** Excerpts detached from the page's strings, so a remembered copy does not keep the whole text. */
  private fieldsOf(page: LandingPage): LandingFields {
    const title = ownExcerpt(page.title, this.options.maxTitleChars ?? 300);
    const text = ownExcerpt(page.text, this.options.maxTextChars ?? 2_000);
    return { ...(title ? { landing_title: title } : {}), ...(text ? { landing_text: text } : {}) };
  }

  /** A partial update of one ad; resolves false when the engine refused it (dead-lettered). */
  private async update(adId: string, fields: LandingFields & { landing_page_id?: string }): Promise<boolean> {
    const result = await this.options.writer.add({
      op: 'update',
      index: this.ads,
      id: adId,
      doc: { ...fields },
      // The ad indexer's sighting updates touch the same document.
      retryOnConflict: 5,
    });
    return result.ok;
  }

  /**
   * One refresh of the ads index for every caller that asks before it starts: a refresh already
   * running may have begun before the caller's write was acknowledged, so it does not count.
   */
  private refreshAds(): Promise<void> {
    this.refreshQueued ??= this.refreshRunning
      .catch(() => undefined)
      .then(() => {
        this.refreshQueued = undefined;
        this.refreshRunning = this.engine.refresh(this.ads);
        return this.refreshRunning;
      });
    return this.refreshQueued;
  }
}

function pageOf(id: string, source: Doc): LandingPage {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const title = str(source.title);
  const text = str(source.text);
  return { id, ...(title ? { title } : {}), ...(text ? { text } : {}) };
}
