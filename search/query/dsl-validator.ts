/**
 * Allow-list check of the engine query DSL power users write. Only the query types and parameters
 * below pass; everything else (script, script_score, function_score, percolate, more_like_this,
 * joins, geo, query_string, wrapper, terms lookup, unknown keys such as `_source`) is refused with
 * the JSON pointer of the offending node.
 */
import { ANALYZERS } from '../../analyzers/analysis.js';
import { fieldCatalog, resolveField, type FieldCatalog, type QueryTarget } from './field-catalog.js';
import type { EngineQuery } from './query-compiler.js';
import { dslError, QUERY_INVALID } from './query-error.js';
import { CHECKS, isObject, pointer, type Json, type ParamCheck } from './dsl-checks.js';
import { MAX_DSL_CLAUSES, MAX_DSL_DEPTH, MAX_DSL_SLOP, MAX_VALUE_CHARS } from './dsl-checks.js';

export {
  MAX_DSL_CLAUSES,
  MAX_DSL_DEPTH,
  MAX_DSL_SLOP,
  MAX_REGEXP_CHARS,
  MAX_TERMS_VALUES,
  MAX_VALUE_CHARS,
} from './dsl-checks.js';

/** Options of `validateDsl`. */
export interface ValidateDslOptions {
  /** Error code of a refusal: `RULE_INVALID` when saving a rule. @default 'QUERY_INVALID' */
  code?: string;
}

const REFUSED: Record<string, string> = {
  script: 'scripts are not allowed',
  script_score: 'scripts are not allowed',
  function_score: 'function_score may run scripts; not allowed',
  terms_set: 'terms_set may run scripts; not allowed',
  percolate: 'percolate queries are not allowed inside a rule',
  more_like_this: 'more_like_this can read arbitrary documents; not allowed',
  has_child: 'join queries are not allowed',
  has_parent: 'join queries are not allowed',
  parent_id: 'join queries are not allowed',
  query_string: 'engine query_string is not allowed; use the Argus query-string syntax',
  simple_query_string: 'engine simple_query_string is not allowed; use the Argus query-string syntax',
  wrapper: 'wrapper queries hide their content; not allowed',
};

const ANALYZER_NAMES = new Set<string>(Object.values(ANALYZERS));

/** Walks one DSL query; the per-type checks live in dsl-checks.ts. */
export class Validator {
  private clauses = 0;

  constructor(
    readonly catalog: FieldCatalog,
    private readonly code: string,
  ) {}

  fail(reason: string, path: string): never {
    throw dslError(reason, path, this.code);
  }

  // Checkers of parameter values.
  readonly num: ParamCheck = (v, p) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail('must be a number', p);
  };
  readonly bool: ParamCheck = (v, p) => {
    if (typeof v !== 'boolean') this.fail('must be true or false', p);
  };
  readonly str: ParamCheck = (v, p) => {
    if (typeof v !== 'string') this.fail('must be a string', p);
    if (v.length > MAX_VALUE_CHARS) this.fail(`longer than ${MAX_VALUE_CHARS} characters`, p);
  };
  readonly scalar: ParamCheck = (v, p) => {
    if (typeof v === 'string') this.str(v, p);
    else if (typeof v !== 'number' && typeof v !== 'boolean')
      this.fail('must be a string, number or boolean', p);
  };
  readonly numOrStr: ParamCheck = (v, p) => (typeof v === 'number' ? this.num(v, p) : this.str(v, p));
  readonly slop: ParamCheck = (v, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_DSL_SLOP) {
      this.fail(`slop must be an integer from 0 to ${MAX_DSL_SLOP}`, p);
    }
  };
  readonly analyzer: ParamCheck = (v, p) => {
    if (typeof v !== 'string' || !ANALYZER_NAMES.has(v)) this.fail('unknown analyzer', p);
  };
  readonly oneOf =
    (...allowed: string[]): ParamCheck =>
    (v, p) => {
      if (typeof v !== 'string' || !allowed.includes(v)) this.fail(`must be one of ${allowed.join(', ')}`, p);
    };
  readonly query: ParamCheck = (v, p) => this.node(v, p, this.depth + 1);
  readonly queries: ParamCheck = (v, p) => {
    if (isObject(v)) this.node(v, p, this.depth + 1);
    else if (Array.isArray(v)) v.forEach((q, i) => this.node(q, pointer(p, i), this.depth + 1));
    else this.fail('must be a query or an array of queries', p);
  };

  private depth = 0;

  params(o: unknown, path: string, checks: Record<string, ParamCheck>, what: string): Json {
    if (!isObject(o)) this.fail(`${what} takes an object`, path);
    for (const [key, value] of Object.entries(o)) {
      const check = checks[key];
      if (!check) this.fail(`"${key}" is not allowed in ${what}`, pointer(path, key));
      check(value, pointer(path, key));
    }
    return o;
  }

  field(name: string, path: string): void {
    if (resolveField(this.catalog, name, false)) return;
    const alias = this.catalog.aliases.get(name);
    const hint = alias ? `; did you mean "${alias}"?` : '';
    this.fail(`unknown field "${name}" for ${this.catalog.target}${hint}`, path);
  }

  /** `{ type: { field: value | { ...params } } }`, the shape of match, term, prefix and friends. */
  fieldQuery(
    o: unknown,
    path: string,
    what: string,
    checks: Record<string, ParamCheck>,
    short: ParamCheck,
  ): [string, unknown] {
    if (!isObject(o)) this.fail(`${what} takes an object`, path);
    const keys = Object.keys(o);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined) this.fail(`${what} names exactly one field`, path);
    const at = pointer(path, name);
    this.field(name, at);
    const value = o[name];
    if (isObject(value)) this.params(value, at, checks, what);
    else short(value, at);
    return [name, value];
  }

  node(q: unknown, path: string, depth: number): void {
    if (!isObject(q)) this.fail('a query must be an object', path);
    const keys = Object.keys(q);
    const [type] = keys;
    if (keys.length !== 1 || type === undefined)
      this.fail('a query object has exactly one key, its type', path);
    if (depth > MAX_DSL_DEPTH) this.fail(`nesting is deeper than ${MAX_DSL_DEPTH}`, path);
    if (++this.clauses > MAX_DSL_CLAUSES) this.fail(`more than ${MAX_DSL_CLAUSES} clauses`, path);
    const saved = this.depth;
    this.depth = depth;
    try {
      this.typed(type, q[type], pointer(path, type));
    } finally {
      this.depth = saved;
    }
  }

  private typed(type: string, body: unknown, path: string): void {
    const refused = REFUSED[type] ?? (type.startsWith('geo_') ? 'geo queries are not allowed' : undefined);
    if (refused) this.fail(refused, path);
    const check = CHECKS[type];
    if (!check) this.fail(`query type "${type}" is not allowed`, path);
    check(this, body, path);
  }
}

/**
 * Checks a DSL query against the allow-list of query types, parameters, fields of `target` and
 * bounds. Returns it unchanged when it passes; otherwise throws a `ValidationError` (code
 * `QUERY_INVALID` or `options.code`) with `details: { path, reason }`, path a JSON pointer.
 */
export function validateDsl(
  json: unknown,
  target: QueryTarget,
  options: ValidateDslOptions = {},
): EngineQuery {
  new Validator(fieldCatalog(target), options.code ?? QUERY_INVALID).node(json, '', 1);
  return json as EngineQuery;
}
