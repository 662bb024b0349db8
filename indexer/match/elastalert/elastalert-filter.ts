/**
 * ElastAlert2 `filter` lists as one Argus query. Query DSL clauses (term, terms, range, bool, match…)
 * are kept and later checked by the rule allow-list; `query_string` clauses (bare or in the old
 * `query: {query_string: …}` wrapper) are read as Argus query-string syntax, which shares terms,
 * "phrases", AND/OR/NOT and field:value with Lucene's.
 */
import { ValidationError } from '../../../core/errors.js';

export type DslQuery = Record<string, unknown>;

/** Compiles Argus query-string text to DSL for the rule's target (the rule repository's compiler). */
export type CompileString = (text: string) => Promise<DslQuery>;

/** The Argus query of an ElastAlert2 rule: query-string text when that is all it says, else DSL. */
export type ImportedQuery = string | DslQuery;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(message: string, path: string): ValidationError {
  return new ValidationError(`filter: ${message}`, { path }, 'RULE_INVALID');
}

/** `query_string` text of a clause, when the clause is one (either form). */
function queryStringOf(clause: Record<string, unknown>): string | undefined {
  const inner = isRecord(clause.query) && Object.keys(clause).length === 1 ? clause.query : clause;
  const qs = inner.query_string;
  if (Object.keys(inner).length !== 1 || !isRecord(qs)) return undefined;
  return typeof qs.query === 'string' ? qs.query : undefined;
}

/** Replaces query_string clauses anywhere inside a DSL clause by their compiled Argus form. */
async function convertClause(clause: unknown, path: string, compile: CompileString): Promise<unknown> {
  if (Array.isArray(clause)) {
    return Promise.all(clause.map((c, i) => convertClause(c, `${path}[${i}]`, compile)));
  }
  if (!isRecord(clause)) return clause;
  const text = queryStringOf(clause);
  if (text !== undefined) return compile(text);
  // Elasticsearch 1.x filters that ElastAlert rules still carry.
  if (Object.keys(clause).length === 1 && 'not' in clause) {
    const inner = isRecord(clause.not) && isRecord(clause.not.filter) ? clause.not.filter : clause.not;
    return { bool: { must_not: [await convertClause(inner, `${path}.not`, compile)] } };
  }
  if (Object.keys(clause).length === 1 && isRecord(clause.query) && !('query_string' in clause.query)) {
    return convertClause(clause.query, `${path}.query`, compile);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(clause)) {
    out[key] =
      key === 'bool' || isRecord(value) || Array.isArray(value)
        ? await convertClause(value, `${path}.${key}`, compile)
        : value;
  }
  return out;
}

/**
 * One Argus query from an ElastAlert2 `filter` (a list of clauses) and an optional top-level `query`
 * (Argus query-string text). A lone query_string stays text; anything else becomes
 * `bool.filter` of the clauses; no filter at all is `match_all`.
 */
export async function filterToQuery(
  filter: unknown,
  query: unknown,
  compile: CompileString,
): Promise<ImportedQuery> {
  const clauses: unknown[] =
    filter === undefined || filter === null ? [] : Array.isArray(filter) ? filter : [filter];
  if (query !== undefined && typeof query !== 'string')
    throw bad('a top-level query is query-string text', 'query');
  clauses.forEach((c, i) => {
    if (!isRecord(c)) throw bad(`clause ${i + 1} is not an object`, `filter[${i}]`);
  });
  const texts = clauses.map((c) => queryStringOf(c as Record<string, unknown>));
  if (clauses.length === 0) return query && query.trim() ? query : { match_all: {} };
  if (clauses.length === 1 && texts[0] !== undefined && !query) return texts[0];
  const converted = (await Promise.all(
    clauses.map((c, i) => convertClause(c, `filter[${i}]`, compile)),
  )) as DslQuery[];
  if (query && query.trim()) converted.push(await compile(query));
  return converted.length === 1 ? (converted[0] as DslQuery) : { bool: { filter: converted } };
}
