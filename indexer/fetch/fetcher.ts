import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import got, { type Request, type Response } from 'got';
import { config } from '../../core/config.js';
import { decodeBody } from './charset.js';
import { acceptPage, looksBinary, mimeTypeOf, type ContentTypeGate } from './content-type.js';
import { toFetchError } from './error-mapping.js';
import { FetchError } from './fetch-errors.js';
import type { Fetcher, FetcherOptions, FetchPageOptions, FetchResult, RedirectHop } from './fetch-types.js';
import { createSsrfGuard, defaultPort, type SsrfGuard } from './ssrf-guard.js';

export type { Fetcher, FetcherOptions, FetchPageOptions, FetchResult, RedirectHop } from './fetch-types.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ACCEPT_HEADER = 'text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5';

interface Settings {
  userAgent: string;
  totalTimeoutMs: number;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  accept: ContentTypeGate;
  guard: SsrfGuard;
  headers: Record<string, string>;
}

function settingsOf(options: FetcherOptions): Settings {
  const cfg = config();
  const totalTimeoutMs = options.totalTimeoutMs ?? cfg.CRAWL_TIMEOUT_MS;
  return {
    userAgent: options.userAgent ?? cfg.CRAWL_USER_AGENT,
    totalTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? Math.min(5000, totalTimeoutMs),
    responseTimeoutMs: options.responseTimeoutMs ?? totalTimeoutMs,
    maxBytes: options.maxBytes ?? cfg.CRAWL_MAX_BYTES,
    maxRedirects: options.maxRedirects ?? cfg.CRAWL_MAX_REDIRECTS,
    accept: options.accept ?? acceptPage,
    guard:
      options.guard ?? createSsrfGuard({ allowPrivate: cfg.CRAWL_ALLOW_PRIVATE, resolve: cfg.CRAWL_RESOLVE }),
    headers: options.headers ?? {},
  };
}

function parseUrl(input: string | URL, base?: URL): URL {
  try {
    const url = new URL(input, base);
    url.hash = '';
    return url;
  } catch (cause) {
    throw new FetchError('FETCH_BAD_URL', `Not a URL: ${String(input).slice(0, 200)}`, {
      details: { url: String(input).slice(0, 2000) },
      cause,
    });
  }
}

/** Headers as they came over the wire (got hides content-encoding/length once it decompresses). */
function wireHeaders(response: Response): Record<string, string> {
  const flat: Record<string, string> = {};
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    flat[name] = name in flat ? `${flat[name]}, ${value}` : value;
  }
  return flat;
}

/** Retry-After as milliseconds (seconds or an HTTP date), for the frontier's backoff. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function statusError(url: URL, response: Response): FetchError {
  const status = response.statusCode;
  const retryAfter = retryAfterMs(response.headers['retry-after']);
  return new FetchError('FETCH_HTTP_STATUS', `${url.href} answered ${status}`, {
    retryable: status >= 500 || status === 429,
    details: { url: url.href, status, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) },
  });
}

/** Creates a fetcher with its own connection pool (so one guard's validated sockets never serve another's requests). */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const settings = settingsOf(options);
  const agent = {
    http: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 256 }),
  };

  const fetchPage = async (input: string | URL, call: FetchPageOptions = {}): Promise<FetchResult> => {
    const started = performance.now();
    const fetchedAt = new Date().toISOString();
    const requested = parseUrl(input);
    const abort = linkAbort(call.signal, settings.totalTimeoutMs);
    const redirects: RedirectHop[] = [];
    let current = requested;
    try {
      for (;;) {
        settings.guard.checkUrl(current);
        const hop = await openHop(current, { call, signal: abort.signal, settings, agent });
        const next = nextHop(current, hop, redirects, settings.maxRedirects);
        if (!next) {
          const partial = { url: requested.href, finalUrl: current.href, redirects, fetchedAt };
          const result = await readResponse(hop, call, settings, partial);
          return { ...result, durationMs: performance.now() - started };
        }
        current = next;
      }
    } catch (error) {
      throw toFetchError(error, {
        url: current.href,
        cancelled: call.signal?.aborted === true,
        timedOut: abort.timedOut(),
        totalTimeoutMs: settings.totalTimeoutMs,
      });
    } finally {
      abort.dispose();
    }
  };

  return {
    fetchPage,
    userAgent: settings.userAgent,
    close: () => {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}

/**
 * One signal for the whole fetch: fires on the caller's signal or at the total deadline. Hand-made rather than
 * AbortSignal.any/timeout so the listener on a long-lived caller signal (a worker's shutdown signal) and the
 * timer are released as soon as the fetch ends.
 */
function linkAbort(
  caller: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; timedOut(): boolean; dispose(): void } {
  const controller = new AbortController();
  let expired = false;
  const onCallerAbort = (): void => controller.abort(caller?.reason);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`total timeout of ${timeoutMs} ms`));
  }, timeoutMs);
  if (caller?.aborted) controller.abort(caller.reason);
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

interface Hop {
  stream: Request;
  response: Response;
}

interface HopContext {
  call: FetchPageOptions;
  signal: AbortSignal;
  settings: Settings;
  agent: { http: http.Agent; https: https.Agent };
}

/** Sends one GET (no redirect following, no retries) and waits for the response headers. */
async function openHop(url: URL, { call, signal, settings, agent }: HopContext): Promise<Hop> {
  const headers: Record<string, string> = {
    accept: ACCEPT_HEADER,
    ...settings.headers,
    'user-agent': settings.userAgent,
  };
  if (call.etag) headers['if-none-match'] = call.etag;
  if (call.lastModified) headers['if-modified-since'] = call.lastModified;
  const stream = got.stream(url, {
    headers,
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    decompress: true,
    agent,
    signal,
    dnsLookup: settings.guard.lookupFor(defaultPort(url)),
    timeout: {
      lookup: settings.connectTimeoutMs,
      connect: settings.connectTimeoutMs,
      secureConnect: settings.connectTimeoutMs,
      response: settings.responseTimeoutMs,
    },
  });
  const response = await new Promise<Response>((resolve, reject) => {
    stream.once('response', resolve);
    stream.once('error', reject);
  });
  // Body errors reach the reader through the async iterator; this keeps a late one (after the reader has
  // finished or given up) from becoming an unhandled 'error' event.
  stream.on('error', () => undefined);
  return { stream, response };
}

/** The next URL when `hop` is a redirect to follow (recorded in `redirects`), `undefined` when it is the answer. */
function nextHop(current: URL, hop: Hop, redirects: RedirectHop[], maxRedirects: number): URL | undefined {
  const status = hop.response.statusCode;
  const location = hop.response.headers.location;
  if (!REDIRECT_STATUSES.has(status) || !location) return undefined;
  // The body of a redirect is never needed, and may be large.
  hop.stream.destroy();
  // Location arrives as latin1 from node's parser; servers send UTF-8.
  const next = parseUrl(Buffer.from(location, 'latin1').toString('utf8'), current);
  redirects.push({ url: current.href, status, location: next.href });
  const chain = [...redirects.map((entry) => entry.url), next.href];
  if (redirects.some((entry) => entry.url === next.href)) {
    throw new FetchError('FETCH_TOO_MANY_REDIRECTS', `Redirect loop back to ${next.href}`, {
      details: { url: redirects[0]?.url, reason: 'loop', chain },
    });
  }
  if (redirects.length > maxRedirects) {
    throw new FetchError(
      'FETCH_TOO_MANY_REDIRECTS',
      `More than ${maxRedirects} redirects from ${redirects[0]?.url}`,
      {
        details: { url: redirects[0]?.url, reason: 'limit', maxRedirects, chain },
      },
    );
  }
  return next;
}

type ResultHead = Pick<FetchResult, 'url' | 'finalUrl' | 'redirects' | 'fetchedAt'>;

/** Checks status, type and size of the final response and reads its body within the cap. */
async function readResponse(
  hop: Hop,
  call: FetchPageOptions,
  settings: Settings,
  head: ResultHead,
): Promise<Omit<FetchResult, 'durationMs'>> {
  const { stream, response } = hop;
  const url = new URL(head.finalUrl);
  const headers = wireHeaders(response);
  const contentType = mimeTypeOf(headers['content-type']);
  const common = {
    ...head,
    status: response.statusCode,
    headers,
    contentType,
    etag: headers.etag ?? call.etag,
    lastModified: headers['last-modified'] ?? call.lastModified,
    remoteAddress: response.ip,
  };
  if (response.statusCode === 304) {
    stream.destroy();
    const empty = { charset: 'utf-8', charsetSource: 'default' as const, text: '', body: Buffer.alloc(0) };
    return { ...common, ...empty, bytes: 0, truncated: false, notModified: true };
  }
  if (response.statusCode < 200 || response.statusCode > 299) {
    stream.destroy();
    throw statusError(url, response);
  }
  const accept = call.accept ?? settings.accept;
  if (!accept(contentType)) {
    stream.destroy();
    throw new FetchError('FETCH_CONTENT_TYPE', `${url.href} is ${contentType}, not a type this fetch reads`, {
      details: { url: url.href, contentType },
    });
  }
  const maxBytes = call.maxBytes ?? settings.maxBytes;
  const announced = Number(headers['content-length'] ?? Number.NaN);
  const { body, truncated } = await readBody(stream, url, {
    maxBytes,
    announced,
    truncate: call.truncate === true,
  });
  if (contentType === '' && looksBinary(body)) {
    throw new FetchError('FETCH_CONTENT_TYPE', `${url.href} has no Content-Type and looks binary`, {
      details: { url: url.href, contentType, reason: 'binary' },
    });
  }
  const decoded =
    call.decode === false
      ? { charset: 'utf-8', source: 'default' as const, text: '' }
      : decodeBody(body, headers['content-type']);
  return {
    ...common,
    charset: decoded.charset,
    charsetSource: decoded.source,
    text: decoded.text,
    body,
    bytes: body.length,
    truncated,
    notModified: false,
  };
}

/**
 * Reads the decompressed body, aborting as soon as it passes `maxBytes` (so a gzip bomb stops early too), or
 * before reading when the wire Content-Length already exceeds it.
 */
async function readBody(
  stream: Request,
  url: URL,
  limits: { maxBytes: number; announced: number; truncate: boolean },
): Promise<{ body: Buffer; truncated: boolean }> {
  const { maxBytes, announced, truncate } = limits;
  if (!truncate && announced > maxBytes) {
    stream.destroy();
    throw new FetchError('FETCH_TOO_LARGE', `${url.href} announces ${announced} bytes, over ${maxBytes}`, {
      details: { url: url.href, maxBytes, announcedBytes: announced },
    });
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (received + chunk.length > maxBytes) {
      if (!truncate) {
        throw new FetchError('FETCH_TOO_LARGE', `${url.href} is over ${maxBytes} bytes`, {
          details: { url: url.href, maxBytes, receivedBytes: received + chunk.length },
        });
      }
      chunks.push(chunk.subarray(0, maxBytes - received));
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    received += chunk.length;
  }
  return { body: Buffer.concat(chunks, received), truncated: false };
}
