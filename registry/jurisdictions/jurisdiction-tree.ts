/**
 * The jurisdiction tree in the `jurisdictions` index: city → county bureaus → field stations → grids.
 * Each node document carries its ancestors and its own ref, so `descendants` and scoped listings are
 * single term queries, and a move rewrites the subtree (and the operators under it) by query.
 */
import { scanAll } from '../../engine/deep-paging.js';
import type { Doc, EnginePort, RefreshPolicy } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import {
  alreadyExists,
  invalid,
  isEngineConflict,
  notFound,
  type RegistryStoreOptions,
} from '../registry.errors.js';
import { scopeFilter } from '../scope.js';
import {
  JURISDICTION_LEVELS,
  type JurisdictionLevel,
  type JurisdictionNode,
  type JurisdictionRef,
} from '../types.js';
import { ancestorIds, childRef, levelsAbove, nodeProblems, refsOf } from './jurisdiction.rules.js';
import { reassignJurisdiction } from './reassign.js';
import { UserChanges } from '../users/user-changes.js';

/** A node as stored: the node plus its ancestors (root first) and its ref. */
interface NodeDoc extends JurisdictionNode {
  ancestors: string[];
  jurisdiction: JurisdictionRef;
  created_at: string;
  updated_at: string;
}

/** Filters of {@link JurisdictionTree.list}. */
export interface ListNodesOptions {
  level?: JurisdictionLevel;
  parentId?: string;
  /** Only nodes inside this scope (a county sees itself, its stations and their grids). */
  scope?: JurisdictionRef;
}

/** What {@link JurisdictionTree.move} changed. */
export interface MoveResult {
  node: JurisdictionNode;
  from: JurisdictionRef;
  to: JurisdictionRef;
  /** Nodes rewritten: the moved node and its descendants. */
  nodesUpdated: number;
  /** Operators (in `entities`) whose jurisdiction was rewritten. */
  operatorsUpdated: number;
}

const KIND = 'jurisdiction node';

function toNode(doc: NodeDoc): JurisdictionNode {
  return { id: doc.id, level: doc.level, name: doc.name, parent_id: doc.parent_id ?? null };
}

export class JurisdictionTree {
  readonly index: string;
  /** Told after `move` rewrote the scope refs of the users under the moved node. */
  readonly userChanges = new UserChanges();
  private readonly entitiesIndex: string;
  private readonly usersIndex: string;
  private readonly refresh: RefreshPolicy;

  constructor(
    private readonly engine: EnginePort,
    options: RegistryStoreOptions,
  ) {
    this.index = aliasName(options.prefix, 'jurisdictions');
    this.entitiesIndex = aliasName(options.prefix, 'entities');
    this.usersIndex = aliasName(options.prefix, 'users');
    this.refresh = options.refresh ?? 'wait_for';
  }

  /** Adds a node under an existing parent of the level above; the id must be new. */
  async create(input: JurisdictionNode): Promise<JurisdictionNode> {
    const node: JurisdictionNode = { ...input, name: input.name?.trim(), parent_id: input.parent_id || null };
    const parent = node.parent_id ? await this.getDoc(node.parent_id) : undefined;
    const problems = nodeProblems(node, parent);
    if (problems.length > 0) throw invalid(KIND, problems);
    const ref = childRef(parent?.jurisdiction ?? {}, node);
    const now = new Date().toISOString();
    const doc: NodeDoc = {
      ...node,
      ancestors: ancestorIds(ref, node.level),
      jurisdiction: ref,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.engine.index(this.index, node.id, doc as unknown as Doc, {
        createOnly: true,
        refresh: this.refresh,
      });
    } catch (error) {
      if (isEngineConflict(error)) throw alreadyExists(KIND, 'id', node.id, error);
      throw error;
    }
    return node;
  }

  /**
   * Writes many nodes at once (the CSV import, after validating them all with {@link nodeProblems}
   * against the stored tree plus the batch). Existing ids are replaced. Returns how many were written.
   */
  async writeMany(nodes: readonly JurisdictionNode[]): Promise<number> {
    if (nodes.length === 0) return 0;
    const all = await this.loadAll();
    for (const node of nodes) all.set(node.id, node);
    const refs = refsOf(all);
    const now = new Date().toISOString();
    const result = await this.engine.bulk(
      nodes.map((node) => {
        const ref = refs.get(node.id) ?? {};
        const doc: NodeDoc = {
          ...node,
          ancestors: ancestorIds(ref, node.level),
          jurisdiction: ref,
          created_at: now,
          updated_at: now,
        };
        return { op: 'index' as const, index: this.index, id: node.id, doc: doc as unknown as Doc };
      }),
      { refresh: true },
    );
    const failed = result.items.filter((item) => !item.ok);
    if (failed.length > 0) {
      throw invalid(
        KIND,
        failed.map((item) => ({ field: item.id, reason: item.error?.reason ?? 'not written' })),
      );
    }
    return nodes.length;
  }

  async get(id: string): Promise<JurisdictionNode | undefined> {
    const doc = await this.getDoc(id);
    return doc ? toNode(doc) : undefined;
  }

  /** The node's ref: its id at its own level and every level above (a grid's has all four). */
  async refOf(nodeId: string): Promise<JurisdictionRef> {
    const doc = await this.getDoc(nodeId);
    if (!doc) throw notFound(KIND, nodeId);
    return { ...doc.jurisdiction };
  }

  /** Ancestors of the node, root (city) first, the node itself excluded. */
  async ancestors(id: string): Promise<JurisdictionNode[]> {
    const doc = await this.getDoc(id);
    if (!doc) throw notFound(KIND, id);
    if (doc.ancestors.length === 0) return [];
    const found = await this.engine.mget<NodeDoc>(this.index, doc.ancestors);
    return found.flatMap((hit) => (hit.found && hit.source ? [toNode(hit.source)] : []));
  }

  /** Every node below `id` (not `id` itself), level by level, then by id. */
  async descendants(id: string): Promise<JurisdictionNode[]> {
    if (!(await this.getDoc(id))) throw notFound(KIND, id);
    return this.scan({ term: { ancestors: id } });
  }

  /** Nodes matching the filters, level by level (city first), then by id. */
  async list(options: ListNodesOptions = {}): Promise<JurisdictionNode[]> {
    const filter: Doc[] = [];
    if (options.level) filter.push({ term: { level: options.level } });
    if (options.parentId) filter.push({ term: { parent_id: options.parentId } });
    if (options.scope) filter.push(scopeFilter(options.scope));
    return this.scan({ bool: { filter } });
  }

  /** The whole tree by id, for validating a batch (CSV import) in memory. */
  async loadAll(): Promise<Map<string, JurisdictionNode>> {
    const nodes = await this.scan({ match_all: {} });
    return new Map(nodes.map((node) => [node.id, node]));
  }

  /**
   * Hangs `id` (and its subtree) under `newParentId`, which must be a node of the level above (a
   * station under another county, a grid under another station). The refs of the subtree and of
   * every operator and user under it follow; pages, ads and alerts are re-routed by the linking stage with
   * `reassignJurisdiction`.
   */
  async move(id: string, newParentId: string): Promise<MoveResult> {
    const doc = await this.getDoc(id);
    if (!doc) throw notFound(KIND, id);
    const parent = await this.getDoc(newParentId);
    const node = toNode(doc);
    const problems = nodeProblems({ ...node, parent_id: newParentId }, parent);
    if (problems.length > 0 || !parent) throw invalid(KIND, problems);
    const to = childRef(parent.jurisdiction, node);
    const above = levelsAbove(node.level);
    let nodes: number;
    let operators: number;
    try {
      nodes = await reassignJurisdiction(this.engine, this.index, node.level, id, to, {
        ancestors: above.length,
        parent: { nodeId: id, parentId: newParentId },
      });
      operators = await reassignJurisdiction(this.engine, this.entitiesIndex, node.level, id, to);
      await reassignJurisdiction(this.engine, this.usersIndex, node.level, id, to);
      if (this.refresh !== false) await this.engine.refresh(this.index);
    } finally {
      // Also after a partial rewrite: whoever caches a user's scope reads it again.
      await this.userChanges.notify();
    }
    return {
      node: { ...node, parent_id: newParentId },
      from: { ...doc.jurisdiction },
      to,
      nodesUpdated: nodes,
      operatorsUpdated: operators,
    };
  }

  private async getDoc(id: string): Promise<NodeDoc | undefined> {
    const result = await this.engine.get<NodeDoc>(this.index, id);
    return result.found ? result.source : undefined;
  }

  private async scan(query: Doc): Promise<JurisdictionNode[]> {
    const nodes: JurisdictionNode[] = [];
    for await (const hit of scanAll<NodeDoc>(this.engine, {
      index: this.index,
      query,
      sort: [{ id: 'asc' }],
    })) {
      nodes.push(toNode(hit.source));
    }
    const depth = (n: JurisdictionNode) => JURISDICTION_LEVELS.indexOf(n.level);
    return nodes.sort((a, b) => depth(a) - depth(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
