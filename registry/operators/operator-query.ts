/** Search criteria for operators, turned into one engine query (always filtered by scope). */
import { z } from 'zod';
import type { Doc } from '../../engine/port.js';
import { scopeFilter } from '../scope.js';
import type { JurisdictionRef } from '../types.js';
import { normaliseHost, OPERATOR_STATUSES, OPERATOR_TYPES, RISK_TIERS } from './operator.schema.js';

const term = z.string().trim().min(1).max(300).optional();

/** What a search may ask for; every criterion given must hold. */
export const operatorSearchSchema = z
  .object({
    /** Free text over name, address and notes, plus an exact USCC, licence, ICP or host. */
    text: term,
    /** Words of the name (Chinese bigrams or English words), all required. */
    name: term,
    uscc: term,
    licence: term,
    icp: term,
    /** A host or a parent domain: `example.com.cn` finds `shop.example.com.cn`. */
    domain: term,
    type: z.enum(OPERATOR_TYPES as [string, ...string[]]).optional(),
    status: z.enum(OPERATOR_STATUSES as [string, ...string[]]).optional(),
    risk_tier: z.enum(RISK_TIERS as [string, ...string[]]).optional(),
    inspector_id: term,
    platform_id: term,
    from: z.number().int().min(0).max(9_999).default(0),
    size: z.number().int().min(1).max(1_000).default(50),
  })
  .strict();

export type OperatorSearch = z.input<typeof operatorSearchSchema>;
type ParsedSearch = z.output<typeof operatorSearchSchema>;

function freeText(text: string): Doc {
  return {
    bool: {
      should: [
        {
          multi_match: { query: text, fields: ['name^3', 'name.en^2', 'address', 'notes'], operator: 'and' },
        },
        { term: { uscc: text } },
        { term: { licence_numbers: text } },
        { term: { icp_numbers: text } },
        { match: { domains: text } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** The bool query for `criteria` inside `scope`, and the sort (relevance when text was given). */
export function buildOperatorQuery(
  criteria: ParsedSearch,
  scope: JurisdictionRef,
): { query: Doc; sort: unknown[] } {
  const must: Doc[] = [];
  const filter: Doc[] = [scopeFilter(scope)];
  if (criteria.text) must.push(freeText(criteria.text));
  if (criteria.name) must.push({ match: { name: { query: criteria.name, operator: 'and' } } });
  if (criteria.uscc) filter.push({ term: { uscc: criteria.uscc } });
  if (criteria.licence) filter.push({ term: { licence_numbers: criteria.licence } });
  if (criteria.icp) filter.push({ term: { icp_numbers: criteria.icp } });
  if (criteria.domain) {
    filter.push({ match: { domains: normaliseHost(criteria.domain) || criteria.domain.toLowerCase() } });
  }
  for (const field of ['type', 'status', 'risk_tier', 'inspector_id', 'platform_id'] as const) {
    const value = criteria[field];
    if (value) filter.push({ term: { [field]: value } });
  }
  const sort =
    must.length > 0 ? [{ _score: 'desc' }, { id: 'asc' }] : [{ 'name.keyword': 'asc' }, { id: 'asc' }];
  return { query: { bool: { must, filter } }, sort };
}
