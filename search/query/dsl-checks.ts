/** Per-type checks of the DSL allow-list (see dsl-validator.ts) and its bounds. */
import { stripBoost } from './field-catalog.js';
import type { Validator } from './dsl-validator.js';

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

export type Json = Record<string, unknown>;
export type ParamCheck = (value: unknown, path: string) => void;

const REGEXP_FLAGS = new Set(['NONE', 'EMPTY', 'INTERVAL']);

/** JSON pointer of `key` under `path` (RFC 6901 escapes). */
export const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** The allow-list: one check per permitted query type. */
export const CHECKS: Record<string, (v: Validator, body: unknown, path: string) => void> = {
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
