/** Errors of the registry stores; the API answers with their `httpStatus` and matches on `code`. */
import type { AppError } from '../core/errors.js';
import { errorCode, NonRetryableError, ValidationError } from '../core/errors.js';
import { EngineErrorCode } from '../engine/errors.js';
import type { RefreshPolicy } from '../engine/port.js';
import type { FieldProblem } from './jurisdictions/jurisdiction.rules.js';

/** Options every registry store takes. */
export interface RegistryStoreOptions {
  /** Index prefix (`INDEX_PREFIX`, or a test's random prefix). */
  prefix: string;
  /** Refresh after single writes, so the next search sees them. @default 'wait_for' */
  refresh?: RefreshPolicy;
}

/** Stable codes of registry errors. */
export const RegistryErrorCode = {
  NotFound: 'REGISTRY_NOT_FOUND',
  /** An id or unique key (USCC, username) that is already taken. */
  Exists: 'REGISTRY_EXISTS',
  /** Someone else wrote the record since the caller read it: reload and retry. */
  VersionConflict: 'REGISTRY_VERSION_CONFLICT',
  Invalid: 'REGISTRY_INVALID',
} as const;

/** A record that does not exist (404). */
export function notFound(kind: string, id: string): NonRetryableError {
  return new NonRetryableError(`No ${kind} "${id}"`, {
    code: RegistryErrorCode.NotFound,
    httpStatus: 404,
    details: { kind, id },
  });
}

/** An id or unique key already taken (409). */
export function alreadyExists(
  kind: string,
  field: string,
  value: string,
  cause?: unknown,
): NonRetryableError {
  return new NonRetryableError(`A ${kind} with ${field} "${value}" already exists`, {
    code: RegistryErrorCode.Exists,
    httpStatus: 409,
    details: { kind, field, value },
    cause,
  });
}

/** Input that fails validation: 400 with every problem (field and reason) in `details.problems`. */
export function invalid(kind: string, problems: FieldProblem[]): ValidationError {
  const summary = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
  return new ValidationError(`Invalid ${kind}: ${summary}`, { kind, problems }, RegistryErrorCode.Invalid);
}

/** Whether `error` is the engine's 409 on a guarded write or a create-only write. */
export function isEngineConflict(error: unknown): boolean {
  return errorCode(error) === EngineErrorCode.VersionConflict;
}

/** The engine's 409 on a guarded update, said in the registry's words (409, not retryable as is). */
export function staleWrite(kind: string, id: string, cause: unknown): AppError {
  return new NonRetryableError(
    `${kind} "${id}" was changed by someone else since it was read; reload it and apply the change again`,
    { code: RegistryErrorCode.VersionConflict, httpStatus: 409, details: { kind, id }, cause },
  );
}
