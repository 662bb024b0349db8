/**
 * The jurisdiction tree as CSV: `id,level,name,parent_id`, one node a row, in any order. An import is
 * all-or-nothing: every row is checked against the stored tree plus the file before anything is written.
 */
import type { JurisdictionTree } from '../jurisdictions/jurisdiction-tree.js';
import { nodeProblems } from '../jurisdictions/jurisdiction.rules.js';
import type { JurisdictionLevel, JurisdictionNode, JurisdictionRef } from '../types.js';
import { csvLine, readCsv, type CsvProblem, type CsvSource } from './csv-read.js';

export const TREE_COLUMNS = ['id', 'level', 'name', 'parent_id'] as const;

/** Either the counts written or, when any row is wrong, the report and nothing written. */
export type TreeImportResult =
  { ok: true; created: number; updated: number; unchanged: number } | { ok: false; problems: CsvProblem[] };

interface TreeRow {
  row: number;
  node: JurisdictionNode;
}

async function readTreeRows(source: CsvSource, problems: CsvProblem[]): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for await (const item of readCsv(source, { required: TREE_COLUMNS, known: TREE_COLUMNS })) {
    if (item.kind === 'problem') {
      problems.push(item.problem);
      continue;
    }
    const { row, values } = item.row;
    const node: JurisdictionNode = {
      id: values.id ?? '',
      level: (values.level ?? '').toLowerCase() as JurisdictionLevel,
      name: values.name ?? '',
      parent_id: values.parent_id ? values.parent_id : null,
    };
    rows.push({ row, node });
  }
  return rows;
}

/** Problems of every row against `stored` plus the file itself (duplicates, parents, levels, moves). */
function treeProblems(rows: TreeRow[], stored: Map<string, JurisdictionNode>): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const merged = new Map(stored);
  const firstRow = new Map<string, number>();
  for (const { row, node } of rows) {
    const first = firstRow.get(node.id);
    if (first !== undefined)
      problems.push({ row, column: 'id', reason: `id "${node.id}" already on row ${first}` });
    else firstRow.set(node.id, row);
    merged.set(node.id, node);
  }
  for (const { row, node } of rows) {
    const parent = node.parent_id ? merged.get(node.parent_id) : undefined;
    for (const p of nodeProblems(node, parent)) problems.push({ row, column: p.field, reason: p.reason });
    const existing = stored.get(node.id);
    if (existing && (existing.level !== node.level || existing.parent_id !== node.parent_id)) {
      problems.push({
        row,
        column: existing.level !== node.level ? 'level' : 'parent_id',
        reason: `node "${node.id}" exists as a ${existing.level} under "${existing.parent_id ?? '(none)'}"; move it instead`,
      });
    }
  }
  return problems.sort((a, b) => a.row - b.row);
}

/** Validates the whole file, then writes every node, or nothing and the report. */
export async function importTreeCsv(source: CsvSource, tree: JurisdictionTree): Promise<TreeImportResult> {
  const problems: CsvProblem[] = [];
  const rows = await readTreeRows(source, problems);
  if (problems.length > 0) return { ok: false, problems };
  const stored = await tree.loadAll();
  problems.push(...treeProblems(rows, stored));
  if (problems.length > 0) return { ok: false, problems };
  const changed = rows.filter(({ node }) => stored.get(node.id)?.name !== node.name);
  await tree.writeMany(changed.map((r) => r.node));
  const updated = changed.filter(({ node }) => stored.has(node.id)).length;
  return { ok: true, created: changed.length - updated, updated, unchanged: rows.length - changed.length };
}

/** The tree (or the part inside `scope`) as CSV lines, header first, parents before children. */
export async function* exportTreeCsv(
  tree: JurisdictionTree,
  scope?: JurisdictionRef,
): AsyncGenerator<string, void, undefined> {
  yield csvLine(TREE_COLUMNS);
  for (const node of await tree.list(scope ? { scope } : {})) {
    yield csvLine([node.id, node.level, node.name, node.parent_id]);
  }
}
