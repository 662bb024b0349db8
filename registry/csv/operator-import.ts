/**
 * Importing operators from CSV, all or nothing: every row is validated first (cells, USCC check digits,
 * duplicate ids and USCCs in the file and in the store, platform, tree node and inspector references);
 * any problem and nothing is written, the report says row, column and reason. Otherwise rows are
 * written in bulk (an existing id, or a stored operator with the row's USCC, is updated), each with an
 * `import` history entry.
 */
import { randomUUID } from 'node:crypto';
import { NonRetryableError } from '../../core/errors.js';
import { scanAll } from '../../engine/deep-paging.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionTree } from '../jurisdictions/jurisdiction-tree.js';
import { refsOf } from '../jurisdictions/jurisdiction.rules.js';
import { OperatorHistory, diffOperators } from '../operators/operator-history.js';
import {
  fromOperatorDoc,
  operatorInputSchema,
  toOperator,
  toOperatorDoc,
} from '../operators/operator.schema.js';
import type { Operator, OperatorType } from '../types.js';
import type { UserRepository } from '../users/user.repository.js';
import { readCsv, type CsvProblem, type CsvSource } from './csv-read.js';
import { columnOf, OPERATOR_COLUMNS, parseOperatorRow, REQUIRED_OPERATOR_COLUMNS } from './operator-csv.js';

/** What an operators import needs. */
export interface OperatorImportOptions {
  engine: EnginePort;
  prefix: string;
  tree: JurisdictionTree;
  /** Checks `inspector_id` cells; without it a non-empty inspector id is a problem. */
  users?: UserRepository;
  /** Recorded in each history entry, e.g. `admin` or `import:operators.csv`. */
  actor: string;
  /** Operations per bulk request (operators and history entries are sent apart). @default 1000 */
  batchSize?: number;
  /** When given, filled with the time spent validating and writing (for benches and logs). */
  stats?: { validateMs: number; writeMs: number };
}

export type OperatorImportResult =
  { ok: true; created: number; updated: number; unchanged: number } | { ok: false; problems: CsvProblem[] };

interface ImportRow {
  row: number;
  operator: Operator;
  /** Whether the row named its id (else it was found by USCC or generated). */
  explicitId: boolean;
}

/** id → type and USCC → id of every stored operator. */
interface StoredIndex {
  types: Map<string, OperatorType>;
  byUscc: Map<string, string>;
}

async function loadStored(engine: EnginePort, index: string): Promise<StoredIndex> {
  const stored: StoredIndex = { types: new Map(), byUscc: new Map() };
  const request = { index, query: { match_all: {} }, source: ['id', 'uscc', 'type'] };
  for await (const hit of scanAll<{ id: string; uscc?: string | null; type: OperatorType }>(
    engine,
    request,
  )) {
    stored.types.set(hit.source.id, hit.source.type);
    if (hit.source.uscc) stored.byUscc.set(hit.source.uscc, hit.source.id);
  }
  return stored;
}

/** Reads and validates every row on its own; problems go to `problems`. */
async function readRows(
  source: CsvSource,
  tree: JurisdictionTree,
  stored: StoredIndex,
  problems: CsvProblem[],
): Promise<ImportRow[]> {
  const refs = refsOf(await tree.loadAll());
  const now = new Date().toISOString();
  const rows: ImportRow[] = [];
  const columns = { required: REQUIRED_OPERATOR_COLUMNS, known: OPERATOR_COLUMNS };
  for await (const item of readCsv(source, columns)) {
    if (item.kind === 'problem') {
      problems.push(item.problem);
      continue;
    }
    const { row, values } = item.row;
    const parsedRow = parseOperatorRow(values);
    const rowProblems: CsvProblem[] = parsedRow.problems.map((p) => ({ row, ...p }));
    if (parsedRow.jurisdictionId) {
      const ref = refs.get(parsedRow.jurisdictionId);
      if (ref) parsedRow.input.jurisdiction = ref;
      else
        rowProblems.push({
          row,
          column: 'jurisdiction_id',
          reason: `no node "${parsedRow.jurisdictionId}" in the tree`,
        });
    }
    const result = operatorInputSchema.safeParse(parsedRow.input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        rowProblems.push({ row, column: columnOf(issue.path.map(String).join('.')), reason: issue.message });
      }
    }
    problems.push(...rowProblems);
    if (!result.success || rowProblems.length > 0) continue;
    const explicitId = result.data.id !== undefined;
    const id =
      result.data.id ?? (result.data.uscc ? stored.byUscc.get(result.data.uscc) : undefined) ?? randomUUID();
    rows.push({ row, operator: toOperator({ ...result.data, id }, now), explicitId });
  }
  return rows;
}

/** Problems between rows and with the store: duplicate ids and USCCs, platforms, inspectors. */
async function crossProblems(
  rows: ImportRow[],
  stored: StoredIndex,
  users: UserRepository | undefined,
): Promise<CsvProblem[]> {
  const problems: CsvProblem[] = [];
  const idRow = new Map<string, number>();
  const usccRow = new Map<string, number>();
  const fileTypes = new Map<string, OperatorType>();
  for (const { row, operator } of rows) {
    const sameId = idRow.get(operator.id);
    if (sameId !== undefined)
      problems.push({ row, column: 'id', reason: `id "${operator.id}" already on row ${sameId}` });
    else idRow.set(operator.id, row);
    fileTypes.set(operator.id, operator.type);
    if (!operator.uscc) continue;
    const sameUscc = usccRow.get(operator.uscc);
    const owner = stored.byUscc.get(operator.uscc);
    if (sameUscc !== undefined)
      problems.push({ row, column: 'uscc', reason: `USCC already on row ${sameUscc}` });
    else if (owner !== undefined && owner !== operator.id) {
      problems.push({ row, column: 'uscc', reason: `USCC already belongs to operator "${owner}"` });
    }
    usccRow.set(operator.uscc, row);
  }
  const inspectorIds = [
    ...new Set(rows.flatMap((r) => (r.operator.inspector_id ? [r.operator.inspector_id] : []))),
  ];
  const knownInspectors = users ? await users.existing(inspectorIds) : new Set<string>();
  for (const { row, operator } of rows) {
    const platform = operator.platform_id;
    if (
      platform &&
      (platform === operator.id || (fileTypes.get(platform) ?? stored.types.get(platform)) !== 'platform')
    ) {
      problems.push({ row, column: 'platform_id', reason: `no platform operator "${platform}"` });
    }
    if (operator.inspector_id && !knownInspectors.has(operator.inspector_id)) {
      problems.push({ row, column: 'inspector_id', reason: `no user "${operator.inspector_id}"` });
    }
  }
  return problems;
}

/** Validates the whole file, then writes it all, or writes nothing and returns the report. */
export async function importOperatorsCsv(
  source: CsvSource,
  options: OperatorImportOptions,
): Promise<OperatorImportResult> {
  const startedAt = performance.now();
  const index = aliasName(options.prefix, 'entities');
  const stored = await loadStored(options.engine, index);
  const problems: CsvProblem[] = [];
  const rows = await readRows(source, options.tree, stored, problems);
  problems.push(...(await crossProblems(rows, stored, options.users)));
  const validatedAt = performance.now();
  if (options.stats) options.stats.validateMs = validatedAt - startedAt;
  if (problems.length > 0) {
    return {
      ok: false,
      problems: problems.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column)),
    };
  }
  const result = await writeRows(rows, stored, index, options);
  if (options.stats) options.stats.writeMs = performance.now() - validatedAt;
  return result;
}

/** Rows per write chunk, and chunks in flight at once (bounds memory whatever the file size). */
const CHUNK_ROWS = 1000;
const CHUNKS_IN_FLIGHT = 3;

async function writeRows(
  rows: ImportRow[],
  stored: StoredIndex,
  index: string,
  options: OperatorImportOptions,
): Promise<OperatorImportResult> {
  const { engine } = options;
  const history = new OperatorHistory(engine, options.prefix);
  // One writer per index: each sends its batches in order, the two run side by side.
  const writerOptions = { maxOperations: options.batchSize ?? 1000, flushIntervalMs: 50 };
  const writer = new BulkWriter(engine, writerOptions);
  const historyWriter = new BulkWriter(engine, writerOptions);
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const inFlight: Array<Promise<number>> = [];
  let failed = 0;
  try {
    for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
      const current = await currentVersions(engine, index, rows.slice(i, i + CHUNK_ROWS), stored);
      const pending: Array<Promise<{ ok: boolean }>> = [];
      for (const { operator } of rows.slice(i, i + CHUNK_ROWS)) {
        const before = current.get(operator.id);
        const changes = diffOperators(before, operator);
        if (before && changes.length === 0) {
          counts.unchanged += 1;
          continue;
        }
        if (before) operator.created_at = before.created_at;
        counts[before ? 'updated' : 'created'] += 1;
        const entry = history.entryOperation(
          operator.id,
          'import',
          options.actor,
          operator.updated_at,
          changes,
        );
        pending.push(writer.add({ op: 'index', index, id: operator.id, doc: toOperatorDoc(operator) }));
        pending.push(historyWriter.add(entry));
      }
      inFlight.push(Promise.all(pending).then((results) => results.filter((r) => !r.ok).length));
      if (inFlight.length >= CHUNKS_IN_FLIGHT) failed += (await inFlight.shift()) ?? 0;
    }
    for (const chunk of inFlight) failed += await chunk;
  } finally {
    await Promise.all([writer.close(), historyWriter.close()]);
  }
  if (failed > 0) {
    throw new NonRetryableError(`${failed} writes failed after validation; see the bulk-writer log`, {
      code: 'REGISTRY_IMPORT_INCOMPLETE',
      details: { failed, ...counts },
    });
  }
  await engine.refresh(index);
  await engine.refresh(history.index);
  return { ok: true, ...counts };
}

/** The stored versions of the chunk's operators that already exist (for diffs and `created_at`). */
async function currentVersions(
  engine: EnginePort,
  index: string,
  chunk: ImportRow[],
  stored: StoredIndex,
): Promise<Map<string, Operator>> {
  const current = new Map<string, Operator>();
  const existingIds = chunk.filter((r) => stored.types.has(r.operator.id)).map((r) => r.operator.id);
  if (existingIds.length === 0) return current;
  for (const got of await engine.mget<Doc>(index, existingIds)) {
    if (got.found && got.source) current.set(got.id, fromOperatorDoc(got.source));
  }
  return current;
}
