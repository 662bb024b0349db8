import { Client } from '@opensearch-project/opensearch';
import { ValidationError } from '../../core/errors.js';
import type { AdapterOptions, EngineConnection } from '../options.js';
import { adoptClient } from '../options.js';
import type { WireRequest, WireResponse } from './requests.js';
import { clientParams, indexPath } from './requests.js';
import { RestEngine } from './rest-engine.js';

export type OpenSearchAdapterOptions = AdapterOptions<Client>;

function buildClient(connection: EngineConnection): Client {
  if (connection.auth && 'apiKey' in connection.auth) {
    throw new ValidationError(
      'ENGINE_API_KEY is an Elasticsearch setting; OpenSearch takes ENGINE_USERNAME/PASSWORD',
      {
        variable: 'ENGINE_API_KEY',
      },
    );
  }
  return new Client({
    node: connection.url,
    auth: connection.auth,
    requestTimeout: connection.requestTimeoutMs,
    maxRetries: connection.maxRetries,
  });
}

/** The engine port over `@opensearch-project/opensearch` 3 (OpenSearch 2.x). */
export class OpenSearchAdapter extends RestEngine {
  readonly flavour = 'opensearch' as const;
  private readonly client: Client;
  private readonly ownsClient: boolean;

  constructor(options: OpenSearchAdapterOptions) {
    super();
    const { client, owned } = adoptClient(options, buildClient);
    this.client = client;
    this.ownsClient = owned;
  }

  protected async transmit(request: WireRequest): Promise<WireResponse> {
    const response = await this.client.transport.request(clientParams(request), { ignore: request.ignore });
    return { statusCode: response.statusCode ?? 0, body: response.body as unknown };
  }

  /** `POST /<index>/_search/point_in_time` (OpenSearch 2.4+). */
  async openPointInTime(index: string, keepAlive: string): Promise<string | undefined> {
    const body = await this.openPointInTimeAt(`${indexPath(index)}/_search/point_in_time`, index, keepAlive);
    return (body as { pit_id?: string } | undefined)?.pit_id;
  }

  /** Closing an expired or already closed point in time is not an error. */
  async closePointInTime(id: string): Promise<void> {
    const request = {
      method: 'DELETE' as const,
      path: '/_search/point_in_time',
      body: { pit_id: [id] },
      ignore: [404],
    };
    await this.send(request, { operation: 'closePointInTime' });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
