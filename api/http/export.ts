/** Streams a scan of the engine to the client as NDJSON or CSV, with back-pressure. */
import { once } from 'node:events';
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { logger } from '../../core/logger.js';
import type { Doc } from '../../engine/port.js';

export const exportFormat = z.enum(['ndjson', 'csv']).default('ndjson');
export type ExportFormat = z.infer<typeof exportFormat>;

/** The value at a dotted path (`jurisdiction.grid`), arrays joined with `|`. */
export function valueAt(doc: Doc, path: string): string {
  let current: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Doc)[key];
  }
  if (current === undefined || current === null) return '';
  if (Array.isArray(current)) return current.map((v) => scalar(v)).join('|');
  return scalar(current);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

/**
 * Writes every document of `docs` as one NDJSON line or one CSV row (header first). A failure after
 * the first byte cannot become a JSON error any more: the connection is cut so the client sees a
 * truncated download, never a silently short one.
 */
export async function streamExport(
  res: Response,
  docs: AsyncIterable<Doc>,
  options: { format: ExportFormat; columns: readonly string[]; filename: string },
): Promise<number> {
  const csv = options.format === 'csv';
  res.status(200);
  res.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${options.filename}.${options.format}"`);
  let count = 0;
  try {
    if (csv) await write(res, '\ufeff' + stringify([options.columns]));
    for await (const doc of docs) {
      await write(
        res,
        csv ? stringify([options.columns.map((c) => valueAt(doc, c))]) : `${JSON.stringify(doc)}\n`,
      );
      count++;
    }
    res.end();
  } catch (error) {
    logger('api.export').error({ err: error, exported: count }, 'export failed midway');
    res.destroy(error instanceof Error ? error : new Error('export failed'));
  }
  return count;
}

/** Streams ready-made lines (e.g. the registry's CSV exports) as a download. */
export async function streamLines(
  res: Response,
  lines: AsyncIterable<string>,
  filename: string,
): Promise<number> {
  const csv = filename.endsWith('.csv');
  res.status(200);
  res.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  let count = 0;
  try {
    for await (const line of lines) {
      await write(res, line.endsWith('\n') ? line : `${line}\n`);
      count++;
    }
    res.end();
  } catch (error) {
    logger('api.export').error({ err: error, exported: count }, 'export failed midway');
    res.destroy(error instanceof Error ? error : new Error('export failed'));
  }
  return count;
}
