/**
 * Field builders and the field groups that pages, ads and rules share. The rules index must map every
 * field a rule may query with the very same definition (the percolator parses queries against it), so
 * those groups live here and `mergeProperties` refuses two different definitions of one name.
 */
import { ANALYZERS, NORMALIZERS } from '../analyzers/analysis.js';
import { NonRetryableError } from '../core/errors.js';
import { canonicalJson, type FieldMapping, type Properties } from './definition.js';

/** Longest URL kept as a searchable term; longer values stay in `_source` only. */
export const MAX_URL_TERM_LENGTH = 4096;

export const keyword = (): FieldMapping => ({ type: 'keyword' });
export const urlKeyword = (): FieldMapping => ({ type: 'keyword', ignore_above: MAX_URL_TERM_LENGTH });
export const lowercaseKeyword = (): FieldMapping => ({ type: 'keyword', normalizer: NORMALIZERS.lowercase });
/** USCC, licence and ICP numbers, phones: `渝ICP备12345678号-1` and `渝icp备 12345678号1` are one term. */
export const identifier = (): FieldMapping => ({ type: 'keyword', normalizer: NORMALIZERS.identifier });
export const date = (): FieldMapping => ({ type: 'date' });
export const integer = (): FieldMapping => ({ type: 'integer' });
export const long = (): FieldMapping => ({ type: 'long' });
export const float = (): FieldMapping => ({ type: 'float' });
export const boolean = (): FieldMapping => ({ type: 'boolean' });
export const object = (properties: Properties): FieldMapping => ({ properties });
export const nested = (properties: Properties): FieldMapping => ({ type: 'nested', properties });
/** Kept in `_source`, never indexed: free-form details whose keys we do not control. */
export const opaque = (): FieldMapping => ({ type: 'object', enabled: false });

/** Chinese and English text: the field runs `text_cjk`, its `.en` sub-field runs `text_en`. */
export const text = (extra: Properties = {}): FieldMapping => ({
  type: 'text',
  analyzer: ANALYZERS.textCjk,
  fields: { en: { type: 'text', analyzer: ANALYZERS.textEn }, ...extra },
});

/** Text that is also grouped or sorted on: adds a `.keyword` sub-field. */
export const textWithKeyword = (): FieldMapping => text({ keyword: { type: 'keyword', ignore_above: 512 } });

/** A host: a term on `example.com.cn` matches it and its sub-domains; `.keyword` holds the exact host. */
export const domain = (): FieldMapping => ({
  type: 'text',
  analyzer: ANALYZERS.domain,
  search_analyzer: ANALYZERS.domainSearch,
  fields: { keyword: lowercaseKeyword() },
});

/** A URL path: a term on `/shop` matches `/shop` and every path under it. */
export const urlPath = (): FieldMapping => ({
  type: 'text',
  analyzer: ANALYZERS.urlPath,
  search_analyzer: ANALYZERS.urlPathSearch,
});

/** Who watches the operator: the city bureau, its county bureau, field station and grid. */
export const jurisdiction = (): FieldMapping =>
  object({ city: keyword(), county: keyword(), station: keyword(), grid: keyword() });

/** Fields every crawled document (page or ad) carries. */
export function documentFields(): Properties {
  return {
    id: keyword(),
    operator_id: keyword(),
    jurisdiction: jurisdiction(),
    rule_hits: keyword(),
    first_seen: date(),
    last_seen: date(),
  };
}

/**
 * Merges property groups; the same name twice must carry the same definition, else this throws, so
 * pages, ads and rules cannot drift apart.
 */
export function mergeProperties(...groups: Properties[]): Properties {
  const merged: Properties = {};
  for (const group of groups) {
    for (const [name, field] of Object.entries(group)) {
      const existing = merged[name];
      if (existing && canonicalJson(existing) !== canonicalJson(field)) {
        throw new NonRetryableError(`Field "${name}" is defined twice with different mappings`, {
          code: 'MAPPING_DRIFT',
          details: { field: name },
        });
      }
      merged[name] = field;
    }
  }
  return merged;
}
