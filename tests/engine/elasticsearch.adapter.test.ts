/**
 * The Elasticsearch adapter against the local OpenSearch (Elasticsearch cannot run on these machines):
 * the Elasticsearch client with a test transport that only drops the product check and the
 * compatibility media types. OpenSearch has no `/_pit`, so the adapter reports no point in time there
 * and deep paging takes its `search_after` fallback.
 */
import { ElasticsearchAdapter } from '../../engine/adapters/elasticsearch.adapter.js';
import { esClientOnOpenSearch } from '../support/es-on-opensearch.transport.js';
import { engineContract } from './adapter.contract.js';

engineContract('Elasticsearch', {
  create: (url) =>
    new ElasticsearchAdapter({ client: esClientOnOpenSearch(url, { maxRetries: 0 }), closeClient: true }),
  pointInTime: false,
});
