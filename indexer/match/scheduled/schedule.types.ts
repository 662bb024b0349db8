/**
 * Scheduled rule types: a rule with a `schedule` is not percolated on ingest; the scheduled runner
 * evaluates it over closed time windows with engine aggregations (ElastAlert2's frequency, spike,
 * flatline, new_term and cardinality, over Argus pages and ads).
 */
import { z } from 'zod';
import { ValidationError } from '../../../core/errors.js';
import type { Properties } from '../../../mappings/definition.js';
import { adFields } from '../../../mappings/ads.mapping.js';
import { pageFields } from '../../../mappings/pages.mapping.js';

export const SCHEDULE_TYPES = ['frequency', 'spike', 'flatline', 'new_term', 'cardinality'] as const;
export type ScheduleType = (typeof SCHEDULE_TYPES)[number];

/** Date fields a window can be read on. */
export const TIME_FIELDS = ['fetched_at', 'first_seen', 'last_seen'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A duration in ms, from one minute to 90 days. */
const durationMs = z
  .number()
  .int()
  .min(MINUTE_MS, 'at least 60000 ms (one minute)')
  .max(90 * DAY_MS, 'at most 90 days');

const fieldName = z.string().min(1).max(200);

const common = {
  /** Window length; windows are aligned to multiples of it since the epoch (UTC). */
  timeframe_ms: durationMs,
  /** Group by this field (a keyword, number or date field of the target): one finding per value. */
  query_key: fieldName.optional(),
  /** Date field the window is read on. @default fetched_at (pages), last_seen (ads); first_seen for new_term */
  time_field: z.enum(TIME_FIELDS).optional(),
  /** After an alert for a group, further windows of that group stay silent this long. @default 0 */
  realert_ms: z
    .number()
    .int()
    .min(0)
    .max(90 * DAY_MS)
    .optional(),
};

const frequencySchema = z
  .object({ ...common, type: z.literal('frequency'), num_events: z.number().int().min(1).max(1_000_000) })
  .strict();

const spikeSchema = z
  .object({
    ...common,
    type: z.literal('spike'),
    /** cur ≥ ref × spike_height is a spike up; cur ≤ ref ÷ spike_height a spike down. */
    spike_height: z.number().gt(1, 'must be greater than 1').max(1_000_000),
    spike_type: z.enum(['up', 'down', 'both']).default('both'),
    /** Least hits in the current window for a spike to count. */
    threshold_cur: z.number().int().min(0).optional(),
    /** Least hits in the previous window for a spike to count. */
    threshold_ref: z.number().int().min(0).optional(),
  })
  .strict();

const flatlineSchema = z
  .object({
    ...common,
    type: z.literal('flatline'),
    /** Fewer than this many fetches (or content changes) in the window raises an alert. */
    threshold: z.number().int().min(1).max(1_000_000).default(1),
    /** `fetches`: pages fetched in the window; `changes`: new page versions in the window (pages only). */
    measure: z.enum(['fetches', 'changes']).default('fetches'),
    /** How far back a group must have been seen to be expected in the window. @default 7 days */
    lookback_ms: durationMs.default(7 * DAY_MS),
  })
  .strict();

const newTermSchema = z
  .object({
    ...common,
    type: z.literal('new_term'),
    /** The field whose new values are reported (e.g. `landing_domain.keyword`, `site`). */
    field: fieldName,
    /** A value is new when it did not occur in this long before the window. @default 30 days */
    lookback_ms: durationMs.default(30 * DAY_MS),
    /** Most new values reported per group and window. @default 100 */
    max_terms: z.number().int().min(1).max(1_000).default(100),
  })
  .strict();

const cardinalitySchema = z
  .object({
    ...common,
    type: z.literal('cardinality'),
    cardinality_field: fieldName,
    /** More distinct values than this raises an alert. */
    max_cardinality: z.number().int().min(0).optional(),
    /** Fewer distinct values than this raises an alert. */
    min_cardinality: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((s) => s.max_cardinality !== undefined || s.min_cardinality !== undefined, {
    message: 'a cardinality rule needs max_cardinality or min_cardinality',
    path: ['max_cardinality'],
  });

/** A rule's schedule: which aggregate condition, over which window. */
export const scheduleSchema = z.discriminatedUnion('type', [
  frequencySchema,
  spikeSchema,
  flatlineSchema,
  newTermSchema,
  cardinalitySchema,
]);

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
export type FrequencySchedule = z.output<typeof frequencySchema>;
export type SpikeSchedule = z.output<typeof spikeSchema>;
export type FlatlineSchedule = z.output<typeof flatlineSchema>;
export type NewTermSchedule = z.output<typeof newTermSchema>;
export type CardinalitySchedule = z.output<typeof cardinalitySchema>;

const AGGREGATABLE = new Set([
  'keyword',
  'date',
  'integer',
  'long',
  'float',
  'double',
  'boolean',
  'scaled_float',
]);

function collect(properties: Properties, prefix: string, out: Set<string>): void {
  for (const [name, field] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    if (field.type === 'nested') continue;
    if (field.properties) collect(field.properties, `${path}.`, out);
    if (field.type && AGGREGATABLE.has(field.type)) out.add(path);
    for (const [sub, subField] of Object.entries(field.fields ?? {})) {
      if (subField.type && AGGREGATABLE.has(subField.type)) out.add(`${path}.${sub}`);
    }
  }
}

let catalogue: Record<'pages' | 'ads', Set<string>> | undefined;

/** Fields a scheduled rule may group, count or read time on, per target (from the mappings). */
export function aggregatableFields(target: 'pages' | 'ads'): ReadonlySet<string> {
  if (!catalogue) {
    const pages = new Set<string>();
    const ads = new Set<string>();
    collect(pageFields(), '', pages);
    collect(adFields(), '', ads);
    catalogue = { pages, ads };
  }
  return catalogue[target];
}

/** The date field a schedule reads its window on. */
export function timeFieldOf(schedule: Schedule, target: 'pages' | 'ads'): TimeField {
  if (schedule.time_field) return schedule.time_field;
  if (schedule.type === 'new_term') return 'first_seen';
  return target === 'pages' ? 'fetched_at' : 'last_seen';
}

function invalid(path: string, message: string, extra: Record<string, unknown> = {}): ValidationError {
  return new ValidationError(`Rule is invalid: ${path}: ${message}`, { path, ...extra }, 'RULE_INVALID');
}

/**
 * Checks what zod cannot see alone: a scheduled rule targets pages or ads (not both), and every field
 * it names is an aggregatable field of that target. Throws `RULE_INVALID` naming the part.
 */
export function assertScheduleFits(schedule: Schedule, target: 'pages' | 'ads' | 'both'): void {
  if (target === 'both') throw invalid('target', 'a scheduled rule targets pages or ads, not both');
  const known = aggregatableFields(target);
  const named: Array<[string, string | undefined]> = [
    ['schedule.query_key', schedule.query_key],
    ['schedule.field', schedule.type === 'new_term' ? schedule.field : undefined],
    ['schedule.cardinality_field', schedule.type === 'cardinality' ? schedule.cardinality_field : undefined],
  ];
  for (const [path, field] of named) {
    if (field === undefined || known.has(field)) continue;
    const hint = known.has(`${field}.keyword`) ? `; did you mean "${field}.keyword"?` : '';
    throw invalid(path, `"${field}" is not a keyword, number or date field of ${target}${hint}`, {
      field,
    });
  }
  if (schedule.type === 'flatline' && schedule.measure === 'changes') {
    if (target !== 'pages') throw invalid('schedule.measure', 'content changes are measured on pages only');
    if ((schedule.query_key ?? 'site') !== 'site')
      throw invalid('schedule.query_key', 'a flatline on content changes groups by site');
  }
  if (
    schedule.type === 'cardinality' &&
    schedule.max_cardinality !== undefined &&
    schedule.min_cardinality !== undefined &&
    schedule.min_cardinality > schedule.max_cardinality
  ) {
    throw invalid('schedule.min_cardinality', 'must not exceed max_cardinality');
  }
}
