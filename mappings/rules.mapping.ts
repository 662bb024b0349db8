import { adFields } from './ads.mapping.js';
import { defineIndex } from './definition.js';
import {
  boolean,
  date,
  float,
  integer,
  jurisdiction,
  keyword,
  long,
  mergeProperties,
  object,
  text,
  textWithKeyword,
} from './fields.js';
import { pageFields } from './pages.mapping.js';

/** Name of the percolator field holding a rule's query. */
export const RULE_QUERY_FIELD = 'query';

/**
 * `rules`: saved violation queries as percolator documents. The index also maps every page and ad
 * field (same definitions), because the percolator parses each query, and each percolated document,
 * against this mapping: a rule naming an unknown field is refused when saved.
 */
export const rulesDefinition = defineIndex(
  'rules',
  mergeProperties(pageFields(), adFields(), {
    [RULE_QUERY_FIELD]: { type: 'percolator' },
    name: textWithKeyword(),
    description: text(),
    /** `pages`, `ads` or both. */
    target: keyword(),
    severity: keyword(),
    category: keyword(),
    legal_basis: text(),
    owner: keyword(),
    /** Where the rule applies; an absent level means all of it. */
    scope: jurisdiction(),
    enabled: boolean(),
    tags: keyword(),
    /** Scheduled rules only (indexer/match/scheduled/schedule.types.ts); real-time rules have none. */
    schedule: object({
      type: keyword(),
      timeframe_ms: long(),
      query_key: keyword(),
      time_field: keyword(),
      realert_ms: long(),
      num_events: integer(),
      spike_height: float(),
      spike_type: keyword(),
      threshold_cur: integer(),
      threshold_ref: integer(),
      threshold: integer(),
      measure: keyword(),
      lookback_ms: long(),
      field: keyword(),
      max_terms: integer(),
      cardinality_field: keyword(),
      max_cardinality: integer(),
      min_cardinality: integer(),
    }),
    version: integer(),
    /** The query as its author wrote it (query-string text or DSL JSON); `query` holds the compiled form. */
    query_source: { type: 'keyword', index: false, doc_values: false },
    created_at: date(),
    created_by: keyword(),
    updated_at: date(),
    updated_by: keyword(),
  }),
);
