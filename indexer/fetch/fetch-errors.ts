import { AppError } from '../../core/errors.js';

/** Stable codes of the fetch stage; the frontier retries by `retryable`, never by parsing messages. */
export const FETCH_ERROR_CODES = [
  'FETCH_TIMEOUT',
  'FETCH_CONNECTION',
  'FETCH_DNS',
  'FETCH_HTTP_STATUS',
  'FETCH_TOO_LARGE',
  'FETCH_CONTENT_TYPE',
  'FETCH_TOO_MANY_REDIRECTS',
  'FETCH_SSRF_BLOCKED',
  'FETCH_BAD_URL',
  'FETCH_ABORTED',
  'ROBOTS_DISALLOWED',
  'SITEMAP_INVALID',
] as const;

export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** What every code means by default: whether a later attempt may succeed, and the HTTP status the API would use. */
const DEFAULTS: Record<FetchErrorCode, { retryable: boolean; httpStatus: number }> = {
  FETCH_TIMEOUT: { retryable: true, httpStatus: 504 },
  FETCH_CONNECTION: { retryable: true, httpStatus: 502 },
  FETCH_DNS: { retryable: false, httpStatus: 502 },
  FETCH_HTTP_STATUS: { retryable: false, httpStatus: 502 },
  FETCH_TOO_LARGE: { retryable: false, httpStatus: 502 },
  FETCH_CONTENT_TYPE: { retryable: false, httpStatus: 502 },
  FETCH_TOO_MANY_REDIRECTS: { retryable: false, httpStatus: 502 },
  FETCH_SSRF_BLOCKED: { retryable: false, httpStatus: 403 },
  FETCH_BAD_URL: { retryable: false, httpStatus: 400 },
  // The caller gave up (shutdown, job cancelled): the page itself may well be fine.
  FETCH_ABORTED: { retryable: true, httpStatus: 503 },
  ROBOTS_DISALLOWED: { retryable: false, httpStatus: 403 },
  SITEMAP_INVALID: { retryable: false, httpStatus: 502 },
};

/** Options of a {@link FetchError}; `retryable` overrides the code's default (e.g. a 503 is retryable, a 404 is not). */
export interface FetchErrorOptions {
  /** @default the code's default (timeouts and connection drops retry, the rest do not) */
  retryable?: boolean;
  /** Facts for the caller: `url`, `status`, `host`, `address`, `reason`, byte counts. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * A failed fetch. Match on `code` (see {@link FETCH_ERROR_CODES}); `retryable` tells the frontier whether to
 * schedule another attempt. `FETCH_HTTP_STATUS` carries `details.status` (and `details.retryAfterMs` when the
 * server sent Retry-After); `FETCH_SSRF_BLOCKED` carries `details.host`, `details.address`, `details.reason`.
 */
export class FetchError extends AppError {
  declare readonly code: FetchErrorCode;
  declare readonly details: Record<string, unknown>;

  constructor(code: FetchErrorCode, message: string, options: FetchErrorOptions = {}) {
    const defaults = DEFAULTS[code];
    super(message, {
      code,
      httpStatus: defaults.httpStatus,
      retryable: options.retryable ?? defaults.retryable,
      details: options.details ?? {},
      cause: options.cause,
    });
  }
}

export function isFetchError(error: unknown, code?: FetchErrorCode): error is FetchError {
  return error instanceof FetchError && (code === undefined || error.code === code);
}
