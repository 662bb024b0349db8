import { logger } from '../../core/logger.js';
import { extractPage } from '../extract/index.js';
import { stableUrl } from '../extract/ads.js';
import type { ExtractedAd } from '../extract/types.js';
import type { Fetcher } from '../fetch/index.js';

/** Options of the frame creative resolver. */
export interface FrameCreativeOptions {
  fetcher: Fetcher;
  /** Distinct creative frames remembered (one fetch per frame URL per process). @default 5_000 */
  maxEntries?: number;
  /** Abort fetching a frame after this long; the page keeps the unresolved ad. @default 5_000 */
  timeoutMs?: number;
}

/**
 * Ad-network iframes hold their creative in another document: the page only shows a frame URL.
 * This fetches the frame (through the same SSRF-guarded fetcher), extracts the creative inside it
 * and returns the ad with its real text, image and landing URL, so one creative served into many
 * pages by a network is one ad. Frames are fetched once per process; failures leave the ad as found.
 */
export function createFrameCreativeResolver(
  options: FrameCreativeOptions,
): (ad: ExtractedAd) => Promise<ExtractedAd> {
  const cache = new Map<string, Promise<ExtractedAd | null>>();
  const maxEntries = options.maxEntries ?? 5_000;
  const log = logger('frame-creatives');

  async function load(frameUrl: string): Promise<ExtractedAd | null> {
    try {
      const fetched = await options.fetcher.fetchPage(frameUrl, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      const inner = extractPage(fetched.text, fetched.finalUrl);
      const best = [...inner.ads].filter((a) => a.landingUrl).sort((a, b) => b.score - a.score)[0];
      return best ?? null;
    } catch (error) {
      log.debug({ frameUrl, err: error }, 'creative frame not resolved');
      return null;
    }
  }

  return async (ad) => {
    if (!ad.frameSrc || ad.landingUrl) return ad;
    const key = stableUrl(ad.frameSrc, true);
    let entry = cache.get(key);
    if (!entry) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      // A failure (a timeout on a busy box) is not remembered: the next page showing the frame tries
      // again, instead of every later sighting staying an unresolved ad with another id.
      entry = load(ad.frameSrc).then((inner) => {
        if (!inner && cache.get(key) === entry) cache.delete(key);
        return inner;
      });
      cache.set(key, entry);
    }
    const inner = await entry;
    if (!inner) return ad;
    return {
      ...inner,
      slot: 'iframe',
      frameSrc: ad.frameSrc,
      adNetwork: ad.adNetwork ?? inner.adNetwork,
      signals: [...new Set([...ad.signals, ...inner.signals, 'frame-resolved'])],
    };
  };
}
