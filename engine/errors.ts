import { AppError, NonRetryableError, ThrottledError } from '../core/errors.js';

/** Stable codes of engine failures; callers match on these, never on messages. */
export const EngineErrorCode = {
  /** Connection refused, timeout, 502/503/504: retryable. */
  Unavailable: 'ENGINE_UNAVAILABLE',
  /** 429 (rejected execution, circuit breaker): retryable after backing off. */
  Throttled: 'ENGINE_THROTTLED',
  /** 409: someone wrote first (seq_no/primary_term guard, create on an existing id). */
  VersionConflict: 'ENGINE_VERSION_CONFLICT',
  /** 404: the index (or the document to update) does not exist. */
  NotFound: 'ENGINE_NOT_FOUND',
  /** 400: the engine refused the request; its root cause is in `details`. */
  BadRequest: 'ENGINE_BAD_REQUEST',
  /** Anything else: 401/403, 5xx, a server that is not the expected engine. */
  Error: 'ENGINE_ERROR',
} as const;

export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** What was being done, so the message says where it failed. */
export interface EngineErrorContext {
  operation: string;
  index?: string | string[];
}

/** One cause as the engine reports it. */
export interface EngineCause {
  type: string;
  reason: string;
}

/** `details` of an engine AppError: the engine's own words, never credentials. */
export interface EngineErrorDetails {
  operation: string;
  index?: string;
  status?: number;
  /** Type and reason of the most specific cause (first root cause). */
  type?: string;
  reason?: string;
  rootCause?: EngineCause[];
  causedBy?: EngineCause;
}

const UNAVAILABLE_NAMES = new Set(['ConnectionError', 'NoLivingConnectionsError', 'TimeoutError']);
const UNAVAILABLE_SYSCALL_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Removes `user:password@` from URLs and the value of Authorization headers. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@')
    .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer|apikey)\s+[^\s"',}]+/gi, '$1$2 ***');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function toCause(value: unknown): EngineCause | undefined {
  const record = asRecord(value);
  if (!record) return undefined;
  const type = typeof record.type === 'string' ? record.type : 'unknown';
  const reason = typeof record.reason === 'string' ? record.reason : '';
  return { type, reason: redactSecrets(reason) };
}

/** Reads `{ error: { type, reason, root_cause, caused_by } }` or `{ error: "text" }` from a response body. */
function describeBody(body: unknown): Pick<EngineErrorDetails, 'type' | 'reason' | 'rootCause' | 'causedBy'> {
  const error = asRecord(body)?.error;
  if (typeof error === 'string') return { reason: redactSecrets(error) };
  if (typeof body === 'string' && body.length > 0) return { reason: redactSecrets(body.slice(0, 500)) };
  const record = asRecord(error);
  if (!record) return {};
  const top = toCause(record);
  const rootCause = Array.isArray(record.root_cause)
    ? record.root_cause.map(toCause).filter((c): c is EngineCause => c !== undefined)
    : [];
  const first = rootCause[0] ?? top;
  return {
    type: first?.type,
    reason: first?.reason,
    rootCause: rootCause.length > 0 ? rootCause : undefined,
    causedBy: toCause(record.caused_by),
  };
}

function indexLabel(index: string | string[] | undefined): string | undefined {
  return Array.isArray(index) ? index.join(',') : index;
}

/** Turns an engine error response (status + body) into the AppError callers match on. */
export function engineErrorFromResponse(
  status: number,
  body: unknown,
  context: EngineErrorContext,
): AppError {
  const described = describeBody(body);
  const index = indexLabel(context.index);
  const details: EngineErrorDetails = { operation: context.operation, index, status, ...described };
  const where = index ? `${context.operation} on ${index}` : context.operation;
  const why = described.type
    ? `${described.type}: ${described.reason ?? ''}`
    : (described.reason ?? `HTTP ${status}`);
  const message = `Engine ${where} failed (${status}): ${why}`;
  if (status === 429) return new ThrottledError(message, { code: EngineErrorCode.Throttled, details });
  if (status === 408 || status === 502 || status === 503 || status === 504) {
    return new ThrottledError(message, { code: EngineErrorCode.Unavailable, details });
  }
  if (status === 409) {
    return new NonRetryableError(message, {
      code: EngineErrorCode.VersionConflict,
      httpStatus: 409,
      details,
    });
  }
  if (status === 404)
    return new NonRetryableError(message, { code: EngineErrorCode.NotFound, httpStatus: 404, details });
  if (status === 400 || status === 413) {
    return new NonRetryableError(message, { code: EngineErrorCode.BadRequest, httpStatus: 400, details });
  }
  return new NonRetryableError(message, { code: EngineErrorCode.Error, httpStatus: 500, details });
}

function syscallCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const record = asRecord(current);
    if (typeof record?.code === 'string' && UNAVAILABLE_SYSCALL_CODES.has(record.code)) return record.code;
    current = record?.cause;
  }
  return undefined;
}

/**
 * Maps whatever a client threw (OpenSearch or Elasticsearch client errors, fetch errors) to an AppError.
 * Both clients name their errors alike (`ResponseError` with `meta.statusCode`/`meta.body`, `ConnectionError`,
 * `TimeoutError`, `NoLivingConnectionsError`, `ProductNotSupportedError`), so one mapping serves both.
 * The client error is not kept as `cause`: its `meta` holds the request headers, credentials included.
 */
export function toEngineError(error: unknown, context: EngineErrorContext): AppError {
  if (error instanceof AppError) return error;
  const record = asRecord(error);
  const name = typeof record?.name === 'string' ? record.name : '';
  const text = redactSecrets(error instanceof Error ? error.message : String(error));
  const meta = asRecord(record?.meta);
  if (name === 'ResponseError' && typeof meta?.statusCode === 'number') {
    return engineErrorFromResponse(meta.statusCode, meta.body, context);
  }
  const where = context.index ? `${context.operation} on ${indexLabel(context.index)}` : context.operation;
  const details: EngineErrorDetails = { operation: context.operation, index: indexLabel(context.index) };
  if (UNAVAILABLE_NAMES.has(name) || syscallCode(error) !== undefined) {
    return new ThrottledError(`Engine unreachable during ${where}: ${text}`, {
      code: EngineErrorCode.Unavailable,
      details,
    });
  }
  if (name === 'ProductNotSupportedError') {
    return new NonRetryableError(
      `Engine ${where} failed: the server is not Elasticsearch (set ENGINE=auto or ENGINE=opensearch)`,
      { code: EngineErrorCode.Error, details },
    );
  }
  return new NonRetryableError(`Engine ${where} failed: ${text}`, { code: EngineErrorCode.Error, details });
}
