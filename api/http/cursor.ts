/** Opaque paging cursors: the engine's `search_after` sort values, base64url-encoded JSON. */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';

const sortValues = z
  .array(z.union([z.string().max(1_000), z.number(), z.boolean(), z.null()]))
  .min(1)
  .max(4);

/** The query-string form of a cursor (`after=`), checked for shape before it is decoded. */
export const cursorParam = z
  .string()
  .max(2_000)
  .regex(/^[A-Za-z0-9_-]+$/, 'an opaque cursor from a previous answer');

/** The cursor of the page after the one whose last hit sorted at `sort`. */
export function encodeCursor(sort: readonly unknown[] | undefined): string | undefined {
  if (!sort || sort.length === 0) return undefined;
  return Buffer.from(JSON.stringify(sort), 'utf8').toString('base64url');
}

/** Decodes a cursor; a forged or damaged one is a 400 `CURSOR_INVALID`. */
export function decodeCursor(cursor: string, expectedLength: number): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = sortValues.safeParse(parsed);
  if (!result.success || result.data.length !== expectedLength) {
    throw new ValidationError(
      'The cursor is not one this API handed out',
      { part: 'query', field: 'after' },
      'CURSOR_INVALID',
    );
  }
  return result.data;
}
