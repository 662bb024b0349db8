import { toEngineError } from '../errors.js';
import type { EngineErrorContext } from '../errors.js';
import type { AliasAction, ByQueryResult, Doc, EngineHealth, EngineInfo } from '../port.js';
import type { WireRequest, WireResponse } from './requests.js';
import { indexPath } from './requests.js';
import { firstIndexEntry, parseByQuery, parseHealth, parseInfo } from './responses.js';

/** Concrete names per `DELETE` when deleting by pattern, to keep URLs short. */
const DELETE_BATCH = 100;

/**
 * Cluster and index administration over the engines' shared REST API, and the one way requests leave:
 * `send`, over the adapter's `transmit` (its client's transport, which brings connection pooling,
 * retries, auth and, for Elasticsearch, the product check).
 */
export abstract class RestAdmin {
  /** Sends one request through the client; throws the client's own errors. */
  protected abstract transmit(request: WireRequest): Promise<WireResponse>;

  /** `transmit` with the client's errors mapped to AppErrors (`ENGINE_*`). */
  protected async send(request: WireRequest, context: EngineErrorContext): Promise<WireResponse> {
    try {
      return await this.transmit(request);
    } catch (error) {
      throw toEngineError(error, context);
    }
  }

  async info(): Promise<EngineInfo> {
    return parseInfo((await this.send({ method: 'GET', path: '/' }, { operation: 'info' })).body);
  }

  async health(
    options: { waitForStatus?: 'yellow' | 'green'; timeoutMs?: number } = {},
  ): Promise<EngineHealth> {
    const querystring = {
      wait_for_status: options.waitForStatus,
      timeout: options.timeoutMs === undefined ? undefined : `${options.timeoutMs}ms`,
    };
    // 408 is how the engine says "waited, status not reached": the body is still the health.
    const response = await this.send(
      { method: 'GET', path: '/_cluster/health', querystring, ignore: [408] },
      { operation: 'health' },
    );
    return parseHealth(response.body);
  }

  async putIndexTemplate(name: string, body: Doc): Promise<void> {
    const path = `/_index_template/${encodeURIComponent(name)}`;
    await this.send({ method: 'PUT', path, body }, { operation: 'putIndexTemplate', index: name });
  }

  async getIndexTemplate(name: string): Promise<Doc | undefined> {
    const path = `/_index_template/${encodeURIComponent(name)}`;
    const context = { operation: 'getIndexTemplate', index: name };
    const response = await this.send({ method: 'GET', path, ignore: [404] }, context);
    if (response.statusCode === 404) return undefined;
    const templates = (response.body as { index_templates?: Array<{ index_template: Doc }> }).index_templates;
    return templates?.[0]?.index_template;
  }

  async deleteIndexTemplate(name: string): Promise<void> {
    const path = `/_index_template/${encodeURIComponent(name)}`;
    await this.send(
      { method: 'DELETE', path, ignore: [404] },
      { operation: 'deleteIndexTemplate', index: name },
    );
  }

  async indexExists(index: string): Promise<boolean> {
    const context = { operation: 'indexExists', index };
    const response = await this.send({ method: 'HEAD', path: indexPath(index), ignore: [404] }, context);
    return response.statusCode === 200;
  }

  async createIndex(index: string, body?: Doc): Promise<void> {
    await this.send({ method: 'PUT', path: indexPath(index), body }, { operation: 'createIndex', index });
  }

  async deleteIndex(index: string): Promise<void> {
    const context = { operation: 'deleteIndex', index };
    // Elasticsearch 8 refuses wildcard deletes (action.destructive_requires_name): resolve names first.
    const names = index.includes('*') ? await this.resolveIndices(index) : [index];
    for (let i = 0; i < names.length; i += DELETE_BATCH) {
      const path = indexPath(names.slice(i, i + DELETE_BATCH));
      const querystring = { ignore_unavailable: true };
      await this.send({ method: 'DELETE', path, querystring, ignore: [404] }, context);
    }
  }

  private async resolveIndices(pattern: string): Promise<string[]> {
    const path = `/_resolve/index${indexPath(pattern)}`;
    const querystring = { expand_wildcards: 'open,closed' };
    const response = await this.send(
      { method: 'GET', path, querystring },
      { operation: 'resolveIndex', index: pattern },
    );
    return ((response.body as { indices?: Array<{ name: string }> }).indices ?? []).map((i) => i.name);
  }

  async getMapping(index: string): Promise<Doc> {
    const response = await this.send(
      { method: 'GET', path: `${indexPath(index)}/_mapping` },
      { operation: 'getMapping', index },
    );
    return firstIndexEntry(response.body, 'mappings');
  }

  async putMapping(index: string, body: Doc): Promise<void> {
    await this.send(
      { method: 'PUT', path: `${indexPath(index)}/_mapping`, body },
      { operation: 'putMapping', index },
    );
  }

  async getSettings(index: string): Promise<Doc> {
    const response = await this.send(
      { method: 'GET', path: `${indexPath(index)}/_settings` },
      { operation: 'getSettings', index },
    );
    return firstIndexEntry(response.body, 'settings');
  }

  async getAliasTargets(alias: string): Promise<string[]> {
    const context = { operation: 'getAliasTargets', index: alias };
    const response = await this.send(
      { method: 'GET', path: `/_alias${indexPath(alias)}`, ignore: [404] },
      context,
    );
    if (response.statusCode === 404) return [];
    return Object.keys(response.body as Doc).sort();
  }

  async updateAliases(actions: AliasAction[]): Promise<void> {
    const body = {
      actions: actions.map((action) =>
        'add' in action
          ? {
              add: {
                index: action.add.index,
                alias: action.add.alias,
                is_write_index: action.add.isWriteIndex,
              },
            }
          : { remove: { index: action.remove.index, alias: action.remove.alias } },
      ),
    };
    await this.send({ method: 'POST', path: '/_aliases', body }, { operation: 'updateAliases' });
  }

  async reindex(source: string, dest: string): Promise<ByQueryResult> {
    const response = await this.send(
      {
        method: 'POST',
        path: '/_reindex',
        querystring: { wait_for_completion: true, refresh: true },
        body: { source: { index: source }, dest: { index: dest } },
      },
      { operation: 'reindex', index: [source, dest] },
    );
    return parseByQuery(response.body);
  }

  async refresh(index: string): Promise<void> {
    await this.send(
      { method: 'POST', path: `${indexPath(index)}/_refresh` },
      { operation: 'refresh', index },
    );
  }
}
