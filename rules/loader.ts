/**
 * The built-in rule pack: `rules/*.yaml`, each a list of rules. An entry carries either `query`
 * (engine DSL or query-string text) or `terms` (phrases on the text fields; a `both` rule of terms is
 * loaded as `<id>.pages` and `<id>.ads`, since pages and ads have different text fields).
 * An entry with a `schedule` is a scheduled rule (rules/scheduled-rules.yaml), evaluated over windows.
 * Loading is idempotent: rules are upserted by id, an unchanged rule is left alone, a changed pack
 * rule becomes the next version (history kept) and a user's enable/disable choice is preserved.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { RuleRepository } from '../indexer/match/rule.repository.js';
import { ruleInputSchema, type ParsedRuleInput, type Rule } from '../indexer/match/rule.types.js';

/** Folder of the built-in pack (this file's folder). */
export const BUILTIN_RULES_DIR = dirname(fileURLToPath(import.meta.url));

const packEntrySchema = ruleInputSchema
  .omit({ query: true })
  .extend({
    query: ruleInputSchema.shape.query.optional(),
    terms: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((e) => (e.query === undefined) !== (e.terms === undefined), {
    message: 'a pack rule has either `query` or `terms`',
  });

/**
 * Text fields `terms` are matched on, per target (main CJK-bigram fields: no stemming, no stop words).
 * An ad is judged with its landing page (落地页): a pop-up creative may show only an image and alt text.
 */
export const TERM_FIELDS = {
  pages: ['title', 'description', 'text'],
  ads: ['creative_text', 'image_alt', 'landing_title', 'landing_text'],
} as const;

/** `terms` as DSL for one target: any of the phrases on any of its text fields. */
export function termsQuery(terms: string[], target: 'pages' | 'ads'): Record<string, unknown> {
  const fields = [...TERM_FIELDS[target]];
  return {
    bool: {
      should: terms.map((term) => ({ multi_match: { query: term, type: 'phrase', fields } })),
      minimum_should_match: 1,
    },
  };
}

/** Reads and validates every `*.yaml` of `dir`; a bad file throws `RULE_PACK_INVALID` naming it. */
export async function readRulePack(dir: string = BUILTIN_RULES_DIR): Promise<ParsedRuleInput[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const rules: ParsedRuleInput[] = [];
  for (const file of files) {
    const parsed = z.array(packEntrySchema).safeParse(parseYaml(await readFile(join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new ValidationError(
        `Rule pack file ${file} is invalid`,
        { file, issues: parsed.error.issues },
        'RULE_PACK_INVALID',
      );
    }
    for (const entry of parsed.data) {
      const { terms, query, ...meta } = entry;
      if (query !== undefined || terms === undefined) {
        rules.push({ ...meta, query: query ?? '' });
        continue;
      }
      // A `terms` rule for both targets is two rules (`<id>.pages`, `<id>.ads`): their fields differ.
      const targets = meta.target === 'both' ? (['pages', 'ads'] as const) : [meta.target];
      for (const target of targets) {
        const id = meta.target === 'both' ? `${meta.id}.${target}` : meta.id;
        rules.push({ ...meta, id, target, query: termsQuery(terms, target) });
      }
    }
  }
  const ids = rules.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate)
    throw new ValidationError(
      `Rule ${duplicate} is defined twice in the pack`,
      { id: duplicate },
      'RULE_PACK_INVALID',
    );
  return rules;
}

/** What one load did. */
export interface RulePackReport {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** Options of {@link loadRulePack}. */
export interface LoadRulePackOptions {
  /** @default BUILTIN_RULES_DIR */
  dir?: string;
  /** Recorded as the author of pack versions. @default 'builtin-pack' */
  actor?: string;
}

const PACK_FIELDS = [
  'name',
  'description',
  'target',
  'severity',
  'category',
  'legal_basis',
  'owner',
  'scope',
  'tags',
  'schedule',
] as const;

function samePackContent(stored: Rule, next: Rule): boolean {
  return (
    PACK_FIELDS.every((k) => JSON.stringify(stored[k]) === JSON.stringify(next[k])) &&
    stored.query_source === next.query_source
  );
}

/** Upserts the pack into the rules index. Safe to run on every start. */
export async function loadRulePack(
  repository: RuleRepository,
  options: LoadRulePackOptions = {},
): Promise<RulePackReport> {
  const actor = options.actor ?? 'builtin-pack';
  const report: RulePackReport = { created: [], updated: [], unchanged: [] };
  for (const input of await readRulePack(options.dir)) {
    const current = await repository.get(input.id);
    if (!current) {
      await repository.create(input, { actor });
      report.created.push(input.id);
      continue;
    }
    const querySource = typeof input.query === 'string' ? input.query : JSON.stringify(input.query);
    const next: Rule = {
      ...current.rule,
      ...input,
      enabled: current.rule.enabled,
      query: await repository.compile(input.query, input.target),
      query_source: querySource,
    };
    if (samePackContent(current.rule, next)) {
      report.unchanged.push(input.id);
      continue;
    }
    await repository.replace(current, next, { actor, action: 'load' });
    report.updated.push(input.id);
  }
  return report;
}
