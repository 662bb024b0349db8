/**
 * Evaluates one scheduled rule over one window with engine aggregations (one search per rule, two
 * for a flatline on content changes) and returns its findings. Read-only: the runner turns findings
 * into alerts; a back-test can show them without raising any.
 */
import { NonRetryableError } from '../../../core/errors.js';
import type { Doc, EnginePort } from '../../../engine/port.js';
import { aliasName } from '../../../mappings/index.js';
import type { Rule } from '../rule.types.js';
import { iso, rangeFilter, type TimeWindow } from './schedule-window.js';
import {
  timeFieldOf,
  type CardinalitySchedule,
  type FlatlineSchedule,
  type FrequencySchedule,
  type NewTermSchedule,
  type Schedule,
  type SpikeSchedule,
} from './schedule.types.js';

/** One aggregate condition met in a window, for one group (or for all documents). */
export interface ScheduledFinding {
  groupField?: string;
  group?: string;
  /** Hits, fetches, changes or distinct values measured in the window. */
  count: number;
  /** Spike: hits of the previous window. */
  reference?: number;
  /** new_term: values first seen in the window. */
  terms?: string[];
  summary: string;
  /** One document of the group (site, host, operator, jurisdiction) for routing and dedupe. */
  sample?: Doc;
}

/** A scheduled rule: a rule whose `schedule` is set and whose target is one index. */
export type ScheduledRule = Rule & { schedule: Schedule; target: 'pages' | 'ads' };

export function isScheduledRule(rule: Rule): rule is ScheduledRule {
  return rule.schedule !== undefined && rule.target !== 'both';
}

/** Most groups one aggregation returns (sites, creatives, advertisers). */
export const MAX_GROUPS = 10_000;

const SAMPLE_SOURCE = [
  'id',
  'url',
  'host',
  'site',
  'operator_id',
  'jurisdiction',
  'landing_url',
  'landing_domain',
];

interface Bucket {
  key?: string;
  docCount: number;
  raw: Record<string, unknown>;
}

interface Context {
  engine: EnginePort;
  prefix: string;
  rule: ScheduledRule;
  window: TimeWindow;
  timeField: string;
}

function scopeFilters(rule: Rule): Doc[] {
  return Object.entries(rule.scope ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([level, value]) => ({ term: { [`jurisdiction.${level}`]: value } }));
}

function baseQuery(ctx: Context, fromMs: number, toMs: number): Doc {
  return {
    bool: {
      filter: [ctx.rule.query, ...scopeFilters(ctx.rule), rangeFilter(ctx.timeField, fromMs, toMs)],
    },
  };
}

function sampleAgg(timeField: string): Doc {
  return { top_hits: { size: 1, _source: SAMPLE_SOURCE, sort: [{ [timeField]: { order: 'desc' } }] } };
}

/** Terms buckets on `key`, or one bucket holding every document when there is no key. */
function groupAgg(key: string | undefined, aggs: Doc, minDocCount = 1): Doc {
  if (!key) return { filter: { match_all: {} }, aggs };
  return { terms: { field: key, size: MAX_GROUPS, min_doc_count: minDocCount }, aggs };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function bucketsOf(agg: unknown): Bucket[] {
  const record = asRecord(agg);
  const toBucket = (b: Record<string, unknown>, key?: string): Bucket => ({
    ...(key !== undefined ? { key } : {}),
    docCount: Number(b.doc_count ?? 0),
    raw: b,
  });
  if (!Array.isArray(record.buckets)) return [toBucket(record)];
  return (record.buckets as Array<Record<string, unknown>>).map((b) =>
    toBucket(b, typeof b.key_as_string === 'string' ? b.key_as_string : String(b.key)),
  );
}

const countOf = (bucket: Bucket, name: string): number => Number(asRecord(bucket.raw[name]).doc_count ?? 0);
const valueOf = (bucket: Bucket, name: string): number => Number(asRecord(bucket.raw[name]).value ?? 0);

function sampleOf(bucket: Bucket): Doc | undefined {
  const hits = asRecord(asRecord(bucket.raw.sample).hits).hits;
  const first = Array.isArray(hits) ? asRecord(hits[0])._source : undefined;
  return first ? asRecord(first) : undefined;
}

async function aggregate(ctx: Context, index: string, query: Doc, groups: Doc): Promise<Bucket[]> {
  const result = await ctx.engine.search({ index, query, size: 0, aggs: { groups }, trackTotalHits: false });
  return bucketsOf(result.aggregations?.groups);
}

function span(window: TimeWindow): string {
  return `[${iso(window.startMs)}, ${iso(window.endMs)})`;
}

function finding(
  ctx: Context,
  bucket: Bucket,
  count: number,
  summary: string,
  extra: Partial<ScheduledFinding> = {},
): ScheduledFinding {
  const groupField = ctx.rule.schedule.query_key;
  const sample = sampleOf(bucket);
  return {
    ...(groupField && bucket.key !== undefined ? { groupField, group: bucket.key } : {}),
    count,
    summary: `${bucket.key !== undefined ? `${bucket.key}: ` : ''}${summary} in ${span(ctx.window)}`,
    ...(sample ? { sample } : {}),
    ...extra,
  };
}

async function frequency(ctx: Context, s: FrequencySchedule): Promise<ScheduledFinding[]> {
  const { startMs, endMs } = ctx.window;
  const sub = { sample: sampleAgg(ctx.timeField) };
  const buckets = await aggregate(
    ctx,
    aliasName(ctx.prefix, ctx.rule.target),
    baseQuery(ctx, startMs, endMs),
    groupAgg(s.query_key, sub, s.num_events),
  );
  return buckets
    .filter((b) => b.docCount >= s.num_events)
    .map((b) => finding(ctx, b, b.docCount, `${b.docCount} hits ≥ ${s.num_events}`));
}

async function spike(ctx: Context, s: SpikeSchedule): Promise<ScheduledFinding[]> {
  const { startMs, endMs } = ctx.window;
  const refStartMs = startMs - s.timeframe_ms;
  const sub = {
    cur: { filter: rangeFilter(ctx.timeField, startMs, endMs) },
    ref: { filter: rangeFilter(ctx.timeField, refStartMs, startMs) },
    sample: sampleAgg(ctx.timeField),
  };
  const buckets = await aggregate(
    ctx,
    aliasName(ctx.prefix, ctx.rule.target),
    baseQuery(ctx, refStartMs, endMs),
    groupAgg(s.query_key, sub),
  );
  const found: ScheduledFinding[] = [];
  for (const b of buckets) {
    const cur = countOf(b, 'cur');
    const ref = countOf(b, 'ref');
    // As in ElastAlert2 without alert_on_new_data: no reference, no rate to compare with.
    if (ref === 0) continue;
    if (cur < (s.threshold_cur ?? 0) || ref < (s.threshold_ref ?? 0)) continue;
    const up = s.spike_type !== 'down' && cur >= ref * s.spike_height;
    const down = s.spike_type !== 'up' && cur <= ref / s.spike_height;
    if (!up && !down) continue;
    const ratio = `${up ? 'up' : 'down'} ×${(up ? cur / ref : ref / Math.max(cur, 1)).toFixed(2)}`;
    found.push(finding(ctx, b, cur, `${cur} hits against ${ref} before (${ratio})`, { reference: ref }));
  }
  return found;
}

async function flatline(ctx: Context, s: FlatlineSchedule): Promise<ScheduledFinding[]> {
  const { startMs, endMs } = ctx.window;
  const key = s.query_key ?? (ctx.rule.target === 'pages' ? 'site' : undefined);
  const keyed: Context = {
    ...ctx,
    rule: { ...ctx.rule, schedule: { ...s, ...(key ? { query_key: key } : {}) } },
  };
  const sub = {
    cur: { filter: rangeFilter(ctx.timeField, startMs, endMs) },
    sample: sampleAgg(ctx.timeField),
  };
  const seen = (
    await aggregate(
      keyed,
      aliasName(ctx.prefix, ctx.rule.target),
      baseQuery(ctx, startMs - s.lookback_ms, endMs),
      groupAgg(key, sub),
    )
  ).filter((b) => b.docCount > 0);
  if (s.measure === 'fetches') {
    return seen
      .map((b) => ({ b, n: countOf(b, 'cur') }))
      .filter(({ n }) => n < s.threshold)
      .map(({ b, n }) => finding(keyed, b, n, `${n} fetches < ${s.threshold}`));
  }
  const sites = seen.flatMap((b) => (b.key !== undefined ? [b.key] : []));
  if (sites.length === 0) return [];
  const versions = await aggregate(
    keyed,
    aliasName(ctx.prefix, 'page-versions'),
    { bool: { filter: [rangeFilter('fetched_at', startMs, endMs), { terms: { site: sites } }] } },
    groupAgg('site', {}),
  );
  const changes = new Map(versions.map((b) => [b.key, b.docCount]));
  return seen
    .map((b) => ({ b, n: changes.get(b.key) ?? 0 }))
    .filter(({ n }) => n < s.threshold)
    .map(({ b, n }) => finding(keyed, b, n, `${n} content changes < ${s.threshold}`));
}

async function newTerm(ctx: Context, s: NewTermSchedule): Promise<ScheduledFinding[]> {
  const { startMs, endMs } = ctx.window;
  const terms = {
    terms: { field: s.field, size: s.max_terms, order: { first: 'desc' } },
    aggs: { first: { min: { field: ctx.timeField } }, sample: sampleAgg(ctx.timeField) },
  };
  const buckets = await aggregate(
    ctx,
    aliasName(ctx.prefix, ctx.rule.target),
    baseQuery(ctx, startMs - s.lookback_ms, endMs),
    groupAgg(s.query_key, { terms }),
  );
  const found: ScheduledFinding[] = [];
  for (const group of buckets) {
    const fresh = bucketsOf(group.raw.terms).filter((t) => valueOf(t, 'first') >= startMs);
    if (fresh.length === 0) continue;
    const values = fresh.map((t) => t.key ?? '');
    if (s.query_key) {
      const summary = `new ${s.field}: ${values.join(', ')}`;
      found.push(finding(ctx, group, values.length, summary, { terms: values }));
      continue;
    }
    // No grouping: each new value is its own finding (a new advertiser domain is its own alert).
    for (const t of fresh) {
      const sample = sampleOf(t);
      found.push({
        groupField: s.field,
        group: t.key ?? '',
        count: t.docCount,
        terms: [t.key ?? ''],
        summary: `new ${s.field} ${t.key ?? ''} (not seen in the ${Math.round(s.lookback_ms / 86_400_000)} days before) in ${span(ctx.window)}`,
        ...(sample ? { sample } : {}),
      });
    }
  }
  return found;
}

async function cardinality(ctx: Context, s: CardinalitySchedule): Promise<ScheduledFinding[]> {
  const { startMs, endMs } = ctx.window;
  const sub = {
    distinct: { cardinality: { field: s.cardinality_field, precision_threshold: 3000 } },
    sample: sampleAgg(ctx.timeField),
  };
  const buckets = await aggregate(
    ctx,
    aliasName(ctx.prefix, ctx.rule.target),
    baseQuery(ctx, startMs, endMs),
    groupAgg(s.query_key, sub),
  );
  const found: ScheduledFinding[] = [];
  for (const b of buckets) {
    const n = valueOf(b, 'distinct');
    const field = s.cardinality_field;
    if (s.max_cardinality !== undefined && n > s.max_cardinality)
      found.push(finding(ctx, b, n, `${n} distinct ${field} > ${s.max_cardinality}`));
    else if (s.min_cardinality !== undefined && n < s.min_cardinality)
      found.push(finding(ctx, b, n, `${n} distinct ${field} < ${s.min_cardinality}`));
  }
  return found;
}

/** Findings of `rule` over `window`; nothing is written. */
export async function evaluateScheduledRule(
  engine: EnginePort,
  prefix: string,
  rule: Rule,
  window: TimeWindow,
): Promise<ScheduledFinding[]> {
  if (!isScheduledRule(rule)) {
    throw new NonRetryableError(`Rule ${rule.id} is not a scheduled rule`, {
      code: 'RULE_NOT_SCHEDULED',
      httpStatus: 400,
      details: { id: rule.id },
    });
  }
  const ctx: Context = { engine, prefix, rule, window, timeField: timeFieldOf(rule.schedule, rule.target) };
  const s = rule.schedule;
  switch (s.type) {
    case 'frequency':
      return frequency(ctx, s);
    case 'spike':
      return spike(ctx, s);
    case 'flatline':
      return flatline(ctx, s);
    case 'new_term':
      return newTerm(ctx, s);
    case 'cardinality':
      return cardinality(ctx, s);
  }
}
