import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { decodeBody } from './charset.js';
import { acceptSitemap } from './content-type.js';
import { FetchError, isFetchError } from './fetch-errors.js';
import type { Fetcher } from './fetcher.js';

const gunzipAsync = promisify(gunzip);

/** Sitemap protocol limits: 50,000 URLs and 50 MB (uncompressed) per file. */
export const SITEMAP_MAX_URLS = 50_000;
export const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;
const MAX_URL_LENGTH = 2048;

export interface SitemapEntry {
  url: string;
  /** `<lastmod>` as ISO 8601, when present and a valid date. */
  lastmod?: string;
}

export interface ParsedSitemap {
  /** `urlset` lists pages, `sitemapindex` lists sitemaps, `text` is a plain list of URLs. */
  kind: 'urlset' | 'sitemapindex' | 'text';
  /** Pages (urlset, text). */
  urls: SitemapEntry[];
  /** Child sitemaps (sitemapindex). */
  sitemaps: SitemapEntry[];
  /** Entries past `maxUrls` were dropped. */
  truncated: boolean;
  /** Entries without a usable http(s) `<loc>`. */
  skipped: number;
}

/** Options of {@link parseSitemap} and {@link fetchSitemap}. */
export interface SitemapOptions {
  /** Entries kept per file. @default 50000 */
  maxUrls?: number;
  /** Bytes per file, compressed and uncompressed. @default 52428800 (50 MB) */
  maxBytes?: number;
  /** Content-Type header of the file, for its charset. */
  contentType?: string;
  signal?: AbortSignal;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === 'urlset.url' || jpath === 'sitemapindex.sitemap',
});

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): FetchError {
  return new FetchError('SITEMAP_INVALID', message, { details, cause });
}

async function gunzipIfNeeded(body: Buffer, maxBytes: number): Promise<Buffer> {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (cause) {
    if ((cause as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new FetchError('FETCH_TOO_LARGE', `Sitemap expands past ${maxBytes} bytes`, {
        details: { maxBytes },
        cause,
      });
    }
    throw invalid('Sitemap is not valid gzip', {}, cause);
  }
}

function toEntry(loc: unknown, lastmod: unknown): SitemapEntry | undefined {
  if (typeof loc !== 'string' || loc.length > MAX_URL_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(loc.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const time = typeof lastmod === 'string' ? Date.parse(lastmod) : Number.NaN;
  return Number.isNaN(time) ? { url: url.href } : { url: url.href, lastmod: new Date(time).toISOString() };
}

function collect(
  list: unknown,
  maxUrls: number,
): Pick<ParsedSitemap, 'truncated' | 'skipped'> & { entries: SitemapEntry[] } {
  const items: unknown[] = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const entries: SitemapEntry[] = [];
  let skipped = 0;
  for (const item of items.slice(0, maxUrls)) {
    const fields = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const entry = toEntry(fields.loc, fields.lastmod);
    if (entry) entries.push(entry);
    else skipped += 1;
  }
  return { entries, skipped, truncated: items.length > maxUrls };
}

function parseText(text: string, maxUrls: number): ParsedSitemap {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const { entries, skipped, truncated } = collect(
    lines.map((line) => ({ loc: line })),
    maxUrls,
  );
  return { kind: 'text', urls: entries, sitemaps: [], truncated, skipped };
}

/**
 * Parses a sitemap (urlset, sitemap index or text list; gzip is recognised by its magic bytes). Throws
 * SITEMAP_INVALID for anything else, FETCH_TOO_LARGE when it expands past `maxBytes`.
 */
export async function parseSitemap(
  body: Buffer | string,
  options: SitemapOptions = {},
): Promise<ParsedSitemap> {
  const maxUrls = options.maxUrls ?? SITEMAP_MAX_URLS;
  const maxBytes = options.maxBytes ?? SITEMAP_MAX_BYTES;
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : await gunzipIfNeeded(body, maxBytes);
  const text = typeof body === 'string' ? body : decodeBody(raw, options.contentType).text;
  if (!/^\s*</.test(text)) return parseText(text, maxUrls);
  let document: Record<string, unknown>;
  try {
    // `true` validates first: without it, truncated XML parses into half-built objects.
    document = parser.parse(text, true) as Record<string, unknown>;
  } catch (cause) {
    throw invalid('Sitemap is not well-formed XML', {}, cause);
  }
  const urlset = document.urlset as { url?: unknown[] } | '' | undefined;
  const index = document.sitemapindex as { sitemap?: unknown[] } | '' | undefined;
  if (urlset !== undefined) {
    const { entries, skipped, truncated } = collect((urlset || {}).url ?? [], maxUrls);
    return { kind: 'urlset', urls: entries, sitemaps: [], truncated, skipped };
  }
  if (index !== undefined) {
    const { entries, skipped, truncated } = collect((index || {}).sitemap ?? [], maxUrls);
    return { kind: 'sitemapindex', urls: [], sitemaps: entries, truncated, skipped };
  }
  const root = Object.keys(document).find((key) => !key.startsWith('?')) ?? '(none)';
  throw invalid(`Not a sitemap: root element is <${root}>`, { root });
}

/** Fetches one sitemap through the fetcher (SSRF guard, timeouts) and parses it. */
export async function fetchSitemap(
  fetcher: Fetcher,
  url: string,
  options: SitemapOptions = {},
): Promise<ParsedSitemap & { url: string; finalUrl: string }> {
  const maxBytes = options.maxBytes ?? SITEMAP_MAX_BYTES;
  const result = await fetcher.fetchPage(url, {
    accept: acceptSitemap,
    maxBytes,
    decode: false,
    signal: options.signal,
  });
  try {
    const parsed = await parseSitemap(result.body, {
      ...options,
      contentType: result.headers['content-type'],
    });
    return { ...parsed, url: result.url, finalUrl: result.finalUrl };
  } catch (error) {
    if (isFetchError(error)) error.details.url = result.finalUrl;
    throw error;
  }
}

/** Options of {@link collectSitemapUrls}. */
export interface CollectSitemapOptions extends SitemapOptions {
  /** Sitemap files fetched in all (indexes included). @default 100 */
  maxSitemaps?: number;
  /** Page URLs returned in all. @default 50000 */
  maxTotalUrls?: number;
  /** Index nesting followed (the protocol allows 1; some sites nest). @default 3 */
  maxDepth?: number;
}

export interface CollectedSitemaps {
  urls: SitemapEntry[];
  /** Sitemap files read. */
  visited: string[];
  /** Sitemaps that failed; the others are still read. */
  errors: { url: string; code: string; message: string }[];
  truncated: boolean;
}

/** Walks sitemaps and sitemap indexes breadth first from `roots` (e.g. robots.txt `Sitemap:` lines). */
export async function collectSitemapUrls(
  fetcher: Fetcher,
  roots: readonly string[],
  options: CollectSitemapOptions = {},
): Promise<CollectedSitemaps> {
  const maxSitemaps = options.maxSitemaps ?? 100;
  const maxTotalUrls = options.maxTotalUrls ?? SITEMAP_MAX_URLS;
  const maxDepth = options.maxDepth ?? 3;
  const queue = roots.map((url) => ({ url, depth: 0 }));
  const seen = new Set(roots);
  const out: CollectedSitemaps = { urls: [], visited: [], errors: [], truncated: false };
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (out.visited.length >= maxSitemaps || out.urls.length >= maxTotalUrls) {
      out.truncated = true;
      break;
    }
    out.visited.push(next.url);
    try {
      const parsed = await fetchSitemap(fetcher, next.url, options);
      out.truncated ||= parsed.truncated;
      const room = maxTotalUrls - out.urls.length;
      out.truncated ||= parsed.urls.length > room;
      out.urls.push(...parsed.urls.slice(0, room));
      for (const child of parsed.sitemaps) {
        if (next.depth + 1 > maxDepth || seen.has(child.url)) continue;
        seen.add(child.url);
        queue.push({ url: child.url, depth: next.depth + 1 });
      }
    } catch (error) {
      if (isFetchError(error, 'FETCH_ABORTED')) throw error;
      const code = isFetchError(error) ? error.code : 'INTERNAL';
      out.errors.push({
        url: next.url,
        code,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return out;
}
