/**
 * What the crawl last saw of each operator: its latest page fetch and how many of its pages carry rule
 * hits (open violations), in one aggregation over `pages` per batch of operators.
 */
import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';

export interface OperatorActivity {
  lastCrawledAt: Date | null;
  /** Pages of the operator with at least one rule hit. */
  openViolations: number;
}

/** Operators per aggregation request. */
const OPERATORS_PER_REQUEST = 1000;

interface ActivityBucket {
  key: string;
  last: { value: number | null };
  violations: { doc_count: number };
}

export async function operatorActivity(
  engine: EnginePort,
  prefix: string,
  operatorIds: readonly string[],
): Promise<Map<string, OperatorActivity>> {
  const pages = aliasName(prefix, 'pages');
  const out = new Map<string, OperatorActivity>();
  for (const id of operatorIds) out.set(id, { lastCrawledAt: null, openViolations: 0 });
  for (let i = 0; i < operatorIds.length; i += OPERATORS_PER_REQUEST) {
    const ids = operatorIds.slice(i, i + OPERATORS_PER_REQUEST);
    const result = await engine.search({
      index: pages,
      size: 0,
      query: { terms: { operator_id: ids } },
      aggs: {
        operators: {
          terms: { field: 'operator_id', size: ids.length },
          aggs: {
            last: { max: { field: 'fetched_at' } },
            violations: { filter: { exists: { field: 'rule_hits' } } },
          },
        },
      },
    });
    const buckets =
      (result.aggregations?.operators as { buckets?: ActivityBucket[] } | undefined)?.buckets ?? [];
    for (const bucket of buckets) {
      out.set(bucket.key, {
        lastCrawledAt: bucket.last.value === null ? null : new Date(bucket.last.value),
        openViolations: bucket.violations.doc_count,
      });
    }
  }
  return out;
}
