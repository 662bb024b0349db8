import { errorCode } from '../../core/errors.js';
import type { EngineErrorContext } from '../errors.js';
import { EngineErrorCode, engineErrorFromResponse, toEngineError } from '../errors.js';
import type {
  AnalyzeRequest,
  AnalyzeToken,
  BulkOperation,
  BulkResult,
  ByQueryResult,
  ConcurrencyGuard,
  Doc,
  EngineFlavour,
  EnginePort,
  GetResult,
  PercolateRequest,
  RefreshPolicy,
  Script,
  SearchRequest,
  SearchResult,
  WriteResult,
} from '../port.js';
import type { WireResponse } from './requests.js';
import {
  analyzeBody,
  bulkLines,
  docPath,
  guardParams,
  indexPath,
  msearchLines,
  percolateSearch,
  refreshParam,
  searchBody,
  searchPath,
} from './requests.js';
import {
  parseAnalyze,
  parseBulk,
  parseByQuery,
  parseGet,
  parseMget,
  parseSearch,
  parseWrite,
} from './responses.js';
import { RestAdmin } from './rest-admin.js';

/**
 * What `parseBulk` reads of a bulk answer. Each item is paired with its operation by position, so its
 * `_index`, `_id`, `_version` and `_shards` need not come back: the answer shrinks to about a third
 * (903 → 331 bytes for four items), which the client would otherwise decode and parse.
 */
const BULK_FILTER_PATH = [
  'took',
  'errors',
  'items.*.status',
  'items.*.result',
  'items.*.error.type',
  'items.*.error.reason',
  'items.*._seq_no',
  'items.*._primary_term',
].join(',');

function hasError(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error' in body;
}

/**
 * The engine port over the engines' shared REST API: documents, search and percolation here, the
 * administration in {@link RestAdmin}. An adapter supplies `transmit`, the point-in-time endpoints
 * (the one place the engines differ) and `close`.
 */
export abstract class RestEngine extends RestAdmin implements EnginePort {
  abstract readonly flavour: EngineFlavour;
  abstract openPointInTime(index: string, keepAlive: string): Promise<string | undefined>;
  abstract closePointInTime(id: string): Promise<void>;
  abstract close(): Promise<void>;

  /**
   * Opens a point in time through the engine's endpoint; undefined when the server has no such endpoint
   * (older releases answer "no handler found"), so callers fall back to plain `search_after`.
   */
  protected async openPointInTimeAt(
    path: string,
    index: string,
    keepAlive: string,
  ): Promise<Doc | undefined> {
    const context = { operation: 'openPointInTime', index };
    const request = {
      method: 'POST' as const,
      path,
      querystring: { keep_alive: keepAlive },
      ignore: [400, 404, 405],
    };
    const response = await this.send(request, context);
    if (response.statusCode < 300) return response.body as Doc;
    const error = engineErrorFromResponse(response.statusCode, response.body, context);
    const reason = (error.details as { reason?: string } | undefined)?.reason ?? '';
    if (response.statusCode === 405 || /no handler found/i.test(reason)) return undefined;
    throw error;
  }

  /** A 404 that means "no such document" is an answer; one that means "no such index" is an error. */
  private rethrowIndexError(response: WireResponse, context: EngineErrorContext): void {
    if (response.statusCode >= 400 && hasError(response.body)) {
      throw engineErrorFromResponse(response.statusCode, response.body, context);
    }
  }

  async bulk(operations: BulkOperation[], options: { refresh?: RefreshPolicy } = {}): Promise<BulkResult> {
    if (operations.length === 0) return { tookMs: 0, errors: false, items: [] };
    const response = await this.send(
      {
        method: 'POST',
        path: '/_bulk',
        querystring: { refresh: refreshParam(options.refresh), filter_path: BULK_FILTER_PATH },
        lines: bulkLines(operations),
      },
      { operation: 'bulk' },
    );
    return parseBulk(response.body, operations);
  }

  async index(
    index: string,
    id: string,
    doc: Doc,
    options: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy; createOnly?: boolean } = {},
  ): Promise<WriteResult> {
    const path = docPath(index, options.createOnly ? '_create' : '_doc', id);
    const querystring = { ...guardParams(options.guard), refresh: refreshParam(options.refresh) };
    const response = await this.send(
      { method: 'PUT', path, querystring, body: doc },
      { operation: 'index', index },
    );
    return parseWrite(response.body);
  }

  async update(
    index: string,
    id: string,
    change: { doc?: Doc; script?: Script; upsert?: Doc },
    options: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy; retryOnConflict?: number } = {},
  ): Promise<WriteResult> {
    const querystring = {
      ...guardParams(options.guard),
      refresh: refreshParam(options.refresh),
      retry_on_conflict: options.retryOnConflict,
    };
    const body = { doc: change.doc, script: change.script, upsert: change.upsert };
    const request = { method: 'POST' as const, path: docPath(index, '_update', id), querystring, body };
    return parseWrite((await this.send(request, { operation: 'update', index })).body);
  }

  async delete(
    index: string,
    id: string,
    options: { guard?: ConcurrencyGuard; refresh?: RefreshPolicy } = {},
  ): Promise<boolean> {
    const context = { operation: 'delete', index };
    const querystring = { ...guardParams(options.guard), refresh: refreshParam(options.refresh) };
    const response = await this.send(
      { method: 'DELETE', path: docPath(index, '_doc', id), querystring, ignore: [404] },
      context,
    );
    this.rethrowIndexError(response, context);
    return response.statusCode !== 404;
  }

  async get<T = Doc>(index: string, id: string): Promise<GetResult<T>> {
    const context = { operation: 'get', index };
    const response = await this.send(
      { method: 'GET', path: docPath(index, '_doc', id), ignore: [404] },
      context,
    );
    this.rethrowIndexError(response, context);
    return parseGet<T>(response.body as Parameters<typeof parseGet>[0]);
  }

  async mget<T = Doc>(index: string, ids: string[]): Promise<GetResult<T>[]> {
    if (ids.length === 0) return [];
    const response = await this.send(
      { method: 'POST', path: `${indexPath(index)}/_mget`, body: { ids } },
      { operation: 'mget', index },
    );
    return parseMget<T>(response.body);
  }

  async search<T = Doc>(request: SearchRequest): Promise<SearchResult<T>> {
    const response = await this.send(
      { method: 'POST', path: searchPath(request), body: searchBody(request) },
      { operation: 'search', index: request.index },
    );
    return parseSearch<T>(response.body);
  }

  async msearch<T = Doc>(requests: SearchRequest[]): Promise<Array<SearchResult<T> | Error>> {
    if (requests.length === 0) return [];
    let response: WireResponse;
    try {
      response = await this.send(
        { method: 'POST', path: '/_msearch', lines: msearchLines(requests) },
        { operation: 'msearch' },
      );
    } catch (error) {
      if (errorCode(error) !== EngineErrorCode.BadRequest) throw error;
      // The engine parses every body before running any, so one malformed body fails them all: run them
      // one by one so each gets its own result or error.
      return Promise.all(
        requests.map((request) =>
          this.search<T>(request).catch((e: unknown) => toEngineError(e, { operation: 'msearch' })),
        ),
      );
    }
    const responses =
      (response.body as { responses?: Array<{ status?: number; error?: unknown }> }).responses ?? [];
    return requests.map((request, i) => {
      const item = responses[i];
      const context = { operation: 'msearch', index: request.index };
      if (!item) return engineErrorFromResponse(500, { error: 'no response for this search' }, context);
      return item.error ? engineErrorFromResponse(item.status ?? 500, item, context) : parseSearch<T>(item);
    });
  }

  async count(index: string, query?: Doc): Promise<number> {
    const body = query === undefined ? undefined : { query };
    const response = await this.send(
      { method: 'POST', path: `${indexPath(index)}/_count`, body },
      { operation: 'count', index },
    );
    return (response.body as { count: number }).count;
  }

  async deleteByQuery(
    index: string,
    query: Doc,
    options: { refresh?: boolean } = {},
  ): Promise<ByQueryResult> {
    return this.byQuery('_delete_by_query', index, { query }, options.refresh);
  }

  async updateByQuery(
    index: string,
    query: Doc,
    script: Script,
    options: { refresh?: boolean } = {},
  ): Promise<ByQueryResult> {
    return this.byQuery('_update_by_query', index, { query, script }, options.refresh);
  }

  /** Conflicts are counted (`versionConflicts`), not fatal: a concurrent writer already changed that document. */
  private async byQuery(endpoint: string, index: string, body: Doc, refresh = false): Promise<ByQueryResult> {
    const querystring = { conflicts: 'proceed', wait_for_completion: true, refresh: refresh || undefined };
    const response = await this.send(
      { method: 'POST', path: `${indexPath(index)}/${endpoint}`, querystring, body },
      { operation: endpoint.slice(1), index },
    );
    return parseByQuery(response.body);
  }

  async analyze(request: AnalyzeRequest): Promise<AnalyzeToken[]> {
    const path = request.index === undefined ? '/_analyze' : `${indexPath(request.index)}/_analyze`;
    const response = await this.send(
      { method: 'POST', path, body: analyzeBody(request) },
      { operation: 'analyze', index: request.index },
    );
    return parseAnalyze(response.body);
  }

  async percolate<T = Doc>(request: PercolateRequest): Promise<SearchResult<T>> {
    return this.search<T>(percolateSearch(request));
  }
}
