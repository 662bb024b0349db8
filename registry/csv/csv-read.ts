/**
 * Reading registry CSV files with csv-parse: a header row names the columns; each data row comes out
 * as `{ row, values }` where `row` is the file's 1-based line number (the header is line 1; a record
 * spanning lines has the line it ends on).
 * Anything wrong with the file itself (unknown or missing columns, a broken quote, a row with too many
 * cells) becomes a {@link CsvProblem}, never an exception.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

/** One entry of a validation report. `column` is '' when the problem is the whole row or file. */
export interface CsvProblem {
  row: number;
  column: string;
  reason: string;
}

/** A CSV file as text, bytes, a stream or any async iterable of chunks. */
export type CsvSource = string | Buffer | NodeJS.ReadableStream | AsyncIterable<string | Buffer>;

export interface CsvRow {
  row: number;
  values: Record<string, string>;
}

/** The columns a file must have and may have. */
export interface CsvColumns {
  required: readonly string[];
  known: readonly string[];
}

export type CsvItem = { kind: 'row'; row: CsvRow } | { kind: 'problem'; problem: CsvProblem };

function toStream(source: CsvSource): NodeJS.ReadableStream {
  if (typeof source === 'string' || Buffer.isBuffer(source)) return Readable.from([source]);
  if (Symbol.asyncIterator in source && !('pipe' in source)) return Readable.from(source);
  return source;
}

function headerProblems(header: string[], columns: CsvColumns, row: number): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!columns.known.includes(name)) {
      problems.push({
        row,
        column: name,
        reason: `unknown column; expected some of: ${columns.known.join(', ')}`,
      });
    } else if (seen.has(name)) {
      problems.push({ row, column: name, reason: 'column appears twice' });
    }
    seen.add(name);
  }
  for (const name of columns.required) {
    if (!seen.has(name)) problems.push({ row, column: name, reason: 'required column is missing' });
  }
  return problems;
}

/**
 * Rows and problems of a CSV file, in order. After a problem with the header or with the CSV syntax
 * the reading stops (nothing after it can be trusted).
 */
export async function* readCsv(
  source: CsvSource,
  columns: CsvColumns,
): AsyncGenerator<CsvItem, void, undefined> {
  const parser = toStream(source).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }),
  ) as AsyncIterable<{ record: string[]; info: { lines: number } }>;
  let header: string[] | undefined;
  let row = 1;
  try {
    for await (const { record: cells, info } of parser) {
      row = info.lines;
      if (!header) {
        header = cells.map((name) => name.trim().toLowerCase());
        const problems = headerProblems(header, columns, row);
        for (const problem of problems) yield { kind: 'problem', problem };
        if (problems.length > 0) return;
        continue;
      }
      if (cells.length > header.length) {
        const reason = `${cells.length} cells, the header has ${header.length}`;
        yield { kind: 'problem', problem: { row, column: '', reason } };
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((name, i) => (values[name] = cells[i] ?? ''));
      yield { kind: 'row', row: { row, values } };
    }
  } catch (error) {
    const lines = (error as { lines?: unknown }).lines;
    const at = typeof lines === 'number' ? lines : row + 1;
    yield {
      kind: 'problem',
      problem: { row: at, column: '', reason: `not valid CSV: ${(error as Error).message}` },
    };
    return;
  }
  if (!header) {
    yield {
      kind: 'problem',
      problem: { row: 1, column: '', reason: 'the file is empty: a header row is needed' },
    };
  }
}

/** One CSV line (with its line break) for `cells`; quoting as needed. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return stringify([cells.map((cell) => (cell === null || cell === undefined ? '' : String(cell)))]);
}

/** Splits a `;`-separated list cell; empty entries dropped. */
export function splitList(cell: string | undefined): string[] {
  if (!cell) return [];
  return cell
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
