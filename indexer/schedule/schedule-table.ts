/**
 * The inspection frequency table: operator class and risk tier → days between inspections. It is policy
 * data the bureau edits and reviews like a rule pack, so it lives as a JSON file under `rules/`
 * (path in config `SCHEDULE_TABLE_PATH`), validated with zod on load; an env var cannot hold a table
 * readably, and a code change should not be needed to move "high risk" from 3 days to 2.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { config } from '../../core/config.js';
import { ValidationError } from '../../core/errors.js';
import type { Operator } from '../../registry/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const ruleSchema = z.object({
  label: z.string().min(1),
  when: z
    .object({
      source_focus: z.boolean().optional(),
      classification: z.array(z.string().min(1)).min(1).optional(),
      risk_tier: z
        .array(z.enum(['high', 'medium', 'low']))
        .min(1)
        .optional(),
      type: z
        .array(
          z.enum(['platform', 'third_party_shop', 'self_run_site', 'service_provider', 'access_provider']),
        )
        .min(1)
        .optional(),
    })
    .strict(),
  every_days: z.number().positive().max(366),
});

const tableSchema = z
  .object({
    description: z.string().optional(),
    rules: z.array(ruleSchema),
    default_every_days: z.number().positive().max(366),
    overdue_grace_days: z.number().min(0).max(366).default(1),
  })
  .strict();

export type ScheduleTable = z.infer<typeof tableSchema>;
export type ScheduleRule = z.infer<typeof ruleSchema>;

/** The operator fields the table reads. */
export type ScheduledOperator = Pick<Operator, 'id'> &
  Partial<
    Pick<Operator, 'classification' | 'risk_tier' | 'source_focus' | 'type' | 'inspection_frequency_days'>
  >;

/** Validates a parsed table; a bad one fails with `SCHEDULE_TABLE_INVALID` naming the path and problem. */
export function parseScheduleTable(value: unknown, source = 'schedule table'): ScheduleTable {
  const result = tableSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new ValidationError(
      `${source}: ${at}: ${issue?.message ?? 'invalid'}`,
      { source, path: at },
      'SCHEDULE_TABLE_INVALID',
    );
  }
  return result.data;
}

/** Reads and validates the table file. @default path config SCHEDULE_TABLE_PATH */
export async function loadScheduleTable(path = config().SCHEDULE_TABLE_PATH): Promise<ScheduleTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ValidationError(
      `Cannot read schedule table ${path}: ${(error as Error).message}`,
      { path },
      'SCHEDULE_TABLE_INVALID',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `${path}: not JSON: ${(error as Error).message}`,
      { path },
      'SCHEDULE_TABLE_INVALID',
    );
  }
  return parseScheduleTable(parsed, path);
}

function matches(rule: ScheduleRule, op: ScheduledOperator): boolean {
  const { when } = rule;
  if (when.source_focus !== undefined && (op.source_focus ?? false) !== when.source_focus) return false;
  if (when.classification && !when.classification.includes(op.classification ?? '')) return false;
  if (when.risk_tier && !(op.risk_tier && when.risk_tier.includes(op.risk_tier))) return false;
  if (when.type && !(op.type && when.type.includes(op.type))) return false;
  return true;
}

/** Days between inspections of `op`, and which rule said so. */
export function inspectionInterval(
  table: ScheduleTable,
  op: ScheduledOperator,
): { days: number; rule: string } {
  const rule = table.rules.find((r) => matches(r, op));
  const fromTable = rule
    ? { days: rule.every_days, rule: rule.label }
    : { days: table.default_every_days, rule: 'default' };
  const own = op.inspection_frequency_days ?? 0;
  return own > 0 && own < fromTable.days ? { days: own, rule: 'operator' } : fromTable;
}

/** When the next inspection of `op` is due: one interval after the last, or at once if never inspected. */
export function nextDueAt(
  table: ScheduleTable,
  op: ScheduledOperator,
  lastInspectedAt: Date | null,
  createdAt?: Date,
): Date {
  if (!lastInspectedAt) return createdAt ?? new Date(0);
  return new Date(lastInspectedAt.getTime() + inspectionInterval(table, op).days * DAY_MS);
}

export type DueStatus = 'upcoming' | 'due' | 'overdue';

/** `due` from the due time for `overdue_grace_days`, then `overdue`. */
export function dueStatus(table: ScheduleTable, dueAt: Date, now: Date): DueStatus {
  if (dueAt.getTime() > now.getTime()) return 'upcoming';
  return now.getTime() - dueAt.getTime() > table.overdue_grace_days * DAY_MS ? 'overdue' : 'due';
}
