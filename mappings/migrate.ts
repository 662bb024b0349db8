/**
 * Brings the engine's indices in line with the definitions: aliases over versioned indices
 * (`argus-pages` → `argus-pages-v1`), one index template per index, a definition hash in `_meta`.
 * Idempotent: equal hashes mean nothing is touched.
 */
import type { Logger } from 'pino';
import { AppError, errorCode, isRetryable, NonRetryableError, ThrottledError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { EngineErrorCode } from '../engine/errors.js';
import type { Doc, EnginePort } from '../engine/port.js';
import { definitionMeta, type DefinitionMeta, type IndexDefinition } from './definition.js';
import { aliasName, INDEX_DEFINITIONS, templateName, versionedIndexName } from './index.js';

/** What a run did to one index. */
export type MigrationAction = 'created' | 'unchanged' | 'updated' | 'reindexed';

export interface IndexMigration {
  /** Logical name, e.g. `pages`. */
  name: string;
  alias: string;
  action: MigrationAction;
  /** The concrete index behind the alias after the run. */
  index: string;
  /** After a reindex: the index the alias left. It is kept (never deleted here) for rollback. */
  previousIndex?: string;
  /** After a reindex: documents copied (equal to the source count, else the run fails). */
  documents?: number;
  /** Whether the index template was written during this run. */
  templateUpdated: boolean;
  /** Why the index was reindexed, or what else the operator should know. */
  reason?: string;
}

export interface MigrationReport {
  prefix: string;
  /** False when the run changed nothing at all. */
  changed: boolean;
  indices: IndexMigration[];
}

/** Options of `migrate`. */
export interface MigrateOptions {
  /** Prefix of every alias, index and template, e.g. `argus` or a test's random prefix. */
  prefix: string;
  /** Definitions to apply. @default INDEX_DEFINITIONS (every Argus index) */
  definitions?: readonly IndexDefinition[];
  /** @default logger('migrate') */
  log?: Logger;
}

/**
 * Settings that follow the deployment rather than the definition: they are not hashed and never force a
 * reindex. One replica when the cluster has a second node, none on a single local node (so it is green).
 */
const DEPLOYMENT_SETTINGS = { auto_expand_replicas: '0-1' } as const;

/** Priority of Argus templates; templates of equal priority may not overlap, so pick an unusual one. */
const TEMPLATE_PRIORITY = 137;

/** Applies `definitions` under `prefix`; safe to run again and again. */
export async function migrate(engine: EnginePort, options: MigrateOptions): Promise<MigrationReport> {
  const log = options.log ?? logger('migrate');
  const definitions = options.definitions ?? INDEX_DEFINITIONS;
  const indices: IndexMigration[] = [];
  for (const definition of definitions) {
    const result = await migrateIndex(engine, options.prefix, definition);
    log.info({ ...result }, `migrate ${result.name}: ${result.action}`);
    indices.push(result);
  }
  const changed = indices.some((i) => i.action !== 'unchanged' || i.templateUpdated);
  return { prefix: options.prefix, changed, indices };
}

async function migrateIndex(
  engine: EnginePort,
  prefix: string,
  definition: IndexDefinition,
): Promise<IndexMigration> {
  const meta = definitionMeta(definition);
  const alias = aliasName(prefix, definition.name);
  const templateUpdated = await ensureTemplate(engine, prefix, definition, meta);
  const base = { name: definition.name, alias, templateUpdated };

  const targets = await engine.getAliasTargets(alias);
  if (targets.length === 0) return { ...base, ...(await createFirst(engine, prefix, definition, meta)) };
  const current = targets[0];
  if (targets.length > 1 || current === undefined) {
    throw new NonRetryableError(`Alias ${alias} points to ${targets.join(', ')}; expected one index`, {
      code: 'MIGRATION_ALIAS_AMBIGUOUS',
      details: { alias, targets },
    });
  }

  const liveMapping = await engine.getMapping(current);
  const live = readMeta(liveMapping);
  if (live?.argus_hash === meta.argus_hash) return { ...base, action: 'unchanged', index: current };

  let reason = live ? 'index settings (analysis) changed' : 'index has no Argus definition hash';
  if (live?.argus_settings_hash === meta.argus_settings_hash) {
    try {
      await engine.putMapping(current, { ...definition.mappings, _meta: meta });
      return { ...base, action: 'updated', index: current, reason: droppedFields(liveMapping, definition) };
    } catch (error) {
      if (errorCode(error) !== EngineErrorCode.BadRequest) throw error;
      reason = `mapping change refused in place: ${(error as Error).message}`;
    }
  }
  const moved = await reindexAndSwap(engine, { prefix, definition, meta, alias, current });
  return { ...base, action: 'reindexed', reason, ...moved };
}

/** Creates `-v1` (or the first free version) with the alias as its write index, in one request. */
async function createFirst(
  engine: EnginePort,
  prefix: string,
  definition: IndexDefinition,
  meta: DefinitionMeta,
): Promise<Pick<IndexMigration, 'action' | 'index' | 'reason'>> {
  const alias = aliasName(prefix, definition.name);
  if (await engine.indexExists(alias)) {
    throw new NonRetryableError(`${alias} exists as a concrete index, so it cannot become an alias`, {
      code: 'MIGRATION_ALIAS_CONFLICT',
      details: { alias },
    });
  }
  const { index, skipped } = await nextFreeIndex(engine, prefix, definition.name, 1);
  try {
    await engine.createIndex(index, {
      ...indexBody(definition, meta),
      aliases: { [alias]: { is_write_index: true } },
    });
  } catch (error) {
    // Two processes migrating at once: the other one created the index (or aliased another) first.
    const targets = await engine.getAliasTargets(alias);
    if (isRetryable(error) || targets.length !== 1 || !targets[0]) throw error;
    return { action: 'unchanged', index: targets[0], reason: 'created meanwhile by another migration' };
  }
  const reason = skipped.length > 0 ? `left unaliased indices untouched: ${skipped.join(', ')}` : undefined;
  return { action: 'created', index, reason };
}

interface SwapPlan {
  prefix: string;
  definition: IndexDefinition;
  meta: DefinitionMeta;
  alias: string;
  current: string;
}

/**
 * Copies `current` into the next version and moves the alias (and write index) in one atomic alias update.
 *
 * Writes that race the reindex: writers keep going through the alias, so they land in `current`. A new
 * document written after the reindex took its snapshot makes the counts differ, and the run fails before the
 * swap (the new index is deleted, the alias stays, nothing is lost: run again once writers pause). An update
 * to an already-copied document, or any write in the short gap between the count check and the swap, stays
 * only in the old index: pause the indexer workers while migrating. The old index is kept, never deleted
 * here, so such a write can still be recovered from it.
 */
async function reindexAndSwap(
  engine: EnginePort,
  plan: SwapPlan,
): Promise<Pick<IndexMigration, 'index' | 'previousIndex' | 'documents'>> {
  const { prefix, definition, meta, alias, current } = plan;
  const { index: next } = await nextFreeIndex(engine, prefix, definition.name, versionOf(current, alias) + 1);
  await engine.createIndex(next, indexBody(definition, meta));
  try {
    await engine.refresh(current);
    const copied = await engine.reindex(current, next).catch((error: unknown) => {
      // The engine answers 400 when a document does not fit the new mapping; keep retryable errors as they are.
      if (isRetryable(error)) throw error;
      throw reindexFailed(current, next, { reason: (error as Error).message }, error);
    });
    if (copied.failures.length > 0)
      throw reindexFailed(current, next, { failures: copied.failures.slice(0, 5) });
    await Promise.all([engine.refresh(current), engine.refresh(next)]);
    const [source, target] = await Promise.all([engine.count(current), engine.count(next)]);
    if (source !== target) {
      throw new ThrottledError(`Reindex ${current} → ${next} copied ${target} of ${source} documents`, {
        code: 'MIGRATION_COUNT_MISMATCH',
        details: { source, target },
      });
    }
    await engine.updateAliases([
      { remove: { index: current, alias } },
      { add: { index: next, alias, isWriteIndex: true } },
    ]);
    return { index: next, previousIndex: current, documents: target };
  } catch (error) {
    // While the alias does not point at `next`, dropping it loses nothing and lets the next run start clean.
    const targets = await engine.getAliasTargets(alias);
    if (!targets.includes(next)) await engine.deleteIndex(next);
    throw error instanceof AppError
      ? error
      : new NonRetryableError(`Reindex ${current} → ${next} failed`, {
          code: 'MIGRATION_FAILED',
          cause: error,
        });
  }
}

function reindexFailed(current: string, next: string, details: unknown, cause?: unknown): AppError {
  return new NonRetryableError(
    `Reindex ${current} → ${next} failed (do the documents fit the new mapping?)`,
    {
      code: 'MIGRATION_REINDEX_FAILED',
      details,
      cause,
    },
  );
}

/** Writes the template when its hash differs; returns whether it wrote. */
async function ensureTemplate(
  engine: EnginePort,
  prefix: string,
  definition: IndexDefinition,
  meta: DefinitionMeta,
): Promise<boolean> {
  const name = templateName(prefix, definition.name);
  if (readMeta(await engine.getIndexTemplate(name))?.argus_hash === meta.argus_hash) return false;
  await engine.putIndexTemplate(name, {
    index_patterns: [`${aliasName(prefix, definition.name)}-v*`],
    priority: TEMPLATE_PRIORITY,
    template: indexBody(definition, meta),
    _meta: meta,
  });
  return true;
}

function indexBody(definition: IndexDefinition, meta: DefinitionMeta): Doc {
  return {
    settings: { ...definition.settings, ...DEPLOYMENT_SETTINGS },
    mappings: { ...definition.mappings, _meta: meta },
  };
}

async function nextFreeIndex(
  engine: EnginePort,
  prefix: string,
  name: string,
  from: number,
): Promise<{ index: string; skipped: string[] }> {
  const skipped: string[] = [];
  for (let version = from; ; version++) {
    const index = versionedIndexName(prefix, name, version);
    if (!(await engine.indexExists(index))) return { index, skipped };
    skipped.push(index);
  }
}

function versionOf(index: string, alias: string): number {
  const match = new RegExp(`^${escapeRegExp(alias)}-v(\\d+)$`).exec(index);
  if (!match?.[1]) {
    throw new NonRetryableError(`Alias ${alias} points to ${index}, which is not a versioned index`, {
      code: 'MIGRATION_ALIAS_CONFLICT',
      details: { alias, index },
    });
  }
  return Number(match[1]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A put mapping never removes fields: names the definition dropped stay mapped (and writable) until the
 * next reindex. Say so rather than pretend.
 */
function droppedFields(liveMapping: Doc, definition: IndexDefinition): string | undefined {
  const live = Object.keys(asRecord(liveMapping.properties) ?? {});
  const dropped = live.filter((name) => !(name in definition.mappings.properties));
  return dropped.length > 0
    ? `no longer defined, still mapped until a reindex: ${dropped.join(', ')}`
    : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The definition hashes in `_meta` of a live mapping (or template), when Argus wrote them. */
function readMeta(body: Doc | undefined): DefinitionMeta | undefined {
  const meta = asRecord(body?._meta);
  if (typeof meta?.argus_hash !== 'string' || typeof meta.argus_settings_hash !== 'string') return undefined;
  return {
    argus_index: String(meta.argus_index),
    argus_hash: meta.argus_hash,
    argus_settings_hash: meta.argus_settings_hash,
  };
}

/**
 * Deletes every version of the given indices and their templates. Destructive: for tests, benches and
 * throw-away prefixes only.
 */
export async function dropIndices(engine: EnginePort, options: Omit<MigrateOptions, 'log'>): Promise<void> {
  for (const definition of options.definitions ?? INDEX_DEFINITIONS) {
    await engine.deleteIndex(`${aliasName(options.prefix, definition.name)}-v*`);
    await engine.deleteIndexTemplate(templateName(options.prefix, definition.name));
  }
}
