/**
 * One HTTP POST delivery with retries: exponential back-off on 5xx, 429, timeouts and connection
 * errors; no retry on other 4xx or on a refusal the channel's `judge` calls final. Shared by the
 * webhook, DingTalk and WeCom channels. A target whose address the SSRF guard refuses (a channel
 * pointed at 127.0.0.1, 10.x or a cloud metadata endpoint, directly or through DNS) is a final
 * `SSRF_BLOCKED` refusal: nothing is sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { got, RequestError, type Response } from 'got';
import { config } from '../core/config.js';
import { isAppError } from '../core/errors.js';
import { createSsrfGuard, defaultPort, type SsrfGuard } from '../indexer/fetch/ssrf-guard.js';

/** Retry and timeout settings of an HTTP delivery. */
export interface HttpDeliveryOptions {
  /** Tries in all, the first included. @default config NOTIFY_ATTEMPTS */
  attempts?: number;
  /** Wait before the second try; doubles each time (with ±20 % jitter). @default config NOTIFY_BACKOFF_MS */
  backoffMs?: number;
  /** Per-request timeout. @default config NOTIFY_TIMEOUT_MS */
  timeoutMs?: number;
  /** Non-public addresses a target may have (SSRF guard allow-list). @default config NOTIFY_ALLOW_PRIVATE */
  allowPrivate?: string | readonly string[];
}

/** The request of one attempt; built per attempt so signatures carry a fresh timestamp. */
export interface HttpRequestSpec {
  url: string;
  body: string;
  headers?: Record<string, string>;
}

/** A channel's reading of a 2xx answer: delivered, or refused (retryable or not) with a code. */
export type Verdict = { ok: true } | { ok: false; retryable: boolean; error: string };

export interface HttpDeliveryOutcome {
  ok: boolean;
  attempts: number;
  /** Whether the last failure was worth retrying (so exhaustion, not refusal). */
  retryable: boolean;
  error?: string;
}

export function resolveHttpOptions(options: HttpDeliveryOptions): Required<HttpDeliveryOptions> {
  return {
    attempts: options.attempts ?? config().NOTIFY_ATTEMPTS,
    backoffMs: options.backoffMs ?? config().NOTIFY_BACKOFF_MS,
    timeoutMs: options.timeoutMs ?? config().NOTIFY_TIMEOUT_MS,
    allowPrivate: options.allowPrivate ?? config().NOTIFY_ALLOW_PRIVATE,
  };
}

function judgeStatus(response: Response<string>): Verdict | undefined {
  const status = response.statusCode;
  if (status >= 200 && status < 300) return undefined;
  const retryable = status >= 500 || status === 429 || status === 408;
  return { ok: false, retryable, error: `HTTP_${status}: ${response.body.slice(0, 200)}` };
}

async function attemptOnce(
  spec: HttpRequestSpec,
  timeoutMs: number,
  guard: SsrfGuard,
  judge: (body: string) => Verdict,
): Promise<Verdict> {
  try {
    const url = new URL(spec.url);
    guard.checkUrl(url);
    const response = await got.post(url, {
      body: spec.body,
      headers: { 'content-type': 'application/json; charset=utf-8', ...spec.headers },
      timeout: { request: timeoutMs },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      dnsLookup: guard.lookupFor(defaultPort(url)),
    });
    return judgeStatus(response) ?? judge(response.body);
  } catch (error) {
    const refusal = guardRefusal(error);
    if (refusal) return { ok: false, retryable: false, error: refusal };
    const code = error instanceof RequestError ? error.code : 'ERR_REQUEST';
    return { ok: false, retryable: true, error: `${code}: ${(error as Error).message}` };
  }
}

/** `SSRF_BLOCKED: …` or `BAD_URL: …` when the guard (or URL parsing) refused the target, else undefined. */
function guardRefusal(error: unknown): string | undefined {
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_INVALID_URL') {
    return `BAD_URL: ${error.message}`;
  }
  // Raised in the guard's DNS lookup, got hands it over as the cause of its RequestError.
  const cause = error instanceof RequestError ? error.cause : error;
  if (!isAppError(cause)) return undefined;
  if (cause.code === 'FETCH_SSRF_BLOCKED') return `SSRF_BLOCKED: ${cause.message}`;
  if (cause.code === 'FETCH_BAD_URL') return `BAD_URL: ${cause.message}`;
  return undefined;
}

/**
 * POSTs `build(attempt)` until `judge` accepts the answer, a final refusal comes, or the tries
 * run out. Never throws.
 */
export async function deliverHttp(
  build: (attempt: number) => HttpRequestSpec,
  judge: (body: string) => Verdict,
  options: HttpDeliveryOptions = {},
): Promise<HttpDeliveryOutcome> {
  const { attempts, backoffMs, timeoutMs, allowPrivate } = resolveHttpOptions(options);
  const guard = createSsrfGuard({ allowPrivate });
  let last: Verdict = { ok: false, retryable: true, error: 'NOT_ATTEMPTED' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) {
      const jitter = 0.8 + Math.random() * 0.4;
      await sleep(Math.round(backoffMs * 2 ** (attempt - 2) * jitter));
    }
    last = await attemptOnce(build(attempt), timeoutMs, guard, judge);
    if (last.ok) return { ok: true, attempts: attempt, retryable: false };
    if (!last.retryable) return { ok: false, attempts: attempt, retryable: false, error: last.error };
  }
  return { ok: false, attempts, retryable: true, error: last.ok ? undefined : last.error };
}

/** Parses a robot's `{ errcode, errmsg }` answer: errcode 0 is delivered; `retryableCodes` are rate limits. */
export function judgeErrcode(body: string, retryableCodes: readonly number[]): Verdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, retryable: true, error: `BAD_RESPONSE: ${body.slice(0, 200)}` };
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const errcode = typeof record.errcode === 'number' ? record.errcode : Number.NaN;
  if (errcode === 0) return { ok: true };
  const errmsg = typeof record.errmsg === 'string' ? record.errmsg : '';
  return { ok: false, retryable: retryableCodes.includes(errcode), error: `ERRCODE_${errcode}: ${errmsg}` };
}
