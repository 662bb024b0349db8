/**
 * Operators in the `entities` index: validated writes with a change history, optimistic concurrency on
 * update (seq_no/primary_term), and every listing filtered by a jurisdiction scope.
 */
import { scanAll } from '../../engine/deep-paging.js';
import type { ConcurrencyGuard, Doc, EnginePort, GetResult, RefreshPolicy } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { FieldProblem } from '../jurisdictions/jurisdiction.rules.js';
import type { JurisdictionTree } from '../jurisdictions/jurisdiction-tree.js';
import {
  alreadyExists,
  invalid,
  isEngineConflict,
  notFound,
  staleWrite,
  type RegistryStoreOptions,
} from '../registry.errors.js';
import { deepestLevel, refWithin, scopeFilter } from '../scope.js';
import type { JurisdictionRef, Operator } from '../types.js';
import type { UserRepository } from '../users/user.repository.js';
import { parseOrThrow } from '../validation.js';
import { OperatorHistory, diffOperators, type HistoryEntry } from './operator-history.js';
import { buildOperatorQuery, operatorSearchSchema, type OperatorSearch } from './operator-query.js';
import {
  fromOperatorDoc,
  operatorInputSchema,
  operatorPatchSchema,
  toInput,
  toOperator,
  toOperatorDoc,
  type OperatorInput,
  type OperatorPatch,
} from './operator.schema.js';

/** Stores the repository checks references against; without them those references are not checked. */
export interface OperatorRepositoryOptions extends RegistryStoreOptions {
  /** Resolves `jurisdiction` to a full ref from its deepest id and refuses unknown nodes. */
  tree?: JurisdictionTree;
  /** Refuses an `inspector_id` that is not a user. */
  users?: UserRepository;
}

/** An operator with the version a guarded update must name. */
export interface VersionedOperator {
  operator: Operator;
  version: ConcurrencyGuard;
}

/** Who writes. */
export interface WriteOptions {
  /** User id (or `system`) recorded in the history. */
  actor: string;
}

export interface UpdateOptions extends WriteOptions {
  /** The version the caller read; when someone wrote since, the update fails with 409. */
  expected?: ConcurrencyGuard;
}

export interface OperatorPage {
  total: number;
  items: Operator[];
}

const KIND = 'operator';

function versioned(result: GetResult<Doc>): VersionedOperator | undefined {
  if (!result.found || !result.source) return undefined;
  return {
    operator: fromOperatorDoc(result.source),
    version: { ifSeqNo: result.seqNo ?? 0, ifPrimaryTerm: result.primaryTerm ?? 1 },
  };
}

export class OperatorRepository {
  readonly index: string;
  readonly history: OperatorHistory;
  private readonly refresh: RefreshPolicy;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: OperatorRepositoryOptions,
  ) {
    this.index = aliasName(options.prefix, 'entities');
    this.history = new OperatorHistory(engine, options.prefix);
    this.refresh = options.refresh ?? 'wait_for';
  }

  /** Validates and stores a new operator (the USCC must be new too); records a `create` entry. */
  async create(input: OperatorInput, options: WriteOptions): Promise<VersionedOperator> {
    const parsed = parseOrThrow(operatorInputSchema, input, KIND);
    const operator = toOperator(parsed, new Date().toISOString());
    await this.checkReferences(operator);
    let written;
    try {
      written = await this.engine.index(this.index, operator.id, toOperatorDoc(operator), {
        createOnly: true,
        refresh: this.refresh,
      });
    } catch (error) {
      if (isEngineConflict(error)) throw alreadyExists(KIND, 'id', operator.id, error);
      throw error;
    }
    await this.recordHistory(
      operator.id,
      'create',
      options.actor,
      operator.updated_at,
      diffOperators(undefined, operator),
    );
    return { operator, version: { ifSeqNo: written.seqNo, ifPrimaryTerm: written.primaryTerm } };
  }

  async get(id: string): Promise<VersionedOperator | undefined> {
    return versioned(await this.engine.get<Doc>(this.index, id));
  }

  /** The operator if it lies inside `scope`; undefined otherwise (an outsider cannot tell it exists). */
  async getInScope(id: string, scope: JurisdictionRef): Promise<VersionedOperator | undefined> {
    const found = await this.get(id);
    return found && refWithin(found.operator.jurisdiction, scope) ? found : undefined;
  }

  /**
   * Applies `patch` and records which fields changed. The write is guarded by `expected` (or by the
   * version read here): if someone wrote in between, it fails with `REGISTRY_VERSION_CONFLICT` (409).
   */
  async update(id: string, patch: OperatorPatch, options: UpdateOptions): Promise<VersionedOperator> {
    parseOrThrow(operatorPatchSchema, patch, KIND);
    const current = await this.get(id);
    if (!current) throw notFound(KIND, id);
    const merged = parseOrThrow(operatorInputSchema, { ...toInput(current.operator), ...patch, id }, KIND);
    const next = toOperator(merged, new Date().toISOString(), current.operator.created_at);
    await this.checkReferences(next);
    const diff = diffOperators(current.operator, next);
    if (diff.length === 0) return current;
    const guard = options.expected ?? current.version;
    let written;
    try {
      written = await this.engine.index(this.index, id, toOperatorDoc(next), {
        guard,
        refresh: this.refresh,
      });
    } catch (error) {
      if (isEngineConflict(error)) throw staleWrite(KIND, id, error);
      throw error;
    }
    await this.recordHistory(id, 'update', options.actor, next.updated_at, diff);
    return { operator: next, version: { ifSeqNo: written.seqNo, ifPrimaryTerm: written.primaryTerm } };
  }

  /** Operators inside `scope` matching `criteria` (name, USCC, licence, ICP, domain, ...). */
  async search(scope: JurisdictionRef, criteria: OperatorSearch = {}): Promise<OperatorPage> {
    const parsed = parseOrThrow(operatorSearchSchema, criteria, 'operator search');
    const { query, sort } = buildOperatorQuery(parsed, scope);
    const result = await this.engine.search<Doc>({
      index: this.index,
      query,
      sort,
      from: parsed.from,
      size: parsed.size,
      trackTotalHits: true,
    });
    return { total: result.total, items: result.hits.map((hit) => fromOperatorDoc(hit.source)) };
  }

  /** A page of the operators inside `scope`, by name. */
  async list(scope: JurisdictionRef, page: { from?: number; size?: number } = {}): Promise<OperatorPage> {
    return this.search(scope, page);
  }

  /** Every operator inside `scope`, by id, however many (point-in-time deep paging). */
  async *scan(scope: JurisdictionRef): AsyncGenerator<Operator, void, undefined> {
    const request = { index: this.index, query: { bool: { filter: [scopeFilter(scope)] } } };
    for await (const hit of scanAll<Doc>(this.engine, request)) yield fromOperatorDoc(hit.source);
  }

  /** History of one operator, newest first. */
  async historyOf(id: string): Promise<HistoryEntry[]> {
    return this.history.list(id);
  }

  private async recordHistory(
    id: string,
    action: 'create' | 'update',
    actor: string,
    at: string,
    changes: ReturnType<typeof diffOperators>,
  ): Promise<void> {
    const op = this.history.entryOperation(id, action, actor, at, changes);
    await this.engine.index(op.index, op.id, op.doc, { createOnly: true, refresh: this.refresh });
  }

  /** Unique USCC, an existing platform, a known tree node (its full ref filled in), a known inspector. */
  private async checkReferences(operator: Operator): Promise<void> {
    const problems: FieldProblem[] = [];
    if (operator.uscc) {
      const taken = await this.engine.search<Doc>({
        index: this.index,
        query: {
          bool: { filter: [{ term: { uscc: operator.uscc } }], must_not: [{ term: { id: operator.id } }] },
        },
        size: 1,
        source: ['id'],
      });
      const other = taken.hits[0];
      if (other) throw alreadyExists(KIND, 'uscc', operator.uscc, { operatorId: other.id });
    }
    if (operator.platform_id) {
      const platform = await this.get(operator.platform_id);
      if (operator.platform_id === operator.id) {
        problems.push({ field: 'platform_id', reason: 'an operator cannot trade on itself' });
      } else if (platform?.operator.type !== 'platform') {
        problems.push({ field: 'platform_id', reason: `no platform operator "${operator.platform_id}"` });
      }
    }
    problems.push(...(await this.resolveJurisdiction(operator)));
    if (
      operator.inspector_id &&
      this.options.users &&
      !(await this.options.users.get(operator.inspector_id))
    ) {
      problems.push({ field: 'inspector_id', reason: `no user "${operator.inspector_id}"` });
    }
    if (problems.length > 0) throw invalid(KIND, problems);
  }

  /** Fills `operator.jurisdiction` from its deepest node; a problem if that node is unknown or disagrees. */
  private async resolveJurisdiction(operator: Operator): Promise<FieldProblem[]> {
    const level = deepestLevel(operator.jurisdiction);
    if (!level || !this.options.tree) return [];
    const nodeId = operator.jurisdiction[level] as string;
    const node = await this.options.tree.get(nodeId);
    if (node?.level !== level) {
      return [{ field: `jurisdiction.${level}`, reason: `no ${level} "${nodeId}" in the jurisdiction tree` }];
    }
    const ref = await this.options.tree.refOf(nodeId);
    const clash = Object.entries(operator.jurisdiction).find(
      ([l, id]) => ref[l as keyof JurisdictionRef] !== id,
    );
    if (clash) {
      return [
        { field: `jurisdiction.${clash[0]}`, reason: `"${clash[1]}" is not above ${level} "${nodeId}"` },
      ];
    }
    operator.jurisdiction = ref;
    return [];
  }
}
