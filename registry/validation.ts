/** zod failures as the registry reports them: one `{ field, reason }` per problem. */
import type { z } from 'zod';
import type { FieldProblem } from './jurisdictions/jurisdiction.rules.js';
import { invalid } from './registry.errors.js';

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(record)',
    reason: issue.message,
  }));
}

/** Parses `input` with `schema`, or throws a ValidationError listing every problem by field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, kind: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(kind, zodProblems(result.error));
  return result.data;
}
