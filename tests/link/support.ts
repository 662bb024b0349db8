/** Operators, pages and indices for the linking and schedule tests (real engine, own prefix). */
import type { EnginePort } from '../../engine/port.js';
import {
  adsDefinition,
  aliasName,
  candidatesDefinition,
  entitiesDefinition,
  pagesDefinition,
  type IndexDefinition,
} from '../../mappings/index.js';
import { migrate } from '../../mappings/migrate.js';
import type { Operator } from '../../registry/types.js';

export const LINK_DEFINITIONS: readonly IndexDefinition[] = [
  pagesDefinition,
  adsDefinition,
  entitiesDefinition,
  candidatesDefinition,
];

const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

export async function migrateLinkIndices(engine: EnginePort, prefix: string): Promise<void> {
  await migrate(engine, { prefix, definitions: LINK_DEFINITIONS, log: silent });
}

/** A complete operator document with defaults for what a test does not care about. */
export function operator(fields: Partial<Operator> & Pick<Operator, 'id'>): Operator {
  const at = '2024-01-01T00:00:00.000Z';
  return {
    name: fields.id,
    uscc: null,
    uscc_valid: null,
    licence_numbers: [],
    icp_numbers: [],
    domains: [],
    shop_urls: [],
    platform_id: null,
    type: 'self_run_site',
    classification: 'normal',
    risk_tier: 'medium',
    status: 'active',
    contact: {},
    address: null,
    district: null,
    jurisdiction: {},
    inspector_id: null,
    inspection_frequency_days: 0,
    source_focus: false,
    notes: null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

export async function writeOperators(
  engine: EnginePort,
  prefix: string,
  operators: Operator[],
): Promise<void> {
  const index = aliasName(prefix, 'entities');
  const result = await engine.bulk(
    operators.map((doc) => ({ op: 'index', index, id: doc.id, doc: { ...doc } })),
    { refresh: true },
  );
  if (result.errors)
    throw new Error(`writing operators failed: ${JSON.stringify(result.items.find((i) => !i.ok))}`);
}

/** A `pages` document as the index stage writes it, before linking. */
export interface TestPage {
  id: string;
  url: string;
  host: string;
  registered_domain: string;
  path: string;
  site: string;
  title: string;
  text: string;
  lang: string;
  status: number;
  fetched_at: string;
  content_hash: string;
  identifiers: {
    uscc: string[];
    uscc_invalid: string[];
    icp: string[];
    licence: string[];
    phones: string[];
    emails: string[];
  };
  prices: Array<{ amount: number; currency: string; source: string }>;
  outlinks_count: number;
  ads_count: number;
  crawl: { depth: number };
}

export function page(url: string, fields: Partial<TestPage> = {}): TestPage {
  const parsed = new URL(url);
  const labels = parsed.hostname.split('.');
  const domain = labels.slice(-2).join('.');
  return {
    id: `p-${url.replace(/[^a-z0-9]+/gi, '-')}`,
    url,
    host: parsed.hostname,
    registered_domain: domain,
    path: parsed.pathname,
    site: domain,
    title: 'page',
    text: '',
    lang: 'zh',
    status: 200,
    fetched_at: '2024-05-01T08:00:00.000Z',
    content_hash: `h-${url}`,
    identifiers: { uscc: [], uscc_invalid: [], icp: [], licence: [], phones: [], emails: [] },
    prices: [],
    outlinks_count: 0,
    ads_count: 0,
    crawl: { depth: 0 },
    ...fields,
  };
}

/** A product page: prices and an add-to-cart button. */
export function productPage(url: string, fields: Partial<TestPage> = {}): TestPage {
  return page(url, {
    title: '特级龙井 250g',
    text: '特级龙井 250g ¥199.00 原价 ¥299.00 加入购物车 立即购买',
    prices: [
      { amount: 199, currency: 'CNY', source: 'json-ld' },
      { amount: 299, currency: 'CNY', source: 'text' },
    ],
    ...fields,
  });
}
