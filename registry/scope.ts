/**
 * Jurisdiction scope: the one place that says what a node of the tree may see. Every listing of
 * operators, pages, ads, alerts, rules and evidence filters through {@link scopeFilter}; single
 * documents are checked with {@link refWithin}.
 */
import type { Doc } from '../engine/port.js';
import { JURISDICTION_LEVELS, type JurisdictionLevel, type JurisdictionRef } from './types.js';

/** Options of {@link scopeFilter}. */
export interface ScopeFilterOptions {
  /** Object field holding the document's `JurisdictionRef`. @default 'jurisdiction' */
  field?: string;
}

/** The deepest level set in `ref` (`grid` before `station` before `county` before `city`), if any. */
export function deepestLevel(ref: JurisdictionRef): JurisdictionLevel | undefined {
  for (let i = JURISDICTION_LEVELS.length - 1; i >= 0; i--) {
    const level = JURISDICTION_LEVELS[i] as JurisdictionLevel;
    if (ref[level]) return level;
  }
  return undefined;
}

/**
 * An engine filter matching exactly what `scope` may see: a scope whose deepest level is the city
 * sees everything (documents not yet linked to any operator included); a county, station or grid sees
 * documents with `jurisdiction.<level>` equal to its id. A missing or empty scope sees nothing
 * (fail closed), so a forgotten scope never leaks.
 */
export function scopeFilter(
  scope: JurisdictionRef | null | undefined,
  options: ScopeFilterOptions = {},
): Doc {
  const field = options.field ?? 'jurisdiction';
  const level = scope ? deepestLevel(scope) : undefined;
  if (!scope || !level) return { bool: { must_not: { match_all: {} } } };
  if (level === 'city') return { match_all: {} };
  return { term: { [`${field}.${level}`]: scope[level] } };
}

/** Whether a document at `ref` lies inside `scope`: the in-memory twin of {@link scopeFilter}. */
export function refWithin(
  ref: JurisdictionRef | null | undefined,
  scope: JurisdictionRef | null | undefined,
): boolean {
  const level = scope ? deepestLevel(scope) : undefined;
  if (!scope || !level) return false;
  if (level === 'city') return true;
  return ref?.[level] !== undefined && ref[level] === scope[level];
}

/** `query` restricted to `scope`: `bool { must: query, filter: scopeFilter(scope) }`. */
export function scopedQuery(
  query: Doc | undefined,
  scope: JurisdictionRef | null | undefined,
  options?: ScopeFilterOptions,
): Doc {
  return { bool: { must: query ?? { match_all: {} }, filter: scopeFilter(scope, options) } };
}
