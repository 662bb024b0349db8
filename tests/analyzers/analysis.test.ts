import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANALYSIS_SETTINGS, ANALYZERS, NORMALIZERS } from '../../analyzers/analysis.js';
import { createEngine } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { domain, identifier, text, urlPath } from '../../mappings/fields.js';
import { testPrefix } from '../support/ids.js';

/** One index with every analyzer on one field each, and a handful of documents to query. */
const DOCS: Record<string, Doc> = {
  cjk: { text: '国家级最佳产品，限时优惠', host: 'shop.example.com.cn', path: '/Shop/Item/1.html' },
  fullwidth: { text: '型号ＡＢＣ１２３现货', host: 'example.com.cn', path: '/shop' },
  english: { text: 'The bureau monitored three stores', host: 'badexample.com.cn', path: '/shopping/cart' },
  other: { text: '普通商品', host: 'example.com', path: '/about', icp: '渝ICP备12345678号-1' },
  evil: { text: 'nothing', host: 'example.com.cn.evil.net', path: '/', uscc: '91500000MA5U1234XK' },
};

let engine: EnginePort;
let index: string;

beforeAll(async () => {
  engine = await createEngine();
  index = `${testPrefix('an')}-samples`;
  await engine.createIndex(index, {
    settings: { number_of_shards: 1, number_of_replicas: 0, analysis: ANALYSIS_SETTINGS },
    mappings: {
      dynamic: 'strict',
      properties: { text: text(), host: domain(), path: urlPath(), icp: identifier(), uscc: identifier() },
    },
  });
  await engine.bulk(
    Object.entries(DOCS).map(([id, doc]) => ({ op: 'index' as const, index, id, doc })),
    { refresh: true },
  );
});

afterAll(async () => {
  await engine.deleteIndex(index);
  await engine.close();
});

async function tokens(analyzer: string, sample: string): Promise<string[]> {
  return (await engine.analyze({ index, analyzer, text: sample })).map((t) => t.token);
}

async function idsMatching(query: Doc): Promise<string[]> {
  const result = await engine.search({ index, query, size: 50 });
  return result.hits.map((h) => h.id).sort();
}

describe('text_cjk', () => {
  it('splits Chinese into overlapping bigrams, so 国家, 家级 and 最佳 are terms', async () => {
    expect(await tokens(ANALYZERS.textCjk, '国家级最佳产品')).toEqual([
      '国家',
      '家级',
      '级最',
      '最佳',
      '佳产',
      '产品',
    ]);
  });

  it('folds full-width Latin letters and digits, so ＡＢＣ１２３ becomes abc123', async () => {
    expect(await tokens(ANALYZERS.textCjk, 'ＡＢＣ１２３')).toEqual(['abc123']);
  });

  it('when a phrase is searched inside a longer Chinese text, match_phrase finds only the document holding it', async () => {
    expect(await idsMatching({ match_phrase: { text: '最佳' } })).toEqual(['cjk']);
    expect(await idsMatching({ match_phrase: { text: '国家级' } })).toEqual(['cjk']);
    expect(await idsMatching({ match_phrase: { text: '家级产品' } })).toEqual([]);
  });

  it('when the query is half-width and the document full-width, they still match', async () => {
    expect(await idsMatching({ match: { text: 'abc123' } })).toEqual(['fullwidth']);
    expect(await idsMatching({ match: { text: 'ＡＢＣ１２３' } })).toEqual(['fullwidth']);
  });
});

describe('text_en', () => {
  it('stems inflections to one term', async () => {
    const [monitoring] = await tokens(ANALYZERS.textEn, 'monitoring');
    expect(await tokens(ANALYZERS.textEn, "The bureau's monitored")).toEqual(['bureau', monitoring]);
  });

  it('when searching the .en sub-field for "monitoring", finds the document saying "monitored"', async () => {
    expect(await idsMatching({ match: { 'text.en': 'monitoring' } })).toEqual(['english']);
    expect(await idsMatching({ match: { text: 'monitoring' } })).toEqual([]);
  });
});

describe('domain', () => {
  it('indexes a host and every parent domain', async () => {
    expect(await tokens(ANALYZERS.domain, 'Shop.Example.com.cn')).toEqual([
      'shop.example.com.cn',
      'example.com.cn',
      'com.cn',
      'cn',
    ]);
    expect(await tokens(ANALYZERS.domainSearch, 'Example.COM.cn')).toEqual(['example.com.cn']);
  });

  it('a term filter on example.com.cn returns the domain and its sub-domains, not look-alikes', async () => {
    const expected = ['cjk', 'fullwidth'];
    expect(await idsMatching({ bool: { filter: [{ term: { host: 'example.com.cn' } }] } })).toEqual(expected);
    expect(await idsMatching({ match: { host: 'EXAMPLE.com.cn' } })).toEqual(expected);
    expect(await idsMatching({ term: { host: 'example.com' } })).toEqual(['other']);
  });
});

describe('url_path', () => {
  it('indexes every ancestor path, lower-cased', async () => {
    expect(await tokens(ANALYZERS.urlPath, '/Shop/Item/1.html')).toEqual([
      '/shop',
      '/shop/item',
      '/shop/item/1.html',
    ]);
  });

  it('a term on /shop finds paths under /shop but not /shopping', async () => {
    expect(await idsMatching({ term: { path: '/shop' } })).toEqual(['cjk', 'fullwidth']);
    expect(await idsMatching({ match: { path: '/SHOP/item' } })).toEqual(['cjk']);
  });
});

describe('identifier normalizer', () => {
  it('upper-cases and strips spaces and dashes, full-width ones too', async () => {
    const normalize = async (sample: string): Promise<string[]> =>
      (await engine.analyze({ index, normalizer: NORMALIZERS.identifier, text: sample })).map((t) => t.token);
    expect(await normalize('渝ICP备12345678号-1')).toEqual(['渝ICP备12345678号1']);
    expect(await normalize('９１５０ 0000－ma5u\u30001234xk')).toEqual(['91500000MA5U1234XK']);
  });

  it('a term query typed with other spacing and case finds the ICP filing and the USCC', async () => {
    expect(await idsMatching({ term: { icp: '渝icp备 12345678 号 1' } })).toEqual(['other']);
    expect(await idsMatching({ term: { uscc: '9150-0000-ma5u-1234-xk' } })).toEqual(['evil']);
    expect(await idsMatching({ term: { icp: '渝ICP备12345679号-1' } })).toEqual([]);
  });
});
