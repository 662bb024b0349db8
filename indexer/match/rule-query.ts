/**
 * Turns a rule's query (query-string text or DSL JSON) into engine DSL. The query language lives in
 * `search/query/` (`toEngineQuery`); until it is there, only DSL JSON is accepted, with a small
 * deny-list (no scripts) — the engine then parses the query against the rules mapping when it is saved.
 */
import { ValidationError } from '../../core/errors.js';
import type { RuleTarget } from './rule.types.js';

export type EngineQuery = Record<string, unknown>;

/** Compiles an author's query for one target; throws ValidationError `RULE_INVALID` / `QUERY_INVALID`. */
export type QueryCompiler = (input: string | object, target: 'pages' | 'ads') => EngineQuery;

type ToEngineQuery = (
  input: string | object,
  target: 'pages' | 'ads',
  options?: { code?: string },
) => unknown;

let loaded: Promise<ToEngineQuery | undefined> | undefined;

/** `search/query`'s `toEngineQuery`, when that module exists. */
async function queryLanguage(): Promise<ToEngineQuery | undefined> {
  const specifier = '../../search/query/index.js';
  loaded ??= import(specifier).then(
    (module: { toEngineQuery?: ToEngineQuery }) => module.toEngineQuery,
    () => undefined,
  );
  return loaded;
}

const DENIED_KEYS = new Set(['script', 'script_score', 'function_score']);

function assertNoDeniedKeys(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoDeniedKeys(item, `${path}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    if (DENIED_KEYS.has(key)) {
      throw new ValidationError(
        `Rule query may not use "${key}"`,
        { path: `${path}.${key}` },
        'RULE_INVALID',
      );
    }
    assertNoDeniedKeys(inner, `${path}.${key}`);
  }
}

/** Without the query language: DSL JSON only, scripts refused. */
export const dslOnlyCompiler: QueryCompiler = (input) => {
  if (typeof input === 'string') {
    throw new ValidationError(
      'Query-string rules need the query language (search/query); send engine DSL JSON',
      { path: 'query' },
      'RULE_INVALID',
    );
  }
  assertNoDeniedKeys(input, 'query');
  return input as EngineQuery;
};

/** The compiler to use: the query language when present, else {@link dslOnlyCompiler}. */
export async function defaultQueryCompiler(): Promise<QueryCompiler> {
  const toEngineQuery = await queryLanguage();
  if (!toEngineQuery) return dslOnlyCompiler;
  return (input, target) => toEngineQuery(input, target, { code: 'RULE_INVALID' }) as EngineQuery;
}

/**
 * Compiles for a rule's target. A `both` rule must compile for pages and for ads; when the two forms
 * differ (a query string searches each target's own text fields) the stored query is either of them.
 */
export function compileForTarget(
  compile: QueryCompiler,
  input: string | object,
  target: RuleTarget,
): EngineQuery {
  if (target !== 'both') return compile(input, target);
  const pages = compile(input, 'pages');
  const ads = compile(input, 'ads');
  if (JSON.stringify(pages) === JSON.stringify(ads)) return pages;
  return { bool: { should: [pages, ads], minimum_should_match: 1 } };
}
