import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import { pino } from 'pino';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { decodeBody } from '../../indexer/fetch/charset.js';
import { aliasName, RULE_QUERY_FIELD, rulesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { toEngineQuery } from '../../search/query/index.js';
import { testPrefix } from '../support/ids.js';

let engine: EnginePort;
let prefix: string;
let rules: string;

/** Rules as inspectors and power users write them: query strings and DSL objects. */
const RULES: Record<string, string | object> = {
  best: '最佳',
  tobacco: '烟',
  superlatives: '国家级 OR 最高级 OR 顶级',
  english: '"best in the world"',
  proximity: '"最佳 产品"~5',
  cure_on_domain: 'domain:example.com.cn AND 治愈',
  cheap_cny: 'price:<1 currency:CNY',
  shops_luxury: 'site:shop-* AND 极品 -"正品保证"',
  dsl_cure: {
    bool: { must: [{ match_phrase: { text: '根治' } }], must_not: [{ term: { site: 'hospital' } }] },
  },
};

const gbkText = decodeBody(iconv.encode('<p>国家级品质，顶级享受</p>', 'gbk'), 'text/html; charset=gbk').text;

/** Pages to percolate, each with the exact rules it must match. */
const PAGES: { doc: Record<string, unknown>; matches: string[] }[] = [
  { doc: { text: '本店最佳产品，欢迎选购', host: 'a.other.cn' }, matches: ['best', 'proximity'] },
  { doc: { title: '最佳', text: '普通描述', host: 'b.other.cn' }, matches: ['best'] },
  { doc: { text: '最佳的好产品', host: 'c.other.cn' }, matches: ['best', 'proximity'] },
  { doc: { text: '最佳的售后服务，我们的各种产品', host: 'c.other.cn' }, matches: ['best'] },
  { doc: { text: '最好 佳品', host: 'd.other.cn' }, matches: [] },
  { doc: { text: gbkText, host: 'gbk.other.cn' }, matches: ['superlatives'] },
  {
    doc: { title: 'Simply the Best in the World!', text: 'shoes', host: 'e.other.cn' },
    matches: ['english'],
  },
  { doc: { text: 'the best shoes in the world', host: 'f.other.cn' }, matches: [] },
  { doc: { text: '可以治愈', host: 'shop.example.com.cn' }, matches: ['cure_on_domain'] },
  { doc: { text: '可以治愈', host: 'example.com.cn.evil.cn' }, matches: [] },
  { doc: { text: '可以治愈', host: 'badexample.com.cn' }, matches: [] },
  {
    doc: {
      text: 'x',
      prices: [
        { amount: 0.5, currency: 'USD' },
        { amount: 5, currency: 'CNY' },
      ],
    },
    matches: [],
  },
  { doc: { text: 'x', prices: [{ amount: 0.5, currency: 'CNY' }] }, matches: ['cheap_cny'] },
  { doc: { text: '极品茶叶', site: 'shop-42' }, matches: ['shops_luxury'] },
  { doc: { text: '极品茶叶 正品保证', site: 'shop-43' }, matches: [] },
  { doc: { text: '极品茶叶', site: 'mall-1' }, matches: [] },
  { doc: { text: '包您根治', site: 'shop-7' }, matches: ['dsl_cure'] },
  { doc: { text: '包您根治', site: 'hospital' }, matches: [] },
  // 烟 inside 香烟 is in no bigram of its own: found through text.en's unigrams.
  { doc: { text: '本店香烟特价', host: 'g.other.cn' }, matches: ['tobacco'] },
  { doc: { title: '烟', text: 'x', host: 'h.other.cn' }, matches: ['tobacco'] },
];

beforeAll(async () => {
  engine = await createEngine();
  prefix = testPrefix('query');
  rules = aliasName(prefix, 'rules');
  await migrate(engine, { prefix, definitions: [rulesDefinition], log: pino({ level: 'silent' }) });
  const ops = Object.entries(RULES).map(([id, query]) => ({
    op: 'index' as const,
    index: rules,
    id,
    doc: {
      id,
      name: id,
      target: 'pages',
      enabled: true,
      version: 1,
      [RULE_QUERY_FIELD]: toEngineQuery(query, 'pages'),
    },
  }));
  const result = await engine.bulk(ops, { refresh: true });
  expect(result.errors).toBe(false);
});

afterAll(async () => {
  await dropIndices(engine, { prefix, definitions: [rulesDefinition] });
  await engine.close();
});

describe('compiled queries in the percolator', () => {
  it('the GBK page decodes to the Chinese text the rules look for', () => {
    expect(gbkText).toContain('国家级品质');
  });

  it('each page matches exactly the rules it should, no more', async () => {
    const result = await engine.percolate({
      index: rules,
      field: RULE_QUERY_FIELD,
      documents: PAGES.map((p) => p.doc),
      size: 100,
    });
    const actual = PAGES.map(() => [] as string[]);
    for (const hit of result.hits) for (const slot of hit.slots ?? []) actual[slot]?.push(hit.id);
    const expected = PAGES.map((p) => [...p.matches].sort());
    expect(actual.map((ids) => ids.sort())).toEqual(expected);
  });

  it('the engine accepts every compiled query form of the docs (saving is the percolator parse)', async () => {
    const forms = [
      'title:(最佳 OR 顶级) AND NOT lang:en',
      'url:*/product/* OR path:/shop',
      'fetched_at:[2026-01-01 TO now] status:200',
      'uscc:91350100M000100Y3F OR icp:"渝ICP备12345678号-1" OR licence:JY1',
      'domain:*.example.cn',
    ];
    const ops = forms.map((q, i) => ({
      op: 'index' as const,
      index: rules,
      id: `form-${i}`,
      doc: { id: `form-${i}`, [RULE_QUERY_FIELD]: toEngineQuery(q, 'pages') },
    }));
    const result = await engine.bulk(ops, { refresh: true });
    expect(result.errors).toBe(false);
  });
});
