/**
 * The Argus query language: a query string inspectors type, or a JSON subset of the engine DSL for
 * power users; both become engine DSL the percolator and the search API accept. See
 * docs/query-syntax.md.
 */
import type { QueryTarget } from './field-catalog.js';
import { compileQuery, type EngineQuery } from './query-compiler.js';
import { parseQueryString } from './query-parser.js';
import { validateDsl, type ValidateDslOptions } from './dsl-validator.js';
import { dslError, QUERY_INVALID } from './query-error.js';

export {
  fieldCatalog,
  type FieldCatalog,
  type FieldInfo,
  type FieldKind,
  type QueryTarget,
} from './field-catalog.js';
export { compileQuery, hasCjk, hasLoneCjk, type EngineQuery } from './query-compiler.js';
export {
  parseQueryString,
  MAX_QUERY_CHARS,
  MAX_QUERY_CLAUSES,
  MAX_QUERY_DEPTH,
  type QueryNode,
  type ParseOptions,
} from './query-parser.js';
export {
  validateDsl,
  MAX_DSL_CLAUSES,
  MAX_DSL_DEPTH,
  MAX_TERMS_VALUES,
  MAX_REGEXP_CHARS,
  type ValidateDslOptions,
} from './dsl-validator.js';
export { QUERY_INVALID, type DslErrorDetails, type QueryStringErrorDetails } from './query-error.js';

/**
 * A query string (parsed and compiled) or a DSL object (checked against the allow-list), as engine
 * DSL for `target`. Throws a `ValidationError` (`QUERY_INVALID`, or `options.code` for DSL) naming
 * the offending part.
 */
export function toEngineQuery(
  input: string | object,
  target: QueryTarget,
  options: ValidateDslOptions = {},
): EngineQuery {
  if (typeof input === 'string') {
    try {
      return compileQuery(parseQueryString(input, { target }), target);
    } catch (error) {
      if (
        options.code &&
        typeof error === 'object' &&
        error !== null &&
        'code' in error &&
        error.code === QUERY_INVALID
      ) {
        Object.defineProperty(error, 'code', { value: options.code });
      }
      throw error;
    }
  }
  if (input === null || Array.isArray(input)) throw dslError('a query must be an object', '', options.code);
  return validateDsl(input, target, options);
}
