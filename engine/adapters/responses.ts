/** Response parsing shared by both adapters: the engines answer each operation with the same JSON. */
import type {
  AnalyzeToken,
  BulkItemResult,
  BulkOperation,
  BulkResult,
  ByQueryResult,
  Doc,
  EngineHealth,
  EngineInfo,
  GetResult,
  SearchHit,
  SearchResult,
  WriteResult,
} from '../port.js';

interface RawHit {
  _index: string;
  _id: string;
  _score?: number | null;
  _source?: unknown;
  sort?: unknown[];
  highlight?: Record<string, string[]>;
  _seq_no?: number;
  _primary_term?: number;
  fields?: Record<string, unknown[]>;
}

interface RawSearch {
  took?: number;
  hits?: { total?: number | { value: number; relation: 'eq' | 'gte' }; hits?: RawHit[] };
  aggregations?: Record<string, unknown>;
  pit_id?: string;
}

interface RawBulkItem {
  _index?: string;
  _id?: string;
  status: number;
  result?: string;
  error?: { type?: string; reason?: string };
  _seq_no?: number;
  _primary_term?: number;
}

interface RawGet {
  _index: string;
  _id: string;
  found?: boolean;
  _source?: unknown;
  _seq_no?: number;
  _primary_term?: number;
}

function hitOf<T>(raw: RawHit): SearchHit<T> {
  const hit: SearchHit<T> = {
    index: raw._index,
    id: raw._id,
    score: raw._score ?? null,
    source: raw._source as T,
  };
  if (raw.sort) hit.sort = raw.sort;
  if (raw.highlight) hit.highlight = raw.highlight;
  if (raw._seq_no !== undefined) hit.seqNo = raw._seq_no;
  if (raw._primary_term !== undefined) hit.primaryTerm = raw._primary_term;
  const slots = raw.fields?._percolator_document_slot;
  if (slots) hit.slots = slots.filter((slot): slot is number => typeof slot === 'number');
  return hit;
}

/** When totals are not tracked the engine omits them: `total` is then the hits returned, a lower bound. */
export function parseSearch<T>(body: unknown): SearchResult<T> {
  const raw = body as RawSearch;
  const hits = (raw.hits?.hits ?? []).map((h) => hitOf<T>(h));
  const total = raw.hits?.total;
  const result: SearchResult<T> = {
    tookMs: raw.took ?? 0,
    total: typeof total === 'number' ? total : (total?.value ?? hits.length),
    totalRelation: typeof total === 'object' ? total.relation : total === undefined ? 'gte' : 'eq',
    hits,
  };
  if (raw.aggregations) result.aggregations = raw.aggregations;
  if (raw.pit_id) result.pitId = raw.pit_id;
  return result;
}

function bulkItemOf(
  operation: BulkOperation,
  entry: Record<string, RawBulkItem> | undefined,
): BulkItemResult {
  const raw = entry?.[operation.op] ?? Object.values(entry ?? {})[0];
  const status = raw?.status ?? 0;
  const item: BulkItemResult = {
    op: operation.op,
    index: raw?._index ?? operation.index,
    id: raw?._id ?? operation.id,
    status,
    ok: status >= 200 && status < 300,
  };
  if (raw?.result !== undefined) item.result = raw.result;
  if (raw?.error) item.error = { type: raw.error.type ?? 'unknown', reason: raw.error.reason ?? '' };
  else if (!raw)
    item.error = { type: 'missing_item', reason: 'the engine returned no result for this operation' };
  if (raw?._seq_no !== undefined && raw._seq_no >= 0) item.seqNo = raw._seq_no;
  if (raw?._primary_term !== undefined && raw._primary_term > 0) item.primaryTerm = raw._primary_term;
  return item;
}

/** Pairs bulk items with operations by position (the engine answers in request order). */
export function parseBulk(body: unknown, operations: BulkOperation[]): BulkResult {
  const raw = body as { took?: number; errors?: boolean; items?: Array<Record<string, RawBulkItem>> };
  const items = operations.map((operation, i) => bulkItemOf(operation, raw.items?.[i]));
  return { tookMs: raw.took ?? 0, errors: items.some((item) => !item.ok), items };
}

export function parseGet<T>(raw: RawGet): GetResult<T> {
  const result: GetResult<T> = { index: raw._index, id: raw._id, found: raw.found === true };
  if (raw.found) {
    result.source = raw._source as T;
    if (raw._seq_no !== undefined) result.seqNo = raw._seq_no;
    if (raw._primary_term !== undefined) result.primaryTerm = raw._primary_term;
  }
  return result;
}

export function parseMget<T>(body: unknown): GetResult<T>[] {
  return ((body as { docs?: RawGet[] }).docs ?? []).map((doc) => parseGet<T>(doc));
}

export function parseWrite(body: unknown): WriteResult {
  const raw = body as { _id: string; result: string; _seq_no: number; _primary_term: number };
  return { id: raw._id, result: raw.result, seqNo: raw._seq_no, primaryTerm: raw._primary_term };
}

export function parseByQuery(body: unknown): ByQueryResult {
  const raw = body as {
    total?: number;
    deleted?: number;
    updated?: number;
    created?: number;
    version_conflicts?: number;
    failures?: unknown[];
  };
  return {
    total: raw.total ?? 0,
    affected: (raw.deleted ?? 0) + (raw.updated ?? 0) + (raw.created ?? 0),
    versionConflicts: raw.version_conflicts ?? 0,
    failures: raw.failures ?? [],
  };
}

export function parseAnalyze(body: unknown): AnalyzeToken[] {
  const raw = body as {
    tokens?: Array<{
      token: string;
      start_offset: number;
      end_offset: number;
      type: string;
      position: number;
    }>;
  };
  return (raw.tokens ?? []).map((t) => ({
    token: t.token,
    startOffset: t.start_offset,
    endOffset: t.end_offset,
    type: t.type,
    position: t.position,
  }));
}

/** `GET /`: OpenSearch says `version.distribution: "opensearch"`; Elasticsearch has no distribution. */
export function parseInfo(body: unknown): EngineInfo {
  const raw = body as { cluster_name?: string; version?: { number?: string; distribution?: string } };
  return {
    flavour: raw.version?.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
    version: raw.version?.number ?? 'unknown',
    clusterName: raw.cluster_name ?? 'unknown',
  };
}

export function parseHealth(body: unknown): EngineHealth {
  const raw = body as { status: EngineHealth['status']; number_of_nodes: number; timed_out: boolean };
  return { status: raw.status, numberOfNodes: raw.number_of_nodes, timedOut: raw.timed_out };
}

/** `{ <concrete index>: { <key>: ... } }` → the value under `key` of the first index. */
export function firstIndexEntry(body: unknown, key: 'mappings' | 'settings'): Doc {
  const first = Object.values((body ?? {}) as Record<string, Record<string, Doc>>)[0];
  return first?.[key] ?? {};
}
