import { ValidationError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { Doc, EnginePort, SearchHit, SearchRequest } from './port.js';

/** How {@link scanAll} pages. */
export interface ScanOptions {
  /** Hits per page (1 to 10,000). @default 1000 */
  pageSize?: number;
  /**
   * A keyword field unique per document, sorted last so no hit is skipped or repeated between pages.
   * Every Argus mapping has `id` (a copy of `_id`; sorting on `_id` is off in Elasticsearch 8). @default 'id'
   */
  tiebreaker?: string;
  /** How long the point in time lives between two pages. @default '1m' */
  keepAlive?: string;
}

function sortsOn(entry: unknown, field: string): boolean {
  if (typeof entry === 'string') return entry === field;
  return typeof entry === 'object' && entry !== null && field in entry;
}

function validate(request: SearchRequest, pageSize: number, keepAlive: string): string | string[] {
  if (request.index === undefined || (Array.isArray(request.index) && request.index.length === 0)) {
    throw new ValidationError('scanAll needs an index', { field: 'index' });
  }
  if (request.from !== undefined || request.searchAfter !== undefined || request.pit !== undefined) {
    throw new ValidationError('scanAll pages by itself: do not set from, searchAfter or pit', {
      field: 'from',
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    throw new ValidationError('pageSize must be an integer from 1 to 10000', {
      field: 'pageSize',
      value: pageSize,
    });
  }
  if (!/^\d+(ms|s|m|h|d)$/.test(keepAlive)) {
    throw new ValidationError('keepAlive must be a time value such as 1m or 30s', { field: 'keepAlive' });
  }
  return request.index;
}

/**
 * Every hit of `request`, page after page, each exactly once: through a point in time where the engine
 * has one (a stable view while documents change), else plain `search_after` on the live index. The
 * point in time is closed when the loop ends, breaks or throws.
 */
export async function* scanAll<T = Doc>(
  engine: EnginePort,
  request: SearchRequest,
  options: ScanOptions = {},
): AsyncGenerator<SearchHit<T>, void, undefined> {
  const { pageSize = 1000, tiebreaker = 'id', keepAlive = '1m' } = options;
  const index = validate(request, pageSize, keepAlive);
  const sort = [...(request.sort ?? [])];
  if (!sort.some((entry) => sortsOn(entry, tiebreaker))) sort.push({ [tiebreaker]: 'asc' });
  let pitId = await engine.openPointInTime(Array.isArray(index) ? index.join(',') : index, keepAlive);
  try {
    let searchAfter: unknown[] | undefined;
    for (;;) {
      const page = await engine.search<T>({
        ...request,
        index: pitId === undefined ? index : undefined,
        pit: pitId === undefined ? undefined : { id: pitId, keepAlive },
        size: pageSize,
        sort,
        searchAfter,
        trackTotalHits: false,
      });
      pitId = page.pitId ?? pitId;
      for (const hit of page.hits) yield hit;
      const last = page.hits.at(-1);
      if (page.hits.length < pageSize || !last?.sort) return;
      searchAfter = last.sort;
    }
  } finally {
    if (pitId !== undefined) await closeQuietly(engine, pitId);
  }
}

/** A failed close must not hide the loop's own outcome; the point in time expires by itself anyway. */
async function closeQuietly(engine: EnginePort, pitId: string): Promise<void> {
  try {
    await engine.closePointInTime(pitId);
  } catch (error) {
    logger('engine').warn({ err: error }, 'could not close point in time; it will expire');
  }
}
