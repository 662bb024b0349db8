export {
  createFetcher,
  type Fetcher,
  type FetcherOptions,
  type FetchPageOptions,
  type FetchResult,
  type RedirectHop,
} from './fetcher.js';
export { FetchError, FETCH_ERROR_CODES, isFetchError, type FetchErrorCode } from './fetch-errors.js';
export {
  charsetFromContentType,
  decodeBody,
  decodeText,
  detectCharset,
  normalizeCharset,
  type CharsetSource,
  type DetectedCharset,
} from './charset.js';
export { acceptPage, acceptRobots, acceptSitemap, mimeTypeOf, type ContentTypeGate } from './content-type.js';
export {
  classifyAddress,
  createSsrfGuard,
  parseAllowList,
  parseResolveMap,
  type SsrfGuard,
  type SsrfGuardOptions,
} from './ssrf-guard.js';
export {
  createRobotsCache,
  robotsTokenOf,
  type RobotsCache,
  type RobotsCacheOptions,
  type RobotsRules,
  type RobotsSource,
} from './robots.js';
export {
  collectSitemapUrls,
  fetchSitemap,
  parseSitemap,
  type CollectedSitemaps,
  type CollectSitemapOptions,
  type ParsedSitemap,
  type SitemapEntry,
  type SitemapOptions,
} from './sitemap.js';
