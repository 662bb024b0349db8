import { Client } from '@elastic/elasticsearch';
import type { AdapterOptions, EngineConnection } from '../options.js';
import { adoptClient } from '../options.js';
import type { WireRequest, WireResponse } from './requests.js';
import { clientParams, indexPath } from './requests.js';
import { RestEngine } from './rest-engine.js';

export type ElasticsearchAdapterOptions = AdapterOptions<Client>;

function buildClient(connection: EngineConnection): Client {
  return new Client({
    node: connection.url,
    auth: connection.auth,
    requestTimeout: connection.requestTimeoutMs,
    maxRetries: connection.maxRetries,
  });
}

/**
 * The engine port over `@elastic/elasticsearch` 8 (Elasticsearch 8, and 9 through its compatibility
 * headers). Its client refuses servers that are not Elasticsearch (product check, `compatible-with=8`).
 */
export class ElasticsearchAdapter extends RestEngine {
  readonly flavour = 'elasticsearch' as const;
  private readonly client: Client;
  private readonly ownsClient: boolean;

  constructor(options: ElasticsearchAdapterOptions) {
    super();
    const { client, owned } = adoptClient(options, buildClient);
    this.client = client;
    this.ownsClient = owned;
  }

  protected async transmit(request: WireRequest): Promise<WireResponse> {
    const response = await this.client.transport.request(clientParams(request), {
      ignore: request.ignore,
      meta: true,
    });
    return { statusCode: response.statusCode ?? 0, body: response.body };
  }

  /** `POST /<index>/_pit` (Elasticsearch 7.10+). */
  async openPointInTime(index: string, keepAlive: string): Promise<string | undefined> {
    const body = await this.openPointInTimeAt(`${indexPath(index)}/_pit`, index, keepAlive);
    return (body as { id?: string } | undefined)?.id;
  }

  /** Closing an expired or already closed point in time is not an error. */
  async closePointInTime(id: string): Promise<void> {
    const request = { method: 'DELETE' as const, path: '/_pit', body: { id }, ignore: [404] };
    await this.send(request, { operation: 'closePointInTime' });
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
