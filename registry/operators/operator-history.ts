/**
 * Change history of operators in the `operator-history` index: one entry per create, update or
 * import, saying who, when, and which fields went from what to what.
 */
import { randomUUID } from 'node:crypto';
import type { BulkOperation, Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { Operator } from '../types.js';
import { OPERATOR_FIELDS } from './operator.schema.js';

type CreateOperation = Extract<BulkOperation, { op: 'create' }>;

export type HistoryAction = 'create' | 'update' | 'import';

/** One field's change; `from` is null on create. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  id: string;
  operator_id: string;
  action: HistoryAction;
  /** User id (or `system`, `import:<file>`) that made the change. */
  actor: string;
  at: string;
  changes: FieldChange[];
}

interface HistoryDoc {
  id: string;
  operator_id: string;
  action: HistoryAction;
  actor: string;
  at: string;
  fields: string[];
  changes: FieldChange[];
}

/** Fields never reported as changed: the store sets them on every write. */
const SILENT_FIELDS: ReadonlySet<string> = new Set(['created_at', 'updated_at', 'uscc_valid']);

/** Fields that differ between two versions of an operator (`before` undefined: every set field). */
export function diffOperators(before: Operator | undefined, after: Operator): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of OPERATOR_FIELDS) {
    if (SILENT_FIELDS.has(field)) continue;
    const from = before ? before[field] : null;
    const to = after[field];
    if (JSON.stringify(from ?? null) === JSON.stringify(to ?? null)) continue;
    if (!before && (to === null || (Array.isArray(to) && to.length === 0))) continue;
    changes.push({ field, from: from ?? null, to: to ?? null });
  }
  return changes;
}

export class OperatorHistory {
  readonly index: string;

  constructor(
    private readonly engine: EnginePort,
    prefix: string,
  ) {
    this.index = aliasName(prefix, 'operator-history');
  }

  /** The bulk operation writing one entry; callers batch it with the operator write. */
  entryOperation(
    operatorId: string,
    action: HistoryAction,
    actor: string,
    at: string,
    changes: FieldChange[],
  ): CreateOperation {
    const doc: HistoryDoc = {
      id: randomUUID(),
      operator_id: operatorId,
      action,
      actor,
      at,
      fields: changes.map((c) => c.field),
      changes,
    };
    return { op: 'create', index: this.index, id: doc.id, doc: doc as unknown as Doc };
  }

  /** Entries of one operator, newest first. */
  async list(operatorId: string, options: { size?: number } = {}): Promise<HistoryEntry[]> {
    const result = await this.engine.search<HistoryDoc>({
      index: this.index,
      query: { bool: { filter: [{ term: { operator_id: operatorId } }] } },
      sort: [{ at: 'desc' }, { id: 'asc' }],
      size: options.size ?? 100,
    });
    return result.hits.map(({ source }) => ({
      id: source.id,
      operator_id: source.operator_id,
      action: source.action,
      actor: source.actor,
      at: source.at,
      changes: source.changes ?? [],
    }));
  }
}
