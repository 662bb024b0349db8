import { FetchError } from './fetch-errors.js';

/** What the fetcher knows when a request fails, to tell a deadline from a cancellation from a network fault. */
export interface FailureContext {
  url: string;
  /** The caller's signal fired: the fetch was cancelled, not broken. */
  cancelled: boolean;
  /** The total-time deadline of the whole fetch (all hops and the body) passed. */
  timedOut: boolean;
  totalTimeoutMs: number;
}

const DNS_FINAL = new Set(['ENOTFOUND', 'EAI_NONAME', 'ENODATA']);
const DNS_TRANSIENT = new Set(['EAI_AGAIN', 'EAI_FAIL', 'ESERVFAIL', 'ETIMEOUT']);
const TLS_PREFIXES = [
  'ERR_TLS',
  'ERR_SSL',
  'CERT_',
  'UNABLE_TO_',
  'DEPTH_ZERO_',
  'SELF_SIGNED_',
  'HOSTNAME_MISMATCH',
];

function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    if (typeof code === 'string') return code;
  }
  return '';
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/**
 * Maps anything a got request can throw to a {@link FetchError} with the right `retryable`. A FetchError raised
 * inside got (the SSRF lookup hook) is unwrapped from got's RequestError and returned as is.
 */
export function toFetchError(error: unknown, context: FailureContext): FetchError {
  if (error instanceof FetchError) return error;
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof FetchError) return cause;
  const { url } = context;
  if (context.cancelled) {
    return new FetchError('FETCH_ABORTED', `Fetch of ${url} was cancelled`, {
      details: { url },
      cause: error,
    });
  }
  if (context.timedOut) {
    return new FetchError('FETCH_TIMEOUT', `Fetch of ${url} took longer than ${context.totalTimeoutMs} ms`, {
      details: { url, phase: 'total', timeoutMs: context.totalTimeoutMs },
      cause: error,
    });
  }
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (nameOf(error) === 'TimeoutError') {
    const phase = (error as { event?: unknown }).event;
    return new FetchError('FETCH_TIMEOUT', `Fetch of ${url} timed out: ${message}`, {
      details: { url, phase: typeof phase === 'string' ? phase : 'unknown' },
      cause: error,
    });
  }
  if (DNS_FINAL.has(code) || DNS_TRANSIENT.has(code)) {
    return new FetchError('FETCH_DNS', `Cannot resolve the host of ${url}: ${code}`, {
      retryable: DNS_TRANSIENT.has(code),
      details: { url, cause: code },
      cause: error,
    });
  }
  if (code === 'ERR_INVALID_URL') {
    return new FetchError('FETCH_BAD_URL', `Bad URL ${url}`, { details: { url }, cause: error });
  }
  // A broken certificate or a malformed response will be the same next time; a dropped connection may not.
  const permanent = TLS_PREFIXES.some((prefix) => code.startsWith(prefix)) || code.startsWith('HPE_');
  return new FetchError('FETCH_CONNECTION', `Fetch of ${url} failed: ${message}`, {
    retryable: !permanent,
    details: { url, cause: code || nameOf(error) || 'unknown' },
    cause: error,
  });
}
