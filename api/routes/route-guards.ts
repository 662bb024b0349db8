/** Small checks several routes share. */
import type { Request } from 'express';
import { NonRetryableError, ValidationError } from '../../core/errors.js';
import { deepestLevel } from '../../registry/scope.js';
import type { ScopedAccess } from '../auth/principal.js';

/**
 * Bulk imports write across the whole tree and the registry's importers do not filter rows by scope,
 * so only a principal scoped to the city may run them (403 `OUT_OF_SCOPE` otherwise).
 */
export function requireCityScope(access: ScopedAccess, what: string): void {
  if (deepestLevel(access.principal.scope ?? {}) !== 'city') {
    throw new NonRetryableError(`Only the city bureau may ${what}`, {
      code: 'OUT_OF_SCOPE',
      httpStatus: 403,
    });
  }
}

/** The body must be CSV (`text/csv`), streamed to the importer as it arrives. */
export function requireCsv(req: Request): void {
  if (!req.is('text/csv')) {
    throw new ValidationError('Send the file as text/csv', { part: 'header', field: 'content-type' });
  }
}
