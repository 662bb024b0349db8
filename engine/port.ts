/**
 * The engine port: the only operations Argus asks of a search engine. Query DSL, mappings and
 * analyzers are shared by OpenSearch 2.x and Elasticsearch 8/9; each adapter turns this port into
 * one client's calls and the engine's failures into AppErrors (`ENGINE_*` codes, 429/503 retryable).
 */
export type EngineFlavour = 'opensearch' | 'elasticsearch';

export type Doc = Record<string, unknown>;

export interface EngineInfo {
  flavour: EngineFlavour;
  version: string;
  clusterName: string;
}

export interface EngineHealth {
  status: 'green' | 'yellow' | 'red';
  numberOfNodes: number;
  timedOut: boolean;
}

export type RefreshPolicy = boolean | 'wait_for';

/** Optimistic concurrency: the write applies only if the document is still at this seq_no/primary_term. */
export interface ConcurrencyGuard {
  ifSeqNo: number;
  ifPrimaryTerm: number;
}

export interface Script {
  source: string;
  params?: Record<string, unknown>;
  lang?: 'painless';
}

export type BulkOperation =
  | { op: 'index'; index: string; id: string; doc: Doc; guard?: ConcurrencyGuard }
  | { op: 'create'; index: string; id: string; doc: Doc }
  | {
      op: 'update';
      index: string;
      id: string;
      doc?: Doc;
      script?: Script;
      upsert?: Doc;
      docAsUpsert?: boolean;
      retryOnConflict?: number;
      guard?: ConcurrencyGuard;
    }
  | { op: 'delete'; index: string; id: string; guard?: ConcurrencyGuard };

export interface BulkItemResult {
  op: BulkOperation['op'];
  index: string;
  id: string;
  status: number;
  ok: boolean;
  /** `created`, `updated`, `deleted`, `noop`, `not_found`. */
  result?: string;
  error?: { type: string; reason: string };
  seqNo?: number;
  primaryTerm?: number;
}

export interface BulkResult {
  tookMs: number;
  errors: boolean;
  /** One per operation, in request order. */
  items: BulkItemResult[];
}

export interface SearchRequest {
  /** Index or alias names; omitted when `pit` is set. */
  index?: string | string[];
  query?: Doc;
  size?: number;
  from?: number;
  sort?: unknown[];
  searchAfter?: unknown[];
  aggs?: Doc;
  highlight?: Doc;
  /** `_source` filtering. */
  source?: boolean | string[];
  trackTotalHits?: boolean | number;
  pit?: { id: string; keepAlive: string };
  /** Ask for seq_no/primary_term of each hit. */
  seqNoPrimaryTerm?: boolean;
  timeoutMs?: number;
}

export interface SearchHit<T = Doc> {
  index: string;
  id: string;
  score: number | null;
  source: T;
  sort?: unknown[];
  highlight?: Record<string, string[]>;
  seqNo?: number;
  primaryTerm?: number;
  /** Percolate only: which of the submitted documents matched this query. */
  slots?: number[];
}

export interface SearchResult<T = Doc> {
  tookMs: number;
  total: number;
  /** `gte` when `total` is a lower bound (totals capped or not tracked). */
  totalRelation?: 'eq' | 'gte';
  hits: SearchHit<T>[];
  aggregations?: Record<string, unknown>;
  /** The point in time to pass to the next page, when one was used. */
  pitId?: string;
}

export interface GetResult<T = Doc> {
  index: string;
  id: string;
  found: boolean;
  source?: T;
  seqNo?: number;
  primaryTerm?: number;
}

export interface WriteResult {
  id: string;
  result: string;
  seqNo: number;
  primaryTerm: number;
}

export interface AnalyzeRequest {
  text: string | string[];
  index?: string;
  analyzer?: string;
  normalizer?: string;
  field?: string;
  tokenizer?: string | Doc;
  filter?: Array<string | Doc>;
  charFilter?: Array<string | Doc>;
}

export interface AnalyzeToken {
  token: string;
  startOffset: number;
  endOffset: number;
  type: string;
  position: number;
}

export type AliasAction =
  | { add: { index: string; alias: string; isWriteIndex?: boolean } }
  | { remove: { index: string; alias: string } };

export interface ByQueryResult {
  total: number;
  /** Documents deleted or updated. */
  affected: number;
  versionConflicts: number;
  failures: unknown[];
}

export interface PercolateRequest {
  /** Index holding the percolator queries (rules). */
  index: string;
  /** Name of the `percolator` field. */
  field: string;
  documents: Doc[];
  /** Extra filter on the query documents, e.g. `{ term: { enabled: true } }`. */
  filter?: Doc;
  size?: number;
  source?: boolean | string[];
}

export interface EnginePort {
  readonly flavour: EngineFlavour;

  info(): Promise<EngineInfo>;
  health(options?: { waitForStatus?: 'yellow' | 'green'; timeoutMs?: number }): Promise<EngineHealth>;

  putIndexTemplate(name: string, body: Doc): Promise<void>;
  getIndexTemplate(name: string): Promise<Doc | undefined>;
  /** Deletes a composable index template; a missing one is ignored. */
  deleteIndexTemplate(name: string): Promise<void>;
  indexExists(index: string): Promise<boolean>;
  createIndex(index: string, body?: Doc): Promise<void>;
  /** Deletes indices by name or wildcard pattern; missing ones are ignored. */
  deleteIndex(index: string): Promise<void>;
  getMapping(index: string): Promise<Doc>;
  putMapping(index: string, body: Doc): Promise<void>;
  getSettings(index: string): Promise<Doc>;
  /** Concrete indices behind an alias; [] when it does not exist. */
  getAliasTargets(alias: string): Promise<string[]>;
  /** Applies all actions atomically. */
  updateAliases(actions: AliasAction[]): Promise<void>;
  /** Copies every document; waits for completion. */
  reindex(source: string, dest: string): Promise<ByQueryResult>;
  refresh(index: string): Promise<void>;

  bulk(operations: BulkOperation[], options?: { refresh?: RefreshPolicy }): Promise<BulkResult>;
  index(
    index: string,
    id: string,
    doc: Doc,
    options?: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy; createOnly?: boolean },
  ): Promise<WriteResult>;
  /** Partial update; with a guard it fails with `ENGINE_VERSION_CONFLICT` when someone wrote first. */
  update(
    index: string,
    id: string,
    change: { doc?: Doc; script?: Script; upsert?: Doc },
    options?: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy; retryOnConflict?: number },
  ): Promise<WriteResult>;
  delete(
    index: string,
    id: string,
    options?: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy },
  ): Promise<boolean>;
  get<T = Doc>(index: string, id: string): Promise<GetResult<T>>;
  mget<T = Doc>(index: string, ids: string[]): Promise<GetResult<T>[]>;

  search<T = Doc>(request: SearchRequest): Promise<SearchResult<T>>;
  /** One result or one AppError per request, in order. */
  msearch<T = Doc>(requests: SearchRequest[]): Promise<Array<SearchResult<T> | Error>>;
  count(index: string, query?: Doc): Promise<number>;
  deleteByQuery(index: string, query: Doc, options?: { refresh?: boolean }): Promise<ByQueryResult>;
  updateByQuery(
    index: string,
    query: Doc,
    script: Script,
    options?: { refresh?: boolean },
  ): Promise<ByQueryResult>;

  analyze(request: AnalyzeRequest): Promise<AnalyzeToken[]>;
  /** Queries (hits) in `index` matching any of `documents`; `slots` says which. */
  percolate<T = Doc>(request: PercolateRequest): Promise<SearchResult<T>>;

  /** A point in time over `index`, or undefined when the engine has none. */
  openPointInTime(index: string, keepAlive: string): Promise<string | undefined>;
  closePointInTime(id: string): Promise<void>;

  close(): Promise<void>;
}
