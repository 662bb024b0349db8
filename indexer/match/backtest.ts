/**
 * Back-test: runs a rule's query (before it is saved) against the indexed pages and/or ads and says
 * what enabling it would do — hit count, sample hits with highlights, distribution per site and per
 * district (`jurisdiction.county`), the alerts it would create (distinct dedupe keys, minus those
 * already live for this rule) and the false positives marked on alerts of earlier versions of the rule.
 */
import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { Alert } from '../alert/alert.types.js';
import type { RuleRepository } from './rule.repository.js';
import type { RuleTarget } from './rule.types.js';

/** Options of {@link backtestRule}. */
export interface BacktestOptions {
  prefix: string;
  /** Compiles the query exactly as saving would (and refuses it the same way). */
  rules: RuleRepository;
  query: string | object;
  target: RuleTarget;
  /** The rule being edited, to count live alerts and earlier false positives. */
  ruleId?: string;
  /** @default 10 */
  sampleSize?: number;
  /** @default 20 */
  bucketSize?: number;
}

export interface BacktestSample {
  kind: 'page' | 'ad';
  id: string;
  url?: string;
  site?: string;
  highlight: Record<string, string[]>;
}

export interface Bucket {
  key: string;
  count: number;
}

export interface BacktestResult {
  total: number;
  samples: BacktestSample[];
  bySite: Bucket[];
  byDistrict: Bucket[];
  /** Distinct dedupe keys among the hits (one per document and owner). */
  distinctDedupeKeys: number;
  /** Of those, keys without a live (open/acknowledged) alert of this rule: new alerts on enabling. */
  alertsWouldCreate: number;
  falsePositives: {
    count: number;
    samples: Array<Pick<Alert, 'id' | 'doc_id' | 'url' | 'rule_version' | 'resolution_note'>>;
  };
}

const NO_DISTRICT = '(none)';
const HIGHLIGHT = {
  fields: {
    title: {},
    text: {},
    description: {},
    creative_text: {},
    image_alt: {},
    landing_title: {},
    landing_text: {},
  },
  fragment_size: 80,
  number_of_fragments: 3,
};

function buckets(aggs: Record<string, unknown> | undefined, name: string): Bucket[] {
  const agg = aggs?.[name] as { buckets?: Array<{ key: string; doc_count: number }> } | undefined;
  return (agg?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count }));
}

/** Runs the back-test; a bad query fails as saving would (`RULE_INVALID`, 400). */
export async function backtestRule(engine: EnginePort, options: BacktestOptions): Promise<BacktestResult> {
  const query = await options.rules.compile(options.query, options.target);
  const indices: string[] = [];
  if (options.target !== 'ads') indices.push(aliasName(options.prefix, 'pages'));
  if (options.target !== 'pages') indices.push(aliasName(options.prefix, 'ads'));
  const size = options.bucketSize ?? 20;
  const result = await engine.search<Record<string, unknown>>({
    index: indices,
    query,
    size: options.sampleSize ?? 10,
    trackTotalHits: true,
    highlight: HIGHLIGHT,
    source: ['id', 'url', 'site', 'sites', 'landing_url'],
    aggs: {
      by_site: { terms: { field: 'site', size } },
      by_district: { terms: { field: 'jurisdiction.county', size, missing: NO_DISTRICT } },
      docs: { cardinality: { field: 'id', precision_threshold: 40_000 } },
    },
  });
  const pagesIndex = aliasName(options.prefix, 'pages');
  const samples = result.hits.map((h): BacktestSample => {
    const s = h.source;
    const url = (s.url ?? s.landing_url) as string | undefined;
    const site = (s.site ?? (Array.isArray(s.sites) ? s.sites[0] : undefined)) as string | undefined;
    return {
      kind: h.index.startsWith(pagesIndex) ? 'page' : 'ad',
      id: h.id,
      ...(url ? { url } : {}),
      ...(site ? { site } : {}),
      highlight: h.highlight ?? {},
    };
  });
  const distinct = (result.aggregations?.docs as { value?: number } | undefined)?.value ?? result.total;
  const live = options.ruleId ? await liveAlerts(engine, options.prefix, options.ruleId) : 0;
  return {
    total: result.total,
    samples,
    bySite: buckets(result.aggregations, 'by_site'),
    byDistrict: buckets(result.aggregations, 'by_district'),
    distinctDedupeKeys: distinct,
    alertsWouldCreate: Math.max(0, distinct - live),
    falsePositives: options.ruleId ? await falsePositives(engine, options) : { count: 0, samples: [] },
  };
}

async function liveAlerts(engine: EnginePort, prefix: string, ruleId: string): Promise<number> {
  return engine.count(aliasName(prefix, 'alerts'), {
    bool: { filter: [{ term: { rule_id: ruleId } }, { terms: { status: ['open', 'acknowledged'] } }] },
  });
}

async function falsePositives(
  engine: EnginePort,
  options: BacktestOptions,
): Promise<BacktestResult['falsePositives']> {
  const result = await engine.search<Alert>({
    index: aliasName(options.prefix, 'alerts'),
    query: {
      bool: { filter: [{ term: { rule_id: options.ruleId } }, { term: { status: 'false_positive' } }] },
    },
    size: options.sampleSize ?? 10,
    sort: [{ resolved_at: 'desc' }],
    trackTotalHits: true,
    source: ['id', 'doc_id', 'url', 'rule_version', 'resolution_note'],
  });
  return { count: result.total, samples: result.hits.map((h) => h.source) };
}
