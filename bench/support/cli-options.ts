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
