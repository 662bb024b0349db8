/**
 * Allow-list check of the engine query DSL power users write. Only the query types and parameters
 * below pass; everything else (script, script_score, function_score, percolate, more_like_this,
 * joins, geo, query_string, wrapper, terms lookup, unknown keys such as `_source`) is refused with
 * the JSON pointer of the offending node.
 */
import { ANALYZERS } from '../../analyzers/analysis.js';
import {
  fieldCatalog,
  resolveField,
  stripBoost,
  type FieldCatalog,
  type QueryTarget,
} from './field-catalog.js';
import type { EngineQuery } from './query-compiler.js';
import { dslError, QUERY_INVALID } from './query-error.js';

/** Most query clauses in one DSL query. */
export const MAX_DSL_CLAUSES = 256;
/** Deepest nesting of compound queries. */
export const MAX_DSL_DEPTH = 16;
/** Most values of one `terms` or `ids` query. */
export const MAX_TERMS_VALUES = 1_000;
/** Longest `regexp` pattern. */
export const MAX_REGEXP_CHARS = 100;
/** Longest phrase slop. */
export const MAX_DSL_SLOP = 50;
/** Longest string value anywhere in a query. */
export const MAX_VALUE_CHARS = 1_000;

/** Options of `validateDsl`. */
export interface ValidateDslOptions {
  /** Error code of a refusal: `RULE_INVALID` when saving a rule. @default 'QUERY_INVALID' */
  code?: string;
}

type Json = Record<string, unknown>;
type ParamCheck = (value: unknown, path: string) => void;

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

const REGEXP_FLAGS = new Set(['NONE', 'EMPTY', 'INTERVAL']);
const ANALYZER_NAMES = new Set<string>(Object.values(ANALYZERS));

const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Validator {
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

const common = (v: Validator): Record<string, ParamCheck> => ({ boost: v.num, _name: v.str });

function checkWildcardValue(v: Validator, name: string, value: unknown, path: string): void {
  const pattern = isObject(value) ? (value.value ?? value.wildcard) : value;
  if (typeof pattern !== 'string') v.fail('needs a pattern string', path);
  const kind = v.catalog.fields.get(name)?.kind;
  if (kind !== 'keyword' && (pattern.startsWith('*') || pattern.startsWith('?'))) {
    v.fail(`a leading wildcard is not allowed on text field "${name}"`, path);
  }
}

function checkRegexp(v: Validator, value: unknown, path: string): void {
  const pattern = isObject(value) ? value.value : value;
  if (typeof pattern !== 'string') v.fail('needs a pattern string', path);
  if (pattern.length > MAX_REGEXP_CHARS) v.fail(`regexp is longer than ${MAX_REGEXP_CHARS} characters`, path);
  if (pattern.startsWith('.*') && pattern.endsWith('.*'))
    v.fail('regexp may not start and end with ".*"', path);
  const flags = isObject(value) ? value.flags : undefined;
  if (flags === undefined) return;
  if (typeof flags !== 'string' || !flags.split('|').every((f) => REGEXP_FLAGS.has(f))) {
    v.fail(`flags are limited to ${[...REGEXP_FLAGS].join(', ')}`, pointer(path, 'flags'));
  }
}

const CHECKS: Record<string, (v: Validator, body: unknown, path: string) => void> = {
  bool: (v: Validator, b: unknown, p: string) =>
    v.params(
      b,
      p,
      {
        ...common(v),
        must: v.queries,
        should: v.queries,
        must_not: v.queries,
        filter: v.queries,
        minimum_should_match: v.numOrStr,
      },
      'bool',
    ),
  match: (v: Validator, b: unknown, p: string) =>
    v.fieldQuery(
      b,
      p,
      'match',
      {
        ...common(v),
        query: v.scalar,
        operator: v.oneOf('and', 'or', 'AND', 'OR'),
        minimum_should_match: v.numOrStr,
        zero_terms_query: v.oneOf('none', 'all'),
        fuzziness: v.oneOf('AUTO', '0', '1', '2'),
        analyzer: v.analyzer,
      },
      v.scalar,
    ),
  match_phrase: (v: Validator, b: unknown, p: string) =>
    v.fieldQuery(
      b,
      p,
      'match_phrase',
      { ...common(v), query: v.str, slop: v.slop, analyzer: v.analyzer },
      v.str,
    ),
  multi_match: (v: Validator, b: unknown, p: string) => {
    const o = v.params(
      b,
      p,
      {
        ...common(v),
        query: v.scalar,
        slop: v.slop,
        operator: v.oneOf('and', 'or', 'AND', 'OR'),
        minimum_should_match: v.numOrStr,
        tie_breaker: v.num,
        analyzer: v.analyzer,
        type: v.oneOf('best_fields', 'most_fields', 'cross_fields', 'phrase'),
        fields: (f, fp) => {
          if (!Array.isArray(f) || f.length === 0 || f.length > 20)
            v.fail('fields is an array of 1 to 20 names', fp);
          f.forEach((name, i) =>
            typeof name === 'string'
              ? v.field(stripBoost(name), pointer(fp, i))
              : v.fail('must be a field name', pointer(fp, i)),
          );
        },
      },
      'multi_match',
    );
    if (o.query === undefined || o.fields === undefined) v.fail('multi_match needs query and fields', p);
  },
  term: (v: Validator, b: unknown, p: string) =>
    v.fieldQuery(b, p, 'term', { ...common(v), value: v.scalar, case_insensitive: v.bool }, v.scalar),
  terms: (v: Validator, b: unknown, p: string) => {
    if (!isObject(b)) v.fail('terms takes an object', p);
    const fields = Object.keys(b).filter((k) => k !== 'boost' && k !== '_name');
    const [name] = fields;
    if (fields.length !== 1 || name === undefined) v.fail('terms names exactly one field', p);
    const at = pointer(p, name);
    v.field(name, at);
    const values = b[name];
    if (!Array.isArray(values)) v.fail('terms takes an array of values (terms lookup is not allowed)', at);
    if (values.length > MAX_TERMS_VALUES) v.fail(`more than ${MAX_TERMS_VALUES} values`, at);
    values.forEach((x, i) => v.scalar(x, pointer(at, i)));
    v.params(Object.fromEntries(Object.entries(b).filter(([k]) => k !== name)), p, common(v), 'terms');
  },
  range: (v: Validator, b: unknown, p: string) => {
    const [, value] = v.fieldQuery(
      b,
      p,
      'range',
      {
        ...common(v),
        gt: v.scalar,
        gte: v.scalar,
        lt: v.scalar,
        lte: v.scalar,
        format: v.str,
        time_zone: v.str,
      },
      () => v.fail('range takes an object of bounds', p),
    );
    if (!isObject(value) || !['gt', 'gte', 'lt', 'lte'].some((k) => k in value))
      v.fail('range needs a bound', p);
  },
  exists: (v: Validator, b: unknown, p: string) => {
    const o = v.params(
      b,
      p,
      {
        ...common(v),
        field: (f, fp) => (typeof f === 'string' ? v.field(f, fp) : v.fail('must be a field name', fp)),
      },
      'exists',
    );
    if (o.field === undefined) v.fail('exists needs field', p);
  },
  prefix: (v: Validator, b: unknown, p: string) =>
    v.fieldQuery(b, p, 'prefix', { ...common(v), value: v.str, case_insensitive: v.bool }, v.str),
  wildcard: (v: Validator, b: unknown, p: string) => {
    const [name, value] = v.fieldQuery(
      b,
      p,
      'wildcard',
      { ...common(v), value: v.str, wildcard: v.str, case_insensitive: v.bool },
      v.str,
    );
    checkWildcardValue(v, name, value, pointer(p, name));
  },
  regexp: (v: Validator, b: unknown, p: string) => {
    const [name, value] = v.fieldQuery(
      b,
      p,
      'regexp',
      {
        ...common(v),
        value: v.str,
        flags: v.str,
        case_insensitive: v.bool,
        max_determinized_states: (n, np) =>
          typeof n === 'number' && n >= 1 && n <= 10_000 ? undefined : v.fail('at most 10000', np),
      },
      v.str,
    );
    checkRegexp(v, value, pointer(p, name));
  },
  nested: (v: Validator, b: unknown, p: string) => {
    const o = v.params(
      b,
      p,
      {
        ...common(v),
        query: v.query,
        score_mode: v.oneOf('avg', 'max', 'min', 'sum', 'none'),
        ignore_unmapped: v.bool,
        path: (x, xp) =>
          typeof x === 'string' && v.catalog.nestedPaths.has(x) ? undefined : v.fail('not a nested path', xp),
      },
      'nested',
    );
    if (o.path === undefined || o.query === undefined) v.fail('nested needs path and query', p);
  },
  ids: (v: Validator, b: unknown, p: string) =>
    v.params(
      b,
      p,
      {
        ...common(v),
        values: (x, xp) => {
          if (!Array.isArray(x) || x.length > MAX_TERMS_VALUES)
            v.fail(`values is an array of at most ${MAX_TERMS_VALUES}`, xp);
          x.forEach((id, i) => v.str(id, pointer(xp, i)));
        },
      },
      'ids',
    ),
  constant_score: (v: Validator, b: unknown, p: string) => {
    const o = v.params(b, p, { ...common(v), filter: v.query }, 'constant_score');
    if (o.filter === undefined) v.fail('constant_score needs filter', p);
  },
  dis_max: (v: Validator, b: unknown, p: string) => {
    const o = v.params(
      b,
      p,
      {
        ...common(v),
        tie_breaker: v.num,
        queries: (x, xp) => (Array.isArray(x) ? v.queries(x, xp) : v.fail('must be an array of queries', xp)),
      },
      'dis_max',
    );
    if (o.queries === undefined) v.fail('dis_max needs queries', p);
  },
  match_all: (v: Validator, b: unknown, p: string) => v.params(b, p, common(v), 'match_all'),
  match_none: (v: Validator, b: unknown, p: string) => v.params(b, p, { _name: v.str }, 'match_none'),
};

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
