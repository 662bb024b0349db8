import { ValidationError } from '../../core/errors.js';

/** Stable code of a rejected query-string or DSL query. */
export const QUERY_INVALID = 'QUERY_INVALID';

/** Where a query-string query went wrong: the character offset, the offending text and why. */
export interface QueryStringErrorDetails {
  /** Offset (UTF-16 code units, 0-based) into the query as typed. */
  position: number;
  token: string;
  reason: string;
}

/** Where a DSL query went wrong: the JSON pointer of the offending node and why. */
export interface DslErrorDetails {
  /** JSON pointer (RFC 6901) of the offending node, e.g. `/bool/must/0/script`; `""` is the root. */
  path: string;
  reason: string;
}

/** A query-string query that cannot be run; `details` names the offending part. */
export function queryStringError(reason: string, position: number, token: string): ValidationError {
  const details: QueryStringErrorDetails = { position, token, reason };
  return new ValidationError(
    `Invalid query at position ${position} ("${token}"): ${reason}`,
    details,
    QUERY_INVALID,
  );
}

/** A DSL query that the allow-list refuses; `code` is `QUERY_INVALID` or `RULE_INVALID`. */
export function dslError(reason: string, path: string, code = QUERY_INVALID): ValidationError {
  const details: DslErrorDetails = { path, reason };
  return new ValidationError(`Invalid query at "${path}": ${reason}`, details, code);
}
