import { InvalidArgumentError } from 'commander';

/** commander parser of a bench option that must be an integer ≥ 0. */
export function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
}

/** commander parser of a bench option that must be an integer ≥ 1. */
export function positiveInt(value: string): number {
  const parsed = nonNegativeInt(value);
  if (parsed === 0) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

/** commander parser of a repeatable `KEY=VALUE` environment setting, gathered into one record. */
export function envSetting(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected KEY=VALUE, e.g. API_PRINCIPAL_CACHE_MS=0');
  return { ...previous, [match[1] as string]: match[2] as string };
}
