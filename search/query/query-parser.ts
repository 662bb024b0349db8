/**
 * Recursive-descent parser of the inspectors' query-string syntax (see docs/query-syntax.md):
 *   query   := or EOF
 *   or      := and (OR and)*
 *   and     := unary ((AND)? unary)*          — juxtaposition means AND
 *   unary   := (NOT | - | !) unary | primary
 *   primary := '(' or ')' | field ':' (value | '(' or ')') | "phrase"(~N)? | word
 * Field names are resolved against the target's allow-list while parsing, so every error points at
 * the character where it starts.
 */
import {
  fieldCatalog,
  resolveField,
  type FieldCatalog,
  type FieldInfo,
  type QueryTarget,
} from './field-catalog.js';
import { queryStringError } from './query-error.js';
import { tokenize, type CompareOp, type Token } from './tokenizer.js';

/** Longest query string accepted. */
export const MAX_QUERY_CHARS = 1_000;
/** Most terms, phrases and ranges in one query string. */
export const MAX_QUERY_CLAUSES = 64;
/** Deepest nesting of parentheses and NOTs. */
export const MAX_QUERY_DEPTH = 16;

/** A node of the parsed query; leaves carry their offset in the input for later errors. */
export type QueryNode =
  | { type: 'and' | 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'term'; field?: string; value: string; pattern: string; wildcard: boolean; pos: number }
  | { type: 'phrase'; field?: string; value: string; slop?: number; pos: number }
  | { type: 'range'; field: string; bounds: Partial<Record<CompareOp, string>>; pos: number };

/** Options of `parseQueryString`. */
export interface ParseOptions {
  /** The index the query will run against; decides which fields exist. */
  target: QueryTarget;
}

const DATE_MATH = /^now([+-]\d+[yMwdhHms])*(\/[yMwdhHms])?$/;
const DATE_ISO = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

/** Whether `value` is a date the engine understands (ISO 8601 or `now` date math). */
export function isDateValue(value: string): boolean {
  if (DATE_MATH.test(value)) return true;
  return DATE_ISO.test(value) && !Number.isNaN(Date.parse(value.length === 7 ? `${value}-01` : value));
}

class Parser {
  private i = 0;
  private clauses = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly catalog: FieldCatalog,
  ) {}

  parse(): QueryNode {
    const node = this.or(0, undefined);
    const extra = this.tokens[this.i];
    if (extra) {
      const reason = extra.kind === 'rparen' ? 'this ")" has no matching "("' : 'unexpected token';
      throw queryStringError(reason, extra.pos, extra.text);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private or(depth: number, field: FieldInfo | undefined): QueryNode {
    const children = [this.and(depth, field)];
    while (this.peek()?.kind === 'or') {
      this.i++;
      children.push(this.and(depth, field));
    }
    return children.length === 1 && children[0] ? children[0] : { type: 'or', children };
  }

  private and(depth: number, field: FieldInfo | undefined): QueryNode {
    const children = [this.unary(depth, field)];
    for (let t = this.peek(); t && t.kind !== 'or' && t.kind !== 'rparen'; t = this.peek()) {
      if (t.kind === 'and') this.i++;
      children.push(this.unary(depth, field));
    }
    return children.length === 1 && children[0] ? children[0] : { type: 'and', children };
  }

  private unary(depth: number, field: FieldInfo | undefined): QueryNode {
    const t = this.peek();
    if (!t) {
      const last = this.tokens[this.i - 1];
      if (!last) throw queryStringError('the query is empty', 0, '');
      throw queryStringError(`"${last.text}" needs a term after it`, last.pos, last.text);
    }
    if (depth >= MAX_QUERY_DEPTH)
      throw queryStringError(`nesting is deeper than ${MAX_QUERY_DEPTH}`, t.pos, t.text);
    if (t.kind === 'not') {
      this.i++;
      return { type: 'not', child: this.unary(depth + 1, field) };
    }
    return this.primary(t, depth, field);
  }

  private primary(t: Token, depth: number, field: FieldInfo | undefined): QueryNode {
    this.i++;
    switch (t.kind) {
      case 'lparen':
        return this.group(t, depth, field);
      case 'field':
        return this.fielded(t, depth, field);
      case 'phrase':
        return this.phrase(t, field);
      case 'word':
        return this.term(t, field);
      case 'rparen':
        throw queryStringError('this ")" has no matching "("', t.pos, t.text);
      case 'range':
      case 'compare':
        throw queryStringError('a range needs a field, e.g. price:[0 TO 10]', t.pos, t.text);
      default:
        throw queryStringError(`"${t.text}" needs a term before it`, t.pos, t.text);
    }
  }

  private group(open: Token, depth: number, field: FieldInfo | undefined): QueryNode {
    if (this.peek()?.kind === 'rparen') throw queryStringError('empty parentheses', open.pos, '()');
    const node = this.or(depth + 1, field);
    const close = this.peek();
    if (close?.kind !== 'rparen') throw queryStringError('this "(" is never closed', open.pos, open.text);
    this.i++;
    return node;
  }

  private fielded(t: Token & { kind: 'field' }, depth: number, outer: FieldInfo | undefined): QueryNode {
    if (outer) throw queryStringError(`a field inside "${outer.name}:(...)"`, t.pos, t.text);
    const info = resolveField(this.catalog, t.name, true);
    if (!info) throw queryStringError(`unknown field "${t.name}" for ${this.catalog.target}`, t.pos, t.name);
    const value = this.tokens[this.i];
    this.i++;
    if (value?.kind === 'lparen') return this.group(value, depth, info);
    if (value?.kind === 'phrase') return this.phrase(value, info);
    if (value?.kind === 'word') return this.term(value, info);
    if (value?.kind === 'range') return this.range(value, value.bounds, info);
    if (value?.kind === 'compare') return this.range(value, { [value.op]: value.value }, info);
    throw queryStringError('a field needs a value', t.pos, t.text);
  }

  private count(t: Token): void {
    this.clauses++;
    if (this.clauses > MAX_QUERY_CLAUSES) {
      throw queryStringError(`more than ${MAX_QUERY_CLAUSES} terms`, t.pos, t.text);
    }
  }

  private phrase(t: Token & { kind: 'phrase' }, field: FieldInfo | undefined): QueryNode {
    this.count(t);
    if (t.value.trim() === '') throw queryStringError('the phrase is empty', t.pos, t.text);
    if (field) checkScalar(field, t.value, t);
    const slop = t.slop === undefined ? {} : { slop: t.slop };
    return { type: 'phrase', value: t.value, pos: t.pos, ...slop, ...(field ? { field: field.name } : {}) };
  }

  private term(t: Token & { kind: 'word' }, field: FieldInfo | undefined): QueryNode {
    this.count(t);
    if (t.wildcard) checkWildcard(field, t);
    else if (field) checkScalar(field, t.value, t);
    const node = {
      type: 'term' as const,
      value: t.value,
      pattern: t.pattern,
      wildcard: t.wildcard,
      pos: t.pos,
    };
    return field ? { ...node, field: field.name } : node;
  }

  private range(t: Token, bounds: Partial<Record<CompareOp, string>>, field: FieldInfo): QueryNode {
    this.count(t);
    if (field.kind !== 'number' && field.kind !== 'date') {
      throw queryStringError(`ranges work on number and date fields, not on "${field.name}"`, t.pos, t.text);
    }
    for (const value of Object.values(bounds)) checkScalar(field, value, t);
    return { type: 'range', field: field.name, bounds, pos: t.pos };
  }
}

function checkWildcard(field: FieldInfo | undefined, t: Token & { kind: 'word' }): void {
  if (field && (field.kind === 'keyword' || field.kind === 'domain')) return;
  const leading = t.value.startsWith('*') || t.value.startsWith('?');
  const where = field ? `"${field.name}" is a text field` : 'a term without a field searches text';
  const reason = leading
    ? `a leading wildcard is not allowed: ${where}`
    : `wildcards work only on keyword fields (e.g. site:, url:): ${where}`;
  throw queryStringError(reason, t.pos, t.text);
}

function checkScalar(field: FieldInfo, value: string, t: Token): void {
  if (field.kind === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    throw queryStringError(`"${field.name}" holds numbers, "${value}" is not one`, t.pos, t.text);
  }
  if (field.kind === 'date' && !isDateValue(value)) {
    throw queryStringError(
      `"${field.name}" holds dates (2026-01-01 or now-7d), "${value}" is not one`,
      t.pos,
      t.text,
    );
  }
  if (field.kind === 'boolean' && value !== 'true' && value !== 'false') {
    throw queryStringError(`"${field.name}" is true or false`, t.pos, t.text);
  }
}

/**
 * Parses a query string into an AST. Throws a `ValidationError` with code `QUERY_INVALID` and
 * `details: { position, token, reason }` for an empty or too long query, an unbalanced quote or
 * parenthesis, an unknown field, a misplaced wildcard, a bad value or too many clauses.
 */
export function parseQueryString(input: string, options: ParseOptions): QueryNode {
  if (input.length > MAX_QUERY_CHARS) {
    throw queryStringError(
      `the query is longer than ${MAX_QUERY_CHARS} characters`,
      MAX_QUERY_CHARS,
      input.slice(MAX_QUERY_CHARS, MAX_QUERY_CHARS + 20),
    );
  }
  const tokens = tokenize(input);
  if (tokens.length === 0) throw queryStringError('the query is empty', 0, input);
  return new Parser(tokens, fieldCatalog(options.target)).parse();
}
