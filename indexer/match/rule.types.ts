/** The rule model: zod schemas for what authors send and what the `rules` index stores. */
import { z } from 'zod';
import { scheduleSchema, type Schedule } from './scheduled/schedule.types.js';

export const RULE_TARGETS = ['pages', 'ads', 'both'] as const;
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export type RuleTarget = (typeof RULE_TARGETS)[number];
export type Severity = (typeof SEVERITIES)[number];
/** The kind of an indexed document a rule is matched against. */
export type DocKind = 'page' | 'ad';

/** Rule ids are stable slugs (`builtin.ad-law.absolute-terms`): they name alerts and versions. */
export const ruleIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,127}$/, 'lower-case letters, digits, ".", "_" and "-", at most 128');

const scopeSchema = z
  .object({
    city: z.string().min(1).optional(),
    county: z.string().min(1).optional(),
    station: z.string().min(1).optional(),
    grid: z.string().min(1).optional(),
  })
  .strict();

/** A query as its author wrote it: query-string text, or engine DSL JSON (one clause object). */
export const ruleQuerySchema = z.union([
  z.string().trim().min(1).max(10_000),
  z.record(z.string(), z.unknown()).refine((q) => Object.keys(q).length === 1, {
    message: 'a DSL query is an object with exactly one clause, e.g. {"match_phrase": {...}}',
  }),
]);

const ruleFields = {
  id: ruleIdSchema,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4_000).optional(),
  target: z.enum(RULE_TARGETS),
  query: ruleQuerySchema,
  severity: z.enum(SEVERITIES),
  category: z.string().trim().min(1).max(100),
  legal_basis: z.string().max(500).optional(),
  owner: z.string().max(200).optional(),
  scope: scopeSchema.optional(),
  enabled: z.boolean(),
  tags: z.array(z.string().min(1).max(100)).max(50),
  /** Present on scheduled rules (evaluated over time windows); absent on real-time (percolated) rules. */
  schedule: scheduleSchema.optional(),
};

/** What an author sends to create a rule. */
export const ruleInputSchema = z
  .object({ ...ruleFields, enabled: ruleFields.enabled.default(true), tags: ruleFields.tags.default([]) })
  .strict();

export type RuleInput = z.input<typeof ruleInputSchema>;
export type ParsedRuleInput = z.output<typeof ruleInputSchema>;

/** Fields an update may change (never `id`). */
export const rulePatchSchema = z.object(ruleFields).omit({ id: true }).partial().strict();
export type RulePatch = z.input<typeof rulePatchSchema>;

export type RuleScope = z.infer<typeof scopeSchema>;

/** A rule as stored: metadata, the compiled DSL in `query`, the author's form in `query_source`. */
export interface Rule {
  id: string;
  name: string;
  description?: string;
  target: RuleTarget;
  query: Record<string, unknown>;
  query_source: string;
  severity: Severity;
  category: string;
  legal_basis?: string;
  owner?: string;
  scope?: RuleScope;
  enabled: boolean;
  tags: string[];
  /** Scheduled rules only: the aggregate condition and its window (see scheduled/schedule.types.ts). */
  schedule?: Schedule;
  version: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** A stored rule with its concurrency token. */
export interface StoredRule {
  rule: Rule;
  seqNo: number;
  primaryTerm: number;
}

/** One entry of a rule's version history. */
export interface RuleVersion {
  id: string;
  rule_id: string;
  version: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'enable' | 'disable' | 'load' | 'recompile';
  changed_fields: string[];
  snapshot: Rule;
}

/** Targets whose rules apply to a document of this kind. */
export function targetsFor(kind: DocKind): RuleTarget[] {
  return kind === 'page' ? ['pages', 'both'] : ['ads', 'both'];
}
