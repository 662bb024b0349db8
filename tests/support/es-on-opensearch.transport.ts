/**
 * TESTS ONLY. Lets the Elasticsearch client talk to the local OpenSearch, because Elasticsearch itself
 * cannot run on these machines: no product check (OpenSearch sends no `x-elastic-product` header) and
 * plain JSON media types (OpenSearch answers 406 to `application/vnd.elasticsearch+json; compatible-with=8`).
 * Request paths and bodies stay exactly as the Elasticsearch adapter builds them.
 */
import { Client } from '@elastic/elasticsearch';
import { Transport } from '@elastic/transport';
import type { TransportOptions } from '@elastic/transport';

export class EsOnOpenSearchTransport extends Transport {
  constructor(options: TransportOptions) {
    super({
      ...options,
      productCheck: undefined,
      vendoredHeaders: {
        jsonContentType: 'application/json',
        ndjsonContentType: 'application/x-ndjson',
        accept: 'application/json, text/plain',
      },
    });
  }
}

/** An Elasticsearch client wired to an OpenSearch node through {@link EsOnOpenSearchTransport}. */
export function esClientOnOpenSearch(url: string, options: { maxRetries?: number } = {}): Client {
  return new Client({ node: url, Transport: EsOnOpenSearchTransport, maxRetries: options.maxRetries });
}
