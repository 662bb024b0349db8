import type { CharsetSource } from './charset.js';
import type { ContentTypeGate } from './content-type.js';
import type { SsrfGuard } from './ssrf-guard.js';

/** Options of `createFetcher`; every field defaults from `core/config.ts`. */
export interface FetcherOptions {
  /** Sent on every request; names Argus and a contact URL. @default config CRAWL_USER_AGENT */
  userAgent?: string;
  /** Whole fetch: every redirect hop and the body. @default config CRAWL_TIMEOUT_MS */
  totalTimeoutMs?: number;
  /** TCP (and TLS) connect, and the DNS lookup, per hop. @default min(5000, totalTimeoutMs) */
  connectTimeoutMs?: number;
  /** From the request being sent until the response headers arrive, per hop. @default totalTimeoutMs */
  responseTimeoutMs?: number;
  /** Decoded body size cap, enforced while streaming; a larger Content-Length is refused unread. @default config CRAWL_MAX_BYTES */
  maxBytes?: number;
  /** Redirect hops followed before FETCH_TOO_MANY_REDIRECTS. @default config CRAWL_MAX_REDIRECTS */
  maxRedirects?: number;
  /** Which content types `fetchPage` reads. @default acceptPage (HTML, XHTML, XML, text) */
  accept?: ContentTypeGate;
  /** Address policy and resolve map. @default a guard built from CRAWL_ALLOW_PRIVATE and CRAWL_RESOLVE */
  guard?: SsrfGuard;
  /** Extra request headers (e.g. `accept-language`). */
  headers?: Record<string, string>;
}

/** Per-call options of {@link Fetcher.fetchPage}. */
export interface FetchPageOptions {
  /** Validator of the previous fetch: sent as If-None-Match. */
  etag?: string;
  /** Validator of the previous fetch: sent as If-Modified-Since. */
  lastModified?: string;
  /** Cancels the fetch (FETCH_ABORTED, retryable). */
  signal?: AbortSignal;
  /** Content-type gate for this call (robots.txt and sitemaps bring their own). @default the fetcher's */
  accept?: ContentTypeGate;
  /** Body cap for this call. @default the fetcher's maxBytes */
  maxBytes?: number;
  /** Keep the first `maxBytes` and stop instead of failing with FETCH_TOO_LARGE. @default false */
  truncate?: boolean;
  /** Decode the body to `text`; `false` leaves `text` empty (raw `body` only, e.g. gzip sitemaps). @default true */
  decode?: boolean;
}

/** One redirect response that was followed. */
export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

export interface FetchResult {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  redirects: RedirectHop[];
  status: number;
  /** Response headers as received on the wire (so `content-encoding`/`content-length` describe the compressed body), lower-case names, repeats joined with `, `. */
  headers: Record<string, string>;
  /** MIME type without parameters, lower case; `''` when the server sent none. */
  contentType: string;
  charset: string;
  charsetSource: CharsetSource;
  /** Decoded body (empty on 304, or when `decode: false`). */
  text: string;
  /** Body bytes after transfer decoding (gzip/deflate/br), before charset decoding. */
  body: Buffer;
  bytes: number;
  /** The body was cut at `maxBytes` (only with `truncate: true`). */
  truncated: boolean;
  etag?: string;
  lastModified?: string;
  /** 304 to a conditional request: the previous copy is still current. */
  notModified: boolean;
  /** Address the final response came from. */
  remoteAddress?: string;
  /** ISO 8601 time the fetch started. */
  fetchedAt: string;
  durationMs: number;
}

export interface Fetcher {
  /** Fetches one URL, following redirects hop by hop; throws a FetchError. Never retries. */
  fetchPage(url: string | URL, options?: FetchPageOptions): Promise<FetchResult>;
  readonly userAgent: string;
  /** Closes kept-alive connections. */
  close(): void;
}
