/** Index bodies and documents of the engine adapter contract. */
import { createServer } from 'node:net';
import type { BulkOperation, Doc } from '../../engine/port.js';

/** One shard, no replica: a single-node engine stays green and tests stay quick. */
export const SMALL = { number_of_shards: 1, number_of_replicas: 0 };

/** A strict mapping like every Argus index: `id` is a keyword copy of `_id`. */
export const PRODUCTS: Doc = {
  settings: SMALL,
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      title: { type: 'text' },
      category: { type: 'keyword' },
      price: { type: 'integer' },
      flagged: { type: 'boolean' },
    },
  },
};

export const PRODUCT_DOCS: Doc[] = [
  { id: 'p1', title: 'cheap phone case', category: 'accessory', price: 5 },
  { id: 'p2', title: 'smart phone pro', category: 'phone', price: 900 },
  { id: 'p3', title: 'phone charger', category: 'accessory', price: 20 },
  { id: 'p4', title: 'garden chair', category: 'furniture', price: 40 },
  { id: 'p5', title: 'budget phone', category: 'phone', price: 150 },
];

export function indexOps(index: string, docs: Doc[]): BulkOperation[] {
  return docs.map((doc) => ({ op: 'index', index, id: String(doc.id), doc }));
}

/** Rules as percolator documents; the text field is analysed with CJK bigrams like Argus pages. */
export const RULES: Doc = {
  settings: {
    ...SMALL,
    analysis: {
      analyzer: {
        text_cjk: { type: 'custom', tokenizer: 'standard', filter: ['cjk_width', 'lowercase', 'cjk_bigram'] },
      },
    },
  },
  mappings: {
    properties: {
      id: { type: 'keyword' },
      query: { type: 'percolator' },
      enabled: { type: 'boolean' },
      text: { type: 'text', analyzer: 'text_cjk' },
    },
  },
};

export const RULE_DOCS: Doc[] = [
  { id: 'superlative', enabled: true, query: { match_phrase: { text: '最佳' } } },
  { id: 'national', enabled: true, query: { match_phrase: { text: '国家级' } } },
  { id: 'disabled', enabled: false, query: { match_phrase: { text: '最佳' } } },
];

/** Documents 0 and 2 use a superlative; document 2 also claims a national rank; document 1 is clean. */
export const PAGES_TO_CHECK: Doc[] = [
  { text: '本店是全市最佳的手机店' },
  { text: '普通的手机壳，价格实惠' },
  { text: '国家级品质，最佳选择' },
];

/** A port nobody listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
