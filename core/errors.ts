/** Options every Argus error carries; `code` is the stable contract, it survives JSON. */
export interface AppErrorOptions {
  /** Stable string code, e.g. `FETCH_TIMEOUT`, `ENGINE_UNAVAILABLE`. */
  code: string;
  /** HTTP status the API answers with. @default 500 */
  httpStatus?: number;
  /** Whether trying again later may succeed. @default false */
  retryable?: boolean;
  /** Extra facts for the caller (never secrets). */
  details?: unknown;
  cause?: unknown;
}

/** The one base error of Argus. Match on `code`, not only `instanceof`: errors cross queues as JSON. */
export class AppError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(message: string, options: AppErrorOptions) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.httpStatus = options.httpStatus ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  toJSON(): { code: string; message: string; retryable: boolean; details?: unknown } {
    return { code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}

/** Trying again will not help: bad input, a 4xx, a refused address. */
export class NonRetryableError extends AppError {
  constructor(message: string, options: Omit<AppErrorOptions, 'retryable'>) {
    super(message, { ...options, retryable: false });
  }
}

/** Back off and try again: 429, 503, a timeout, a dropped connection. */
export class ThrottledError extends AppError {
  constructor(message: string, options: Omit<AppErrorOptions, 'retryable'>) {
    super(message, { httpStatus: 503, ...options, retryable: true });
  }
}

/** Input that fails validation; answered with 400 and the offending part in `details`. */
export class ValidationError extends NonRetryableError {
  constructor(message: string, details?: unknown, code = 'VALIDATION_FAILED') {
    super(message, { code, httpStatus: 400, details });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Reads `code`/`retryable` from an AppError or from its JSON form after a queue round-trip. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return 'INTERNAL';
}

export function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
}
