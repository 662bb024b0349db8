import robotsParserModule from 'robots-parser';
import { acceptRobots } from './content-type.js';
import { FetchError, isFetchError } from './fetch-errors.js';
import type { Fetcher } from './fetcher.js';
import { TtlCache } from './ttl-cache.js';

/**
 * Options of {@link createRobotsCache}.
 *
 * The cache is in process memory, not Redis: a robots.txt is one small GET per origin per TTL per worker, while a
 * shared cache would cost a Redis round trip on every URL check and could only hold the raw text (the parsed
 * rules are not serialisable), so each worker would re-parse anyway. Workers obeying the same file within the
 * TTL need no coordination.
 */
export interface RobotsCacheOptions {
  /** Fetcher used for robots.txt (same SSRF guard, timeouts and user agent as pages). */
  fetcher: Fetcher;
  /** Product token matched against `User-agent:` lines. @default the first word of the fetcher's user agent */
  robotsToken?: string;
  /** How long a fetched (or missing, 4xx) robots.txt is trusted. @default 86400000 (24 h, Google's convention) */
  ttlMs?: number;
  /** How long a 5xx or unreachable robots.txt means "disallow everything" before trying again. @default 600000 */
  errorTtlMs?: number;
  /** Origins kept. @default 10000 */
  maxEntries?: number;
  /** Bytes of robots.txt read; the rest is ignored, as Google does past 500 KiB. @default 512000 */
  maxBytes?: number;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

/** How the rules of an origin were obtained. */
export type RobotsSource =
  /** A robots.txt was read and parsed. */
  | 'file'
  /** 4xx (or no usable file): everything is allowed. */
  | 'missing'
  /** 5xx, 429 or unreachable: everything is disallowed until `expiresAt`. */
  | 'error';

export interface RobotsRules {
  origin: string;
  source: RobotsSource;
  /** HTTP status of the robots.txt answer, when there was one. */
  status?: number;
  /** Error code when the source is `error` (FETCH_TIMEOUT, FETCH_HTTP_STATUS, ...). */
  errorCode?: string;
  /** Crawl-delay for our token (or `*`), in ms. */
  crawlDelayMs?: number;
  /** `Sitemap:` lines, absolute URLs. */
  sitemaps: string[];
  expiresAt: number;
  /** Whether our token may fetch `url` (a URL of this origin). */
  isAllowed(url: string | URL): boolean;
}

export interface RobotsCache {
  /** Rules for the origin of `url`, from the cache or fetched once (concurrent callers share one fetch). */
  rulesFor(url: string | URL): Promise<RobotsRules>;
  isAllowed(url: string | URL): Promise<boolean>;
  /** Throws ROBOTS_DISALLOWED: non-retryable when the file forbids it, retryable when an outage does (`details.source`). */
  assertAllowed(url: string | URL): Promise<RobotsRules>;
  crawlDelayMs(url: string | URL): Promise<number | undefined>;
  sitemaps(url: string | URL): Promise<string[]>;
  clear(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

// robots-parser is CommonJS (`module.exports = fn`) while its types declare an ES default export, so under
// NodeNext TypeScript sees the function at `.default`; at runtime the default import is the function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** `ArgusBot/0.1 (+https://...)` → `ArgusBot`. */
export function robotsTokenOf(userAgent: string): string {
  return /^[A-Za-z][\w-]*/.exec(userAgent.trim())?.[0] ?? '*';
}

function allowAll(origin: string, expiresAt: number, status?: number): RobotsRules {
  return { origin, source: 'missing', status, sitemaps: [], expiresAt, isAllowed: () => true };
}

function disallowAll(origin: string, expiresAt: number, error: FetchError): RobotsRules {
  const status = typeof error.details.status === 'number' ? error.details.status : undefined;
  return {
    origin,
    source: 'error',
    status,
    errorCode: error.code,
    sitemaps: [],
    expiresAt,
    isAllowed: () => false,
  };
}

function parseRules(
  origin: string,
  text: string,
  token: string,
  expiresAt: number,
  status: number,
): RobotsRules {
  const robots = robotsParser(`${origin}/robots.txt`, text);
  const delay = robots.getCrawlDelay(token);
  return {
    origin,
    source: 'file',
    status,
    crawlDelayMs: delay === undefined || !Number.isFinite(delay) ? undefined : Math.max(0, delay * 1000),
    sitemaps: robots.getSitemaps(),
    expiresAt,
    isAllowed: (url) => robots.isAllowed(String(url), token) ?? true,
  };
}

/** Creates the per-process robots.txt cache (in-memory LRU with TTL; see {@link RobotsCacheOptions} for why). */
export function createRobotsCache(options: RobotsCacheOptions): RobotsCache {
  const { fetcher } = options;
  const token = options.robotsToken ?? robotsTokenOf(fetcher.userAgent);
  const ttlMs = options.ttlMs ?? DAY_MS;
  const errorTtlMs = options.errorTtlMs ?? 10 * 60 * 1000;
  const maxBytes = options.maxBytes ?? 500 * 1024;
  const now = options.now ?? Date.now;
  const cache = new TtlCache<RobotsRules>({ maxEntries: options.maxEntries, now });
  const inFlight = new Map<string, Promise<RobotsRules>>();

  const load = async (origin: string): Promise<RobotsRules> => {
    try {
      const result = await fetcher.fetchPage(`${origin}/robots.txt`, {
        accept: acceptRobots,
        maxBytes,
        truncate: true,
      });
      return parseRules(origin, result.text, token, now() + ttlMs, result.status);
    } catch (error) {
      if (!isFetchError(error)) throw error;
      const status = typeof error.details.status === 'number' ? error.details.status : undefined;
      // Google: 4xx (but 429) and a robots.txt that is not text mean "no rules"; too many redirects count as 404.
      const noRules =
        (error.code === 'FETCH_HTTP_STATUS' && status !== undefined && status < 500 && status !== 429) ||
        error.code === 'FETCH_CONTENT_TYPE' ||
        error.code === 'FETCH_TOO_MANY_REDIRECTS';
      if (noRules) return allowAll(origin, now() + ttlMs, status);
      // A refused address or a cancelled fetch says nothing about the site's rules: let the caller see it.
      if (['FETCH_SSRF_BLOCKED', 'FETCH_BAD_URL', 'FETCH_ABORTED'].includes(error.code)) throw error;
      return disallowAll(origin, now() + errorTtlMs, error);
    }
  };

  const rulesFor = async (input: string | URL): Promise<RobotsRules> => {
    const origin = originOf(input);
    const cached = cache.get(origin);
    if (cached) return cached;
    let pending = inFlight.get(origin);
    if (!pending) {
      pending = load(origin)
        .then((rules) => {
          cache.set(origin, rules, Math.max(0, rules.expiresAt - now()));
          return rules;
        })
        .finally(() => inFlight.delete(origin));
      inFlight.set(origin, pending);
    }
    return pending;
  };

  const assertAllowed = async (url: string | URL): Promise<RobotsRules> => {
    const rules = await rulesFor(url);
    if (!rules.isAllowed(url)) {
      const reason = rules.source === 'error' ? `robots.txt unavailable (${rules.errorCode})` : 'robots.txt';
      throw new FetchError('ROBOTS_DISALLOWED', `${String(url)} is disallowed by ${reason}`, {
        // An outage passes; a rule in the file does not.
        retryable: rules.source === 'error',
        details: { url: String(url), source: rules.source, errorCode: rules.errorCode, status: rules.status },
      });
    }
    return rules;
  };

  return {
    rulesFor,
    isAllowed: async (url) => (await rulesFor(url)).isAllowed(url),
    assertAllowed,
    crawlDelayMs: async (url) => (await rulesFor(url)).crawlDelayMs,
    sitemaps: async (url) => (await rulesFor(url)).sitemaps,
    clear: () => cache.clear(),
  };
}

function originOf(input: string | URL): string {
  try {
    const url = new URL(input);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  } catch {
    // fall through to the error below
  }
  throw new FetchError('FETCH_BAD_URL', `Not an http(s) URL: ${String(input).slice(0, 200)}`, {
    details: { url: String(input).slice(0, 2000) },
  });
}
