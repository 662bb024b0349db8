/**
 * `argus rules import file.yaml`: ElastAlert2 rules (one or many YAML documents) as Argus rules.
 * Types any, frequency, spike, flatline, new_term and cardinality are mapped; every field that is
 * not carried over is reported, by rule, in plain words. Rules are upserted by id
 * (`elastalert.<slug of name>`), so importing the same file again updates them.
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { errorCode } from '../../../core/errors.js';
import type { RuleRepository } from '../rule.repository.js';
import type { RuleInput, Severity } from '../rule.types.js';
import type { ScheduleInput } from '../scheduled/schedule.types.js';
import { TIME_FIELDS } from '../scheduled/schedule.types.js';
import { filterToQuery } from './elastalert-filter.js';
import { COMMON_KEYS, NOT_APPLICABLE, TYPE_KEYS } from './elastalert-keys.js';

/** A field of an ElastAlert2 rule that was not carried over, and why. */
export interface ImportIssue {
  field: string;
  reason: string;
}

/** One ElastAlert2 rule and what became of it. */
export interface ImportedRule {
  /** The rule's `name`, or `document N` when it has none. */
  source: string;
  elastalertType?: string;
  /** The Argus rule (absent when the rule cannot be mapped at all). */
  input?: RuleInput;
  unmapped: ImportIssue[];
  status: 'created' | 'updated' | 'valid' | 'failed';
  /** Why it was not (or would not be) saved. */
  error?: string;
}

/** Options of {@link importElastAlertRules}. */
export interface ElastAlertImportOptions {
  /** Validate and report only; nothing is saved. @default false */
  dryRun?: boolean;
  /** Recorded as the author of created or updated rules. @default 'elastalert-import' */
  actor?: string;
  /** Category of imported rules. @default 'imported' */
  category?: string;
}

const SCHEDULED = new Set(['frequency', 'spike', 'flatline', 'new_term', 'cardinality']);
const UNITS: Record<string, number> = {
  weeks: 604_800_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
  milliseconds: 1,
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{minutes: 5}` → ms; undefined when absent, an issue when malformed. */
function durationMs(value: unknown, field: string, issues: ImportIssue[]): number | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    issues.push({ field, reason: 'not a time ({minutes: 5}, {hours: 1}, …); ignored' });
    return undefined;
  }
  let ms = 0;
  for (const [unit, n] of Object.entries(value)) {
    const scale = UNITS[unit];
    if (scale === undefined || typeof n !== 'number') {
      issues.push({ field: `${field}.${unit}`, reason: 'unknown time unit; ignored' });
      continue;
    }
    ms += n * scale;
  }
  return Math.round(ms);
}

export function ruleIdFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `elastalert.${slug.length >= 3 ? slug : `rule-${hash}`}`;
}

function severityOf(priority: unknown): Severity {
  if (typeof priority !== 'number') return 'medium';
  return priority <= 1 ? 'critical' : priority === 2 ? 'high' : priority === 3 ? 'medium' : 'low';
}

function targetOf(index: unknown, issues: ImportIssue[]): 'pages' | 'ads' {
  const name = typeof index === 'string' ? index : '';
  if (/(^|[^a-z])ads?([^a-z]|$)/i.test(name)) return 'ads';
  if (!/pages?/i.test(name))
    issues.push({
      field: 'index',
      reason: `"${name || '(none)'}" is not an Argus index; the rule reads pages (use index: ads for ads)`,
    });
  return 'pages';
}

function firstOf(value: unknown, field: string, issues: ImportIssue[]): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || value.length === 0) return undefined;
  if (value.length > 1)
    issues.push({
      field,
      reason: `only one field is supported; kept "${String(value[0])}", dropped ${value.slice(1).map(String).join(', ')}`,
    });
  const first: unknown = value[0];
  if (Array.isArray(first)) {
    issues.push({ field, reason: 'composite fields are not supported; kept the first of them' });
    return typeof first[0] === 'string' ? first[0] : undefined;
  }
  return typeof first === 'string' ? first : undefined;
}

/** The schedule of a scheduled ElastAlert2 type; throws (plain words) when a required field is missing. */
function scheduleOf(type: string, doc: Record<string, unknown>, issues: ImportIssue[]): ScheduleInput {
  let timeframe = durationMs(doc.timeframe, 'timeframe', issues);
  if (timeframe === undefined && type === 'new_term') {
    timeframe = 3_600_000;
    issues.push({
      field: 'timeframe',
      reason: 'new_term has none in ElastAlert2; Argus checks closed one-hour windows',
    });
  }
  if (timeframe === undefined) throw new Error(`${type} needs a timeframe`);
  if (timeframe < 60_000) {
    issues.push({
      field: 'timeframe',
      reason: `${timeframe} ms is below Argus' one-minute window; one minute is used`,
    });
    timeframe = 60_000;
  }
  const common: Record<string, unknown> = { timeframe_ms: timeframe };
  const queryKey = firstOf(doc.query_key, 'query_key', issues);
  if (queryKey) common.query_key = queryKey;
  const realert = durationMs(doc.realert, 'realert', issues);
  if (realert !== undefined) common.realert_ms = realert;
  const ts = doc.timestamp_field;
  if (typeof ts === 'string' && ts !== '@timestamp') {
    if ((TIME_FIELDS as readonly string[]).includes(ts)) common.time_field = ts;
    else
      issues.push({
        field: 'timestamp_field',
        reason: `"${ts}" is not fetched_at, first_seen or last_seen; the default is used`,
      });
  }
  const pick = (...keys: string[]): Record<string, unknown> =>
    Object.fromEntries(keys.filter((k) => doc[k] !== undefined).map((k) => [k, doc[k]]));
  switch (type) {
    case 'frequency':
      if (doc.num_events === undefined) throw new Error('frequency needs num_events');
      return { ...common, type, ...pick('num_events') } as ScheduleInput;
    case 'spike':
      return {
        ...common,
        type,
        ...pick('spike_height', 'spike_type', 'threshold_ref', 'threshold_cur'),
      } as ScheduleInput;
    case 'flatline':
      return { ...common, type, ...pick('threshold') } as ScheduleInput;
    case 'new_term': {
      const field = firstOf(doc.fields, 'fields', issues) ?? queryKey;
      if (!field) throw new Error('new_term needs fields (or query_key)');
      const lookback = durationMs(doc.terms_window_size, 'terms_window_size', issues);
      delete common.query_key;
      if (queryKey && firstOf(doc.fields, 'fields', []) !== undefined) common.query_key = queryKey;
      return { ...common, type, field, ...(lookback ? { lookback_ms: lookback } : {}) } as ScheduleInput;
    }
    default:
      return {
        ...common,
        type,
        ...pick('cardinality_field', 'max_cardinality', 'min_cardinality'),
      } as ScheduleInput;
  }
}

function channelIssue(alert: unknown): { tags: string[]; issue?: ImportIssue } {
  const channels = (Array.isArray(alert) ? alert : alert === undefined ? [] : [alert]).map((a) =>
    isRecord(a) ? (Object.keys(a)[0] ?? '?') : String(a),
  );
  if (channels.length === 0) return { tags: [] };
  return {
    tags: channels.map((c) => `channel:${c}`),
    issue: {
      field: 'alert',
      reason: `channels ${channels.join(', ')} are not set per rule: Argus routes every alert by jurisdiction and severity to the channels configured in the notify stage (kept as tags)`,
    },
  };
}

/** Maps one parsed YAML document (pure apart from compiling query_string clauses). */
export async function mapElastAlertRule(
  doc: unknown,
  position: number,
  repository: Pick<RuleRepository, 'compile'>,
  category = 'imported',
): Promise<ImportedRule> {
  if (!isRecord(doc))
    return { source: `document ${position}`, unmapped: [], status: 'failed', error: 'not a YAML mapping' };
  const source = typeof doc.name === 'string' && doc.name.trim() ? doc.name.trim() : `document ${position}`;
  const type = typeof doc.type === 'string' ? doc.type : '';
  const unmapped: ImportIssue[] = [];
  const fail = (error: string): ImportedRule => ({
    source,
    elastalertType: type,
    unmapped,
    status: 'failed',
    error,
  });
  if (source.startsWith('document ')) return fail('it has no name');
  if (!(type in TYPE_KEYS))
    return fail(
      `type "${type || '(none)'}" has no Argus counterpart (any, frequency, spike, flatline, new_term, cardinality)`,
    );
  for (const key of Object.keys(doc)) {
    if (COMMON_KEYS.has(key) || TYPE_KEYS[type]?.includes(key)) continue;
    const known = NOT_APPLICABLE.find(([pattern]) => pattern.test(key));
    unmapped.push({
      field: key,
      reason: known
        ? known[1]
        : type === 'any' && ['timeframe', 'num_events', 'query_key', 'realert'].includes(key)
          ? 'not used by a real-time (any) rule: every matching page or ad is an alert, deduplicated per document'
          : 'not understood; ignored',
    });
  }
  const target = targetOf(doc.index, unmapped);
  const { tags, issue } = channelIssue(doc.alert);
  if (issue) unmapped.push(issue);
  try {
    const query = await filterToQuery(doc.filter, doc.query, (text) => repository.compile(text, target));
    const input: RuleInput = {
      id: ruleIdFor(source),
      name: source.slice(0, 200),
      ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
      target,
      query,
      severity: severityOf(doc.priority),
      category,
      ...(typeof doc.owner === 'string' ? { owner: doc.owner } : {}),
      enabled: doc.is_enabled !== false,
      tags: ['elastalert', ...tags],
      ...(SCHEDULED.has(type) ? { schedule: scheduleOf(type, doc, unmapped) } : {}),
    };
    return { source, elastalertType: type, input, unmapped, status: 'valid' };
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** Reads every YAML document of `text`; a YAML syntax error is one failed entry, naming the line. */
export function parseElastAlertYaml(text: string): unknown[] {
  return parseAllDocuments(text).flatMap((d) => {
    if ('errors' in d && d.errors.length > 0) {
      throw new Error(`YAML: ${d.errors[0]?.message ?? 'invalid'}`);
    }
    const value: unknown = d.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

/** Maps, validates and (unless `dryRun`) upserts every rule of an ElastAlert2 YAML text. */
export async function importElastAlertRules(
  repository: RuleRepository,
  text: string,
  options: ElastAlertImportOptions = {},
): Promise<ImportedRule[]> {
  const actor = options.actor ?? 'elastalert-import';
  const results: ImportedRule[] = [];
  const docs = parseElastAlertYaml(text);
  for (const [i, doc] of docs.entries()) {
    const mapped = await mapElastAlertRule(doc, i + 1, repository, options.category);
    if (!mapped.input) {
      results.push(mapped);
      continue;
    }
    try {
      await repository.validate(mapped.input, { actor });
      if (options.dryRun) {
        results.push(mapped);
        continue;
      }
      const { id, ...patch } = mapped.input;
      const current = await repository.get(id);
      if (current) await repository.update(id, patch, { actor });
      else await repository.create(mapped.input, { actor });
      results.push({ ...mapped, status: current ? 'updated' : 'created' });
    } catch (error) {
      const code = errorCode(error);
      results.push({
        ...mapped,
        status: 'failed',
        error: `${code ? `${code}: ` : ''}${(error as Error).message}`,
      });
    }
  }
  return results;
}

/** The import report as plain lines, one rule after another. */
export function formatImportReport(results: ImportedRule[], dryRun: boolean): string {
  const lines: string[] = [];
  for (const r of results) {
    const what = r.input
      ? `${r.input.id} (${r.elastalertType}, ${r.input.target})`
      : (r.elastalertType ?? '');
    const verdict =
      r.status === 'failed'
        ? `not imported: ${r.error ?? ''}`
        : r.status === 'valid'
          ? dryRun
            ? 'would be saved'
            : 'valid'
          : r.status;
    lines.push(`${r.status === 'failed' ? '✗' : '✓'} "${r.source}" → ${what}: ${verdict}`);
    const byReason = new Map<string, string[]>();
    for (const issue of r.unmapped)
      byReason.set(issue.reason, [...(byReason.get(issue.reason) ?? []), issue.field]);
    for (const [reason, fields] of byReason) lines.push(`    not mapped: ${fields.join(', ')}: ${reason}`);
  }
  const count = (s: ImportedRule['status']): number => results.filter((r) => r.status === s).length;
  lines.push(
    `${results.length} rules: created=${count('created')} updated=${count('updated')} ${dryRun ? `valid=${count('valid')} ` : ''}failed=${count('failed')}${dryRun ? ' (dry run: nothing saved)' : ''}`,
  );
  return lines.join('\n');
}
