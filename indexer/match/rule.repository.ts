/**
 * Rules as percolator documents: create, update, enable/disable, get, list, version history. Every save
 * compiles and validates the query, stores the compiled DSL in the percolator field (the engine parses it
 * against the rules mapping, so an unknown field is refused too) and writes a `rule-versions` entry.
 * Updates are guarded by seq_no/primary_term: a stale writer gets `ENGINE_VERSION_CONFLICT` (409).
 */
import { AppError, errorCode, NonRetryableError, ValidationError } from '../../core/errors.js';
import type { ConcurrencyGuard, EnginePort, RefreshPolicy } from '../../engine/port.js';
import { aliasName, RULE_QUERY_FIELD } from '../../mappings/index.js';
import { compileForTarget, defaultQueryCompiler, type QueryCompiler } from './rule-query.js';
import {
  ruleIdSchema,
  ruleInputSchema,
  rulePatchSchema,
  type Rule,
  type RuleInput,
  type RulePatch,
  type RuleTarget,
  type RuleVersion,
  type StoredRule,
} from './rule.types.js';
import { assertScheduleFits } from './scheduled/schedule.types.js';

/** Options of {@link RuleRepository}. */
export interface RuleRepositoryOptions {
  /** Index prefix (`INDEX_PREFIX`, or a test's random prefix). */
  prefix: string;
  /** Query compiler. @default search/query's toEngineQuery when present, else DSL JSON only */
  compile?: QueryCompiler;
  /** Refresh after writes so matching sees a saved rule at once. @default true */
  refresh?: RefreshPolicy;
}

/** Who makes a change, and (optionally) which version they last read. */
export interface ChangeOptions {
  actor: string;
  /** The version the author edited; a different stored version is a conflict (409). */
  expectedVersion?: number;
  /** seq_no/primary_term the author read; defaults to the ones read just before writing. */
  guard?: ConcurrencyGuard;
}

/** Filters of {@link RuleRepository.list}. */
export interface RuleListOptions {
  target?: RuleTarget;
  enabled?: boolean;
  category?: string;
  tag?: string;
  /** @default 100 */
  size?: number;
  /** @default 0 */
  from?: number;
}

export const RuleErrorCode = {
  Invalid: 'RULE_INVALID',
  NotFound: 'RULE_NOT_FOUND',
  Exists: 'RULE_EXISTS',
  VersionConflict: 'ENGINE_VERSION_CONFLICT',
} as const;

function parseOrThrow<T>(
  schema: {
    safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: unknown[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0] as { path?: PropertyKey[]; message?: string } | undefined;
    const where = first?.path?.map(String).join('.') || 'rule';
    throw new ValidationError(
      `Rule is invalid: ${where}: ${first?.message ?? 'invalid'}`,
      { path: where, issues: parsed.error.issues },
      RuleErrorCode.Invalid,
    );
  }
  return parsed.data;
}

function changedFields(before: Rule, after: Rule): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const ignored = new Set(['version', 'updated_at', 'updated_by', 'created_at', 'created_by']);
  return [...keys]
    .filter((k) => !ignored.has(k))
    .filter((k) => JSON.stringify(before[k as keyof Rule]) !== JSON.stringify(after[k as keyof Rule]))
    .sort();
}

export class RuleRepository {
  readonly rulesIndex: string;
  readonly versionsIndex: string;
  private compiler: QueryCompiler | undefined;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: RuleRepositoryOptions,
  ) {
    this.rulesIndex = aliasName(options.prefix, 'rules');
    this.versionsIndex = aliasName(options.prefix, 'rule-versions');
    this.compiler = options.compile;
  }

  /**
   * Checks a rule without saving it: schema, query (compiled and allow-listed) and schedule fields.
   * Returns the rule as version 1 would be stored; throws `RULE_INVALID` (400) naming the part.
   * (The engine's own parse of the query against the mapping happens only when saving.)
   */
  async validate(input: RuleInput, options: { actor: string } = { actor: 'validate' }): Promise<Rule> {
    const parsed = parseOrThrow(ruleInputSchema, input);
    const now = new Date().toISOString();
    const { query: source, ...meta } = parsed;
    const rule: Rule = {
      ...meta,
      query: await this.compile(source, parsed.target),
      query_source: typeof source === 'string' ? source : JSON.stringify(source),
      version: 1,
      created_at: now,
      created_by: options.actor,
      updated_at: now,
      updated_by: options.actor,
    };
    if (rule.schedule) assertScheduleFits(rule.schedule, rule.target);
    return rule;
  }

  /** Creates a rule; an existing id is `RULE_EXISTS` (409). */
  async create(input: RuleInput, options: { actor: string }): Promise<StoredRule> {
    const rule = await this.validate(input, options);
    const fields = Object.keys(rule).filter(
      (k) => !['query_source', 'version'].includes(k) && !k.endsWith('_at') && !k.endsWith('_by'),
    );
    return this.save(rule, 'create', fields.sort(), options.actor);
  }

  /** Applies a partial change; bumps the version and records what changed. */
  async update(id: string, patch: RulePatch, options: ChangeOptions): Promise<StoredRule> {
    const change = parseOrThrow(rulePatchSchema, patch);
    const current = await this.require(id);
    const { query: source, ...meta } = change;
    const next: Rule = { ...current.rule, ...meta };
    if (source !== undefined) {
      next.query_source = typeof source === 'string' ? source : JSON.stringify(source);
    }
    if (source !== undefined || meta.target !== undefined) {
      next.query = await this.compile(source ?? this.sourceOf(current.rule), next.target);
    }
    const action =
      change.enabled !== undefined && Object.keys(change).length === 1
        ? change.enabled
          ? 'enable'
          : 'disable'
        : 'update';
    return this.write(current, next, action, options);
  }

  enable(id: string, options: ChangeOptions): Promise<StoredRule> {
    return this.update(id, { enabled: true }, options);
  }

  disable(id: string, options: ChangeOptions): Promise<StoredRule> {
    return this.update(id, { enabled: false }, options);
  }

  async get(id: string): Promise<StoredRule | undefined> {
    if (!ruleIdSchema.safeParse(id).success) return undefined;
    const got = await this.engine.get<Rule>(this.rulesIndex, id);
    if (!got.found || !got.source) return undefined;
    return { rule: got.source, seqNo: got.seqNo ?? 0, primaryTerm: got.primaryTerm ?? 1 };
  }

  async require(id: string): Promise<StoredRule> {
    const stored = await this.get(id);
    if (!stored) {
      throw new NonRetryableError(`Rule ${id} not found`, {
        code: RuleErrorCode.NotFound,
        httpStatus: 404,
        details: { id },
      });
    }
    return stored;
  }

  async list(options: RuleListOptions = {}): Promise<{ total: number; rules: Rule[] }> {
    const filter: Record<string, unknown>[] = [];
    if (options.target) filter.push({ term: { target: options.target } });
    if (options.enabled !== undefined) filter.push({ term: { enabled: options.enabled } });
    if (options.category) filter.push({ term: { category: options.category } });
    if (options.tag) filter.push({ term: { tags: options.tag } });
    const result = await this.engine.search<Rule>({
      index: this.rulesIndex,
      query: { bool: { filter } },
      size: options.size ?? 100,
      from: options.from ?? 0,
      sort: [{ id: 'asc' }],
      trackTotalHits: true,
    });
    return { total: result.total, rules: result.hits.map((h) => h.source) };
  }

  /** Version history, newest first. */
  async versions(id: string, size = 100): Promise<RuleVersion[]> {
    const result = await this.engine.search<RuleVersion>({
      index: this.versionsIndex,
      query: { term: { rule_id: id } },
      sort: [{ version: 'desc' }],
      size,
    });
    return result.hits.map((h) => h.source);
  }

  /** Saves a complete rule as the next version of `current` (the loader's path; `load` action). */
  async replace(
    current: StoredRule,
    next: Rule,
    options: ChangeOptions & { action?: RuleVersion['action'] },
  ): Promise<StoredRule> {
    return this.write(current, next, options.action ?? 'update', options);
  }

  /**
   * Compiles every saved rule's query source again and saves, as a `recompile` version, each whose
   * engine query changes: after a fix of the query compiler (e.g. lone CJK characters), rules saved
   * before it match as new ones do. Resolves with the ids it changed and those it left alone.
   */
  async recompile(options: { actor: string }): Promise<{ changed: string[]; unchanged: string[] }> {
    const report = { changed: [] as string[], unchanged: [] as string[] };
    const ids: string[] = [];
    for (let from = 0; ; from += 100) {
      const page = await this.list({ from, size: 100 });
      ids.push(...page.rules.map((rule) => rule.id));
      if (page.rules.length < 100) break;
    }
    for (const id of ids) {
      const current = await this.require(id);
      const query = await this.compile(this.sourceOf(current.rule), current.rule.target);
      if (JSON.stringify(query) === JSON.stringify(current.rule.query)) {
        report.unchanged.push(id);
        continue;
      }
      await this.write(current, { ...current.rule, query }, 'recompile', options);
      report.changed.push(id);
    }
    return report;
  }

  /** Compiles a query for a target with this repository's compiler. */
  async compile(source: string | object, target: RuleTarget): Promise<Record<string, unknown>> {
    this.compiler ??= await defaultQueryCompiler();
    return compileForTarget(this.compiler, source, target);
  }

  private sourceOf(rule: Rule): string | object {
    try {
      const parsed: unknown = JSON.parse(rule.query_source);
      return typeof parsed === 'object' && parsed !== null ? parsed : rule.query_source;
    } catch {
      return rule.query_source;
    }
  }

  private async write(
    current: StoredRule,
    next: Rule,
    action: RuleVersion['action'],
    options: ChangeOptions,
  ): Promise<StoredRule> {
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.rule.version) {
      throw new AppError(
        `Rule ${current.rule.id} is at version ${current.rule.version}, not ${options.expectedVersion}`,
        {
          code: RuleErrorCode.VersionConflict,
          httpStatus: 409,
          details: {
            id: current.rule.id,
            version: current.rule.version,
            expectedVersion: options.expectedVersion,
          },
        },
      );
    }
    const changed = changedFields(current.rule, next);
    const rule: Rule = {
      ...next,
      id: current.rule.id,
      version: current.rule.version + 1,
      updated_at: new Date().toISOString(),
      updated_by: options.actor,
    };
    const guard = options.guard ?? { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm };
    return this.save(rule, action, changed, options.actor, guard);
  }

  private async save(
    rule: Rule,
    action: RuleVersion['action'],
    changed: string[],
    actor: string,
    guard?: ConcurrencyGuard,
  ): Promise<StoredRule> {
    if (rule.schedule) assertScheduleFits(rule.schedule, rule.target);
    let written;
    try {
      written = await this.engine.index(
        this.rulesIndex,
        rule.id,
        { ...rule, [RULE_QUERY_FIELD]: rule.query },
        {
          refresh: this.options.refresh ?? true,
          ...(guard ? { guard } : { createOnly: true }),
        },
      );
    } catch (error) {
      throw this.explain(error, rule, guard === undefined);
    }
    const version: RuleVersion = {
      id: `${rule.id}:${rule.version}`,
      rule_id: rule.id,
      version: rule.version,
      at: rule.updated_at,
      actor,
      action,
      changed_fields: changed,
      snapshot: rule,
    };
    await this.engine.index(
      this.versionsIndex,
      version.id,
      { ...version },
      { refresh: this.options.refresh ?? true },
    );
    return { rule, seqNo: written.seqNo, primaryTerm: written.primaryTerm };
  }

  private explain(error: unknown, rule: Rule, creating: boolean): unknown {
    const code = errorCode(error);
    if (code === 'ENGINE_BAD_REQUEST') {
      const details = error instanceof AppError ? error.details : undefined;
      return new ValidationError(
        `Rule ${rule.id}: the engine refused its query`,
        { path: 'query', engine: details },
        RuleErrorCode.Invalid,
      );
    }
    if (code === 'ENGINE_VERSION_CONFLICT' && creating) {
      return new NonRetryableError(`Rule ${rule.id} already exists`, {
        code: RuleErrorCode.Exists,
        httpStatus: 409,
        details: { id: rule.id },
        cause: error,
      });
    }
    return error;
  }
}
