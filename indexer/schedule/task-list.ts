/**
 * Inspector task lists: the operators an inspector (or a whole node of the tree) watches, each with
 * when it is due, whether it is overdue, and the last result (last crawl, open violations). Filtered by
 * the caller's jurisdiction scope: the city sees everything, a county its stations, a station its grids.
 */
import { scanAll } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import { scopedQuery } from '../../registry/scope.js';
import type { JurisdictionRef, Operator } from '../../registry/types.js';
import { operatorActivity } from './operator-activity.js';
import {
  dueStatus,
  inspectionInterval,
  nextDueAt,
  type DueStatus,
  type ScheduleTable,
} from './schedule-table.js';

export interface InspectionTask {
  operator_id: string;
  name: string;
  inspector_id: string | null;
  jurisdiction: JurisdictionRef;
  interval_days: number;
  /** Which schedule rule set the interval (its label, `default` or `operator`). */
  interval_rule: string;
  status: DueStatus;
  /** ISO time the next inspection is due. */
  due_at: string;
  last_crawled_at: string | null;
  open_violations: number;
}

export interface TaskList {
  /** Most overdue first. */
  overdue: InspectionTask[];
  due: InspectionTask[];
  /** Soonest first. */
  upcoming: InspectionTask[];
}

/** Options of {@link taskList}. */
export interface TaskListOptions {
  prefix: string;
  table: ScheduleTable;
  /** What the caller may see (`scopeOf(user)`); an empty scope sees nothing. */
  scope: JurisdictionRef;
  /** Only operators assigned to this inspector. @default every operator in scope */
  inspectorId?: string;
  /** @default new Date() */
  now?: Date;
}

type TaskOperator = Pick<
  Operator,
  | 'id'
  | 'name'
  | 'inspector_id'
  | 'jurisdiction'
  | 'classification'
  | 'risk_tier'
  | 'source_focus'
  | 'type'
  | 'inspection_frequency_days'
  | 'created_at'
>;

const SOURCE = [
  'id',
  'name',
  'inspector_id',
  'jurisdiction',
  'classification',
  'risk_tier',
  'source_focus',
  'type',
  'inspection_frequency_days',
  'created_at',
];

export async function taskList(engine: EnginePort, options: TaskListOptions): Promise<TaskList> {
  const now = options.now ?? new Date();
  const query: Doc | undefined = options.inspectorId
    ? { term: { inspector_id: options.inspectorId } }
    : undefined;
  const operators: TaskOperator[] = [];
  const hits = scanAll<TaskOperator>(engine, {
    index: aliasName(options.prefix, 'entities'),
    query: scopedQuery(query, options.scope),
    source: SOURCE,
  });
  for await (const hit of hits) operators.push(hit.source);
  const activity = await operatorActivity(
    engine,
    options.prefix,
    operators.map((o) => o.id),
  );
  const list: TaskList = { overdue: [], due: [], upcoming: [] };
  for (const op of operators) {
    const seen = activity.get(op.id);
    const last = seen?.lastCrawledAt ?? null;
    const dueAt = nextDueAt(options.table, op, last, op.created_at ? new Date(op.created_at) : undefined);
    const interval = inspectionInterval(options.table, op);
    const status = dueStatus(options.table, dueAt, now);
    list[status].push({
      operator_id: op.id,
      name: op.name,
      inspector_id: op.inspector_id ?? null,
      jurisdiction: op.jurisdiction ?? {},
      interval_days: interval.days,
      interval_rule: interval.rule,
      status,
      due_at: dueAt.toISOString(),
      last_crawled_at: last ? last.toISOString() : null,
      open_violations: seen?.openViolations ?? 0,
    });
  }
  for (const tasks of Object.values(list) as InspectionTask[][])
    tasks.sort((a, b) => a.due_at.localeCompare(b.due_at));
  return list;
}
