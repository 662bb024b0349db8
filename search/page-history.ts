/**
 * A page's history: its stored versions (`page-versions`, one per changed fetch) and a word-level diff
 * between two of them (Chinese segmented with Intl.Segmenter, so a changed phrase shows as words, not
 * as one block). The caller has checked that the page lies in scope.
 */
import { diffWords } from 'diff';
import { NonRetryableError } from '../core/errors.js';
import type { Doc, EnginePort } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';

export interface PageVersionSummary {
  version: number;
  fetchedAt: string | null;
  contentHash: string | null;
  title: string | null;
  diff: Doc | null;
}

/** Versions of a page, newest first (at most 500). */
export async function pageVersions(
  engine: EnginePort,
  prefix: string,
  pageId: string,
): Promise<PageVersionSummary[]> {
  const result = await engine.search<Doc>({
    index: aliasName(prefix, 'page-versions'),
    size: 500,
    query: { term: { page_id: pageId } },
    sort: [{ version: 'desc' }],
    source: ['version', 'fetched_at', 'content_hash', 'title', 'diff'],
  });
  return result.hits.map((h) => ({
    version: Number(h.source.version),
    fetchedAt: (h.source.fetched_at as string | undefined) ?? null,
    contentHash: (h.source.content_hash as string | undefined) ?? null,
    title: (h.source.title as string | undefined) ?? null,
    diff: (h.source.diff as Doc | undefined) ?? null,
  }));
}

export interface DiffChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface PageDiff {
  from: number;
  to: number;
  title: { from: string; to: string };
  changes: DiffChange[];
  inserted: number;
  deleted: number;
}

/** Longest text diffed; longer versions are cut here (and say so in `truncated`). */
export const MAX_DIFF_CHARS = 200_000;
const DIFF_TIMEOUT_MS = 2_000;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

async function version(engine: EnginePort, prefix: string, pageId: string, n: number): Promise<Doc> {
  const got = await engine.get<Doc>(aliasName(prefix, 'page-versions'), `${pageId}:${n}`);
  if (!got.found || !got.source) {
    throw new NonRetryableError(`Page ${pageId} has no version ${n}`, {
      code: 'VERSION_NOT_FOUND',
      httpStatus: 404,
      details: { id: pageId, version: n },
    });
  }
  return got.source;
}

const textOf = (doc: Doc, field: string): string => {
  const value = doc[field];
  return typeof value === 'string' ? value.slice(0, MAX_DIFF_CHARS) : '';
};

/** The word diff of the text of versions `from` and `to`; 422 `DIFF_TOO_LARGE` when it takes too long. */
export async function diffPageVersions(
  engine: EnginePort,
  prefix: string,
  pageId: string,
  from: number,
  to: number,
): Promise<PageDiff> {
  const [a, b] = await Promise.all([
    version(engine, prefix, pageId, from),
    version(engine, prefix, pageId, to),
  ]);
  const changes = diffWords(textOf(a, 'text'), textOf(b, 'text'), {
    intlSegmenter: segmenter,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (!changes) {
    throw new NonRetryableError('The versions differ too much to diff in time', {
      code: 'DIFF_TOO_LARGE',
      httpStatus: 422,
      details: { id: pageId, from, to },
    });
  }
  let inserted = 0;
  let deleted = 0;
  const out: DiffChange[] = changes.map((c) => {
    if (c.added) inserted += c.value.length;
    if (c.removed) deleted += c.value.length;
    return { op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value };
  });
  return {
    from,
    to,
    title: { from: textOf(a, 'title'), to: textOf(b, 'title') },
    changes: out,
    inserted,
    deleted,
  };
}
