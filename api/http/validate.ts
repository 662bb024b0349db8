/** zod parsing of a request's params, query and body: a failure is a 400 with every problem, never a 500. */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';

/** Which part of the request failed, for the error's `details.part`. */
export type RequestPart = 'params' | 'query' | 'body' | 'header';

/** Parses `input` with `schema` or throws `VALIDATION_FAILED` listing `{ field, reason }` per problem. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    reason: issue.message,
  }));
  const summary = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
  throw new ValidationError(`Invalid ${part}: ${summary}`, { part, problems });
}

/** Paging shared by every listing; `from + size` stays under the engine's result window. */
export const pagingSchema = {
  from: z.coerce.number().int().min(0).max(9_000).default(0),
  size: z.coerce.number().int().min(1).max(200).default(20),
};

/**
 * THE id validator of every route: a keyword of letters, digits and `_ . : @ -`, up to 200 characters,
 * never `..`, a slash, a wildcard, a comma (engine multi-target syntax), whitespace or a NUL byte.
 */
export const idString = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}_][\p{L}\p{N}_.:@-]*$/u, 'letters, digits, "_", ".", ":", "@" and "-" only')
  .refine((v) => !v.includes('..'), 'must not contain ".."');

/** An id in a path: a keyword, never a pattern or a path. */
export const idParam = z.object({ id: idString }).strict();

/** A comma-separated list in a query string (`facets=site,category`). */
export function csvList<T extends string>(allowed: readonly T[]): z.ZodType<T[]> {
  return z
    .string()
    .max(500)
    .transform((value) =>
      value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    )
    .pipe(z.array(z.enum(allowed as unknown as [T, ...T[]])).max(allowed.length));
}
