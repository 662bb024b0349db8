import { createHash } from 'node:crypto';
import { getDomain } from 'tldts';
import { ValidationError } from '../../core/errors.js';

/**
 * Query parameters that only say where a visitor came from; they never change the page.
 * Exact names; see {@link TRACKING_PARAM_PREFIXES} for prefixes.
 *
 * `from` is on the list on purpose: on the Chinese web it is overwhelmingly a share-origin tag
 * (WeChat `from=singlemessage|groupmessage|timeline`, Weibo, Baidu). The rare site that uses it for
 * content (a date range) loses nothing when the caller passes its own list.
 */
export const DEFAULT_TRACKING_PARAMS: readonly string[] = [
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'fbclid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'spm',
  'scm',
  'from',
  'isappinstalled',
];

/** Parameter name prefixes dropped for the same reason (`utm_source`, `utm_medium`, ...). */
export const TRACKING_PARAM_PREFIXES: readonly string[] = ['utm_'];

/** Options of {@link normalizeUrl}. */
export interface NormalizeUrlOptions {
  /** Exact query parameter names to drop (compared lower-case). @default DEFAULT_TRACKING_PARAMS */
  trackingParams?: readonly string[];
  /** Query parameter name prefixes to drop (compared lower-case). @default TRACKING_PARAM_PREFIXES */
  trackingPrefixes?: readonly string[];
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 3986 §6.2.2: upper-case percent escapes, decode the ones that stand for unreserved characters. */
function normalizePercentEncoding(part: string): string {
  return part.replace(/%([0-9a-fA-F]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function decodedName(pair: string): string {
  const name = pair.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/**
 * Drops tracking parameters and empty pairs, sorts the rest by name. The sort is stable, so repeated
 * names keep their order (`a=2&a=1` stays distinct from `a=1&a=2`: some servers read the first only).
 * Pairs are kept as written (no `a` → `a=` rewrite), apart from percent-encoding normalisation.
 */
function normalizeQuery(search: string, options: NormalizeUrlOptions): string {
  if (search.length <= 1) return '';
  const exact = new Set((options.trackingParams ?? DEFAULT_TRACKING_PARAMS).map((p) => p.toLowerCase()));
  const prefixes = (options.trackingPrefixes ?? TRACKING_PARAM_PREFIXES).map((p) => p.toLowerCase());
  const kept = search
    .slice(1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => ({ pair: normalizePercentEncoding(pair), name: decodedName(pair) }))
    .filter(({ name }) => !exact.has(name) && !prefixes.some((prefix) => name.startsWith(prefix)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.length === 0 ? '' : `?${kept.map(({ pair }) => pair).join('&')}`;
}

function parse(input: string, base?: string | URL): URL {
  try {
    return new URL(input.trim(), base);
  } catch {
    throw new ValidationError(
      `Not a valid URL: ${JSON.stringify(input.slice(0, 200))}`,
      { input },
      'URL_INVALID',
    );
  }
}

/**
 * Normalises a URL so that spellings of the same page compare equal (the frontier's dedupe key).
 *
 * Through the WHATWG parser: scheme and host lower-cased, IDN host → punycode, default port removed,
 * dot segments resolved, empty path → `/`. On top: fragment dropped, credentials dropped (never kept
 * in ids or logs), trailing dot of the host removed, percent escapes normalised, tracking parameters
 * removed, remaining parameters sorted by name, an empty `?` removed.
 *
 * Deliberately NOT done: a trailing `index.html` (or `/` vs no `/`) is kept, because servers may serve
 * different content at `/` and `/index.html`; merging them would lose a page, while keeping them only
 * costs a duplicate fetch that content hashing catches at index time. `http` and `https` stay distinct,
 * and so do `www.` and path case.
 *
 * @param input absolute URL, or relative when `base` is given
 * @throws ValidationError `URL_INVALID` when unparsable, `URL_UNSUPPORTED_SCHEME` when not http(s)
 */
export function normalizeUrl(input: string, base?: string | URL, options: NormalizeUrlOptions = {}): string {
  const url = parse(input, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(
      `Only http and https URLs can be crawled, got ${url.protocol}`,
      { input: input.slice(0, 200) },
      'URL_UNSUPPORTED_SCHEME',
    );
  }
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.replace(/\.+$/, '');
  if (url.hostname === '')
    throw new ValidationError(`URL has no host: ${input.slice(0, 200)}`, {}, 'URL_INVALID');
  const path = normalizePercentEncoding(url.pathname);
  const query = normalizeQuery(url.search, options);
  return `${url.protocol}//${url.host}${path}${query}`;
}

/** Page id of a URL: the first 32 hex characters of sha256(normalised URL). Also the page document id. */
export function urlId(url: string): string {
  return createHash('sha256').update(normalizeUrl(url)).digest('hex').slice(0, 32);
}

/** Same as {@link urlId} for a URL already normalised (skips the second parse). */
export function urlIdOfNormalized(normalizedUrl: string): string {
  return createHash('sha256').update(normalizedUrl).digest('hex').slice(0, 32);
}

/** What a task needs of a normalised URL, from one parse: its id, host key and site key. */
export interface UrlIdentity {
  url: string;
  urlId: string;
  host: string;
  site: string;
}

/** {@link urlIdOfNormalized}, {@link hostKey} and {@link siteKey} of a normalised URL at once. */
export function urlIdentity(normalizedUrl: string): UrlIdentity {
  const url = new URL(normalizedUrl);
  return {
    url: normalizedUrl,
    urlId: urlIdOfNormalized(normalizedUrl),
    host: url.host,
    site: siteOf(url),
  };
}

/** Politeness key: host with its port when not the default (`shop.example.com`, `127.0.0.1:8081`). */
export function hostKey(normalizedUrl: string): string {
  return new URL(normalizedUrl).host;
}

/**
 * Budget and scope key: the registrable domain (`shop.example.com.cn` → `example.com.cn`), or the
 * host name for IP addresses and single-label hosts; a non-default port is kept.
 */
export function siteKey(normalizedUrl: string): string {
  return siteOf(new URL(normalizedUrl));
}

function siteOf(url: URL): string {
  const domain = getDomain(url.hostname, { allowPrivateDomains: false }) ?? url.hostname;
  return url.port ? `${domain}:${url.port}` : domain;
}
