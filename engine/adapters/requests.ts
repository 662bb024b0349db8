/**
 * Request building shared by both adapters: the REST paths and bodies are the same on OpenSearch 2.x
 * and Elasticsearch 8 for every operation of the port except points in time.
 */
import { ValidationError } from '../../core/errors.js';
import type {
  AnalyzeRequest,
  BulkOperation,
  ConcurrencyGuard,
  Doc,
  PercolateRequest,
  RefreshPolicy,
  SearchRequest,
} from '../port.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export type QueryParams = Record<string, string | number | boolean | undefined>;

/** One HTTP request to the engine, independent of the client that sends it. */
export interface WireRequest {
  method: HttpMethod;
  path: string;
  querystring?: QueryParams;
  body?: Doc;
  /** NDJSON lines (bulk, msearch); exclusive with `body`. */
  lines?: Doc[];
  /** Statuses answered as a response instead of thrown (e.g. 404 of a missing document). */
  ignore?: number[];
}

export interface WireResponse {
  statusCode: number;
  body: unknown;
}

/** The request as both clients' `transport.request` take it. */
export function clientParams(request: WireRequest): {
  method: HttpMethod;
  path: string;
  querystring?: Record<string, string | number | boolean>;
  body?: Doc;
  bulkBody?: Doc[];
} {
  const querystring = request.querystring && defined(request.querystring);
  return {
    method: request.method,
    path: request.path,
    querystring,
    body: request.body,
    bulkBody: request.lines,
  };
}

/** Encodes one path segment; an index segment keeps `*` and `,` (patterns, lists). */
function segment(name: string, what: 'index' | 'id'): string {
  if (name.length === 0) throw new ValidationError(`${what} must not be empty`, { [what]: name });
  const encoded = encodeURIComponent(name);
  return what === 'index' ? encoded.replace(/%2A/gi, '*').replace(/%2C/gi, ',') : encoded;
}

/** `/a,b` for one or several index names or patterns. */
export function indexPath(index: string | string[]): string {
  const names = Array.isArray(index) ? index : [index];
  if (names.length === 0) throw new ValidationError('index list must not be empty');
  return `/${names.map((name) => segment(name, 'index')).join(',')}`;
}

export function docPath(index: string, endpoint: '_doc' | '_create' | '_update', id: string): string {
  return `${indexPath(index)}/${endpoint}/${segment(id, 'id')}`;
}

export function refreshParam(refresh: RefreshPolicy | undefined): string | undefined {
  if (refresh === undefined || refresh === false) return undefined;
  return refresh === true ? 'true' : refresh;
}

export function guardParams(guard: ConcurrencyGuard | undefined): QueryParams {
  return guard ? { if_seq_no: guard.ifSeqNo, if_primary_term: guard.ifPrimaryTerm } : {};
}

/** The same object without its undefined values, so nothing sends `"size": undefined` or `?refresh=undefined`. */
export function defined<V>(record: Record<string, V | undefined>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}

/** The search body; `index` goes in the path (or nowhere, with a point in time). */
export function searchBody(request: SearchRequest): Doc {
  return defined<unknown>({
    query: request.query,
    size: request.size,
    from: request.from,
    sort: request.sort,
    search_after: request.searchAfter,
    aggs: request.aggs,
    highlight: request.highlight,
    _source: request.source,
    track_total_hits: request.trackTotalHits,
    pit: request.pit && { id: request.pit.id, keep_alive: request.pit.keepAlive },
    seq_no_primary_term: request.seqNoPrimaryTerm,
    timeout: request.timeoutMs === undefined ? undefined : `${request.timeoutMs}ms`,
  });
}

/** The indices to search, or undefined when paging a point in time (which names its own). */
function searchTarget(request: SearchRequest): string | string[] | undefined {
  if (request.pit) return undefined;
  if (request.index === undefined) throw new ValidationError('search needs an index or a point in time');
  return request.index;
}

/** `POST /<index>/_search`, or `POST /_search` with a point in time. */
export function searchPath(request: SearchRequest): string {
  const target = searchTarget(request);
  return target === undefined ? '/_search' : `${indexPath(target)}/_search`;
}

/** Header + body line pairs of `_msearch`. */
export function msearchLines(requests: SearchRequest[]): Doc[] {
  return requests.flatMap((request) => {
    const target = searchTarget(request);
    return [target === undefined ? {} : { index: target }, searchBody(request)];
  });
}

function bulkMeta(operation: BulkOperation): Doc {
  const guard = operation.op === 'create' ? undefined : operation.guard;
  return defined<unknown>({
    _index: operation.index,
    _id: operation.id,
    if_seq_no: guard?.ifSeqNo,
    if_primary_term: guard?.ifPrimaryTerm,
    retry_on_conflict: operation.op === 'update' ? operation.retryOnConflict : undefined,
  });
}

function updateLine(operation: Extract<BulkOperation, { op: 'update' }>): Doc {
  const { doc, script, upsert, docAsUpsert } = operation;
  return defined<unknown>({ doc, script, upsert, doc_as_upsert: docAsUpsert });
}

/** Action and source lines of `_bulk`, in operation order. */
export function bulkLines(operations: BulkOperation[]): Doc[] {
  const lines: Doc[] = [];
  for (const operation of operations) {
    lines.push({ [operation.op]: bulkMeta(operation) });
    if (operation.op === 'index' || operation.op === 'create') lines.push(operation.doc);
    else if (operation.op === 'update') lines.push(updateLine(operation));
  }
  return lines;
}

export function analyzeBody(request: AnalyzeRequest): Doc {
  const { text, analyzer, normalizer, field, tokenizer, filter, charFilter } = request;
  return defined<unknown>({ text, analyzer, normalizer, field, tokenizer, filter, char_filter: charFilter });
}

/**
 * A search for the stored queries matching any of the documents (`percolate` with `documents`). The
 * percolate clause is a filter: which queries match is all the caller asks, so nothing is scored.
 */
export function percolateSearch(request: PercolateRequest): SearchRequest {
  if (request.documents.length === 0) {
    throw new ValidationError('percolate needs at least one document');
  }
  const percolate = { percolate: { field: request.field, documents: request.documents } };
  return {
    index: request.index,
    query: { bool: { filter: request.filter ? [percolate, request.filter] : [percolate] } },
    size: request.size,
    source: request.source,
  };
}
