import { NonRetryableError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { ElasticsearchAdapter } from './adapters/elasticsearch.adapter.js';
import { OpenSearchAdapter } from './adapters/opensearch.adapter.js';
import { EngineErrorCode, engineErrorFromResponse, toEngineError } from './errors.js';
import type { EngineOptions } from './options.js';
import { redactUrl, resolveEngineOptions, toConnection } from './options.js';
import type { EngineFlavour, EnginePort } from './port.js';

export type * from './port.js';
export { EngineErrorCode } from './errors.js';
export type { EngineOptions } from './options.js';
export { scanAll } from './deep-paging.js';
export type { ScanOptions } from './deep-paging.js';
export { OpenSearchAdapter, ElasticsearchAdapter };

/** Credentials and timeout for {@link detectFlavour}. */
export type DetectFlavourOptions = Partial<
  Pick<EngineOptions, 'username' | 'password' | 'apiKey' | 'requestTimeoutMs'>
>;

function authorization(auth: ReturnType<typeof toConnection>['auth']): Record<string, string> {
  if (!auth) return {};
  if ('apiKey' in auth) return { authorization: `ApiKey ${auth.apiKey}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

/**
 * Asks `GET /` which engine answers: OpenSearch says `version.distribution: "opensearch"`; Elasticsearch
 * sends `x-elastic-product: Elasticsearch` (7.14+) and the tagline "You Know, for Search".
 */
export async function detectFlavour(url: string, options: DetectFlavourOptions = {}): Promise<EngineFlavour> {
  const connection = toConnection({ url, ...options });
  const context = { operation: `detect engine at ${redactUrl(url)}` };
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(`${connection.url}/`, {
      headers: { accept: 'application/json', ...authorization(connection.auth) },
      signal: AbortSignal.timeout(connection.requestTimeoutMs),
    });
    const text = await response.text();
    body = response.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
  } catch (error) {
    throw toEngineError(error, context);
  }
  if (!response.ok) throw engineErrorFromResponse(response.status, body, context);
  const root = body as { version?: { distribution?: string }; tagline?: string };
  if (root.version?.distribution === 'opensearch') return 'opensearch';
  if (
    response.headers.get('x-elastic-product') === 'Elasticsearch' ||
    root.tagline === 'You Know, for Search'
  ) {
    return 'elasticsearch';
  }
  throw new NonRetryableError(`${redactUrl(url)} is neither Elasticsearch nor OpenSearch`, {
    code: EngineErrorCode.Error,
    details: { operation: 'detectFlavour' },
  });
}

/**
 * The engine port for the configured engine (`ENGINE`, `ENGINE_URL`, credentials, timeout from
 * `core/config.ts`, overridden by `options`). With `ENGINE=auto` it asks the server which it is.
 */
export async function createEngine(options: Partial<EngineOptions> = {}): Promise<EnginePort> {
  const resolved = resolveEngineOptions(options);
  const flavour = resolved.engine === 'auto' ? await detectFlavour(resolved.url, resolved) : resolved.engine;
  logger('engine').debug({ flavour, url: redactUrl(resolved.url) }, 'engine selected');
  return flavour === 'opensearch' ? new OpenSearchAdapter(resolved) : new ElasticsearchAdapter(resolved);
}
