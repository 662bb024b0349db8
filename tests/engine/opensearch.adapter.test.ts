import { OpenSearchAdapter } from '../../engine/adapters/opensearch.adapter.js';
import { engineContract } from './adapter.contract.js';

engineContract('OpenSearch', {
  create: (url) => new OpenSearchAdapter({ url, maxRetries: 0 }),
  pointInTime: true,
});
