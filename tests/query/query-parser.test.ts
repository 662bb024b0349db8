import { describe, expect, it } from '@jest/globals';
import { compileQuery, parseQueryString, toEngineQuery, validateDsl } from '../../search/query/index.js';

const PAGE_TEXT = ['title^2', 'text', 'description', 'title.en', 'text.en', 'description.en'];
const PAGE_CJK = ['title^2', 'text', 'description'];
const words = (query: string): object => ({ multi_match: { query, fields: PAGE_TEXT, operator: 'and' } });
const cjk = (query: string): object => ({ multi_match: { query, type: 'phrase', fields: PAGE_CJK } });
const phrase = (query: string, slop?: number): object => ({
  multi_match: { query, type: 'phrase', fields: PAGE_TEXT, ...(slop === undefined ? {} : { slop }) },
});

const compiles: [string, object][] = [
  ['best', words('best')],
  ['最佳', cjk('最佳')],
  // A lone character is no bigram: the `.en` twins (CJK unigrams) find it.
  ['烟', phrase('烟')],
  ['title:药', { multi_match: { query: '药', type: 'phrase', fields: ['title', 'title.en'] } }],
  ['"best in the world"', phrase('best in the world')],
  ['"最佳 产品"~5', phrase('最佳 产品', 5)],
  ['“国家级”', phrase('国家级')],
  ['best world', { bool: { must: [words('best'), words('world')] } }],
  ['best AND world', { bool: { must: [words('best'), words('world')] } }],
  ['best && world', { bool: { must: [words('best'), words('world')] } }],
  ['最佳 OR 顶级', { bool: { should: [cjk('最佳'), cjk('顶级')], minimum_should_match: 1 } }],
  ['最佳 || 顶级', { bool: { should: [cjk('最佳'), cjk('顶级')], minimum_should_match: 1 } }],
  ['最佳 -广告', { bool: { must: [cjk('最佳')], must_not: [cjk('广告')] } }],
  ['最佳 NOT 广告', { bool: { must: [cjk('最佳')], must_not: [cjk('广告')] } }],
  ['NOT 广告', { bool: { must_not: [cjk('广告')] } }],
  ['!广告', { bool: { must_not: [cjk('广告')] } }],
  ['+best', words('best')],
  ['shop-a', words('shop-a')],
  [
    '国家级 （最高 OR 顶级）',
    {
      bool: {
        must: [cjk('国家级'), { bool: { should: [cjk('最高'), cjk('顶级')], minimum_should_match: 1 } }],
      },
    },
  ],
  [
    'a OR b c',
    { bool: { should: [words('a'), { bool: { must: [words('b'), words('c')] } }], minimum_should_match: 1 } },
  ],
  ['domain:example.com.cn', { term: { host: 'example.com.cn' } }],
  ['domain:Shop.Example.COM.cn', { term: { host: 'shop.example.com.cn' } }],
  ['domain:*.example.cn', { wildcard: { 'host.keyword': { value: '*.example.cn' } } }],
  ['host:example.cn', { term: { host: 'example.cn' } }],
  ['title:最佳', { match_phrase: { title: '最佳' } }],
  ['title:best', { multi_match: { query: 'best', fields: ['title', 'title.en'], operator: 'and' } }],
  ['title.en:bests', { match: { 'title.en': { query: 'bests', operator: 'and' } } }],
  [
    'text:"最佳 产品"~3',
    { multi_match: { query: '最佳 产品', type: 'phrase', fields: ['text', 'text.en'], slop: 3 } },
  ],
  [
    'title:(a OR b)',
    {
      bool: {
        should: [
          { multi_match: { query: 'a', fields: ['title', 'title.en'], operator: 'and' } },
          { multi_match: { query: 'b', fields: ['title', 'title.en'], operator: 'and' } },
        ],
        minimum_should_match: 1,
      },
    },
  ],
  ['site:shop-*', { wildcard: { site: { value: 'shop-*' } } }],
  ['url:*/product/*', { wildcard: { url: { value: '*/product/*' } } }],
  ['url:https://a.cn/x?', { wildcard: { url: { value: 'https://a.cn/x?' } } }],
  ['url:https\\://a.cn/x\\?', { term: { url: 'https://a.cn/x?' } }],
  ['site:a\\*b', { term: { site: 'a*b' } }],
  ['path:/Shop', { term: { path: '/shop' } }],
  ['lang:zh', { term: { lang: 'zh' } }],
  ['status:200', { term: { status: 200 } }],
  ['uscc:91350100M000100Y3F', { term: { 'identifiers.uscc': '91350100M000100Y3F' } }],
  ['icp:"渝ICP备12345678号-1"', { term: { 'identifiers.icp': '渝ICP备12345678号-1' } }],
  ['licence:JY123', { term: { 'identifiers.licence': 'JY123' } }],
  [
    'prices.amount:[0 TO 10]',
    { nested: { path: 'prices', query: { range: { 'prices.amount': { gte: 0, lte: 10 } } } } },
  ],
  ['price:{0 TO *]', { nested: { path: 'prices', query: { range: { 'prices.amount': { gt: 0 } } } } }],
  ['fetched_at:>2026-01-01', { range: { fetched_at: { gt: '2026-01-01' } } }],
  ['fetched_at:>=now-7d', { range: { fetched_at: { gte: 'now-7d' } } }],
  ['fetched_at:2026-01-01', { range: { fetched_at: { gte: '2026-01-01', lt: '2026-01-01||+1d' } } }],
  [
    'fetched_at:[2026-01-01 TO 2026-02-01}',
    { range: { fetched_at: { gte: '2026-01-01', lt: '2026-02-01' } } },
  ],
  [
    'price:<1 currency:CNY',
    {
      bool: {
        must: [
          {
            nested: {
              path: 'prices',
              query: {
                bool: {
                  must: [{ range: { 'prices.amount': { lt: 1 } } }, { term: { 'prices.currency': 'CNY' } }],
                },
              },
            },
          },
        ],
      },
    },
  ],
];

describe('parseQueryString + compileQuery (pages)', () => {
  it.each(compiles)('compiles %s', (input, expected) => {
    const dsl = compileQuery(parseQueryString(input, { target: 'pages' }), 'pages');
    expect(dsl).toEqual(expected);
    expect(validateDsl(dsl, 'pages')).toBe(dsl);
  });

  it('for ads, unqualified terms search the creative and aliases point at ad fields', () => {
    expect(toEngineQuery('最佳', 'ads')).toEqual({
      multi_match: { query: '最佳', type: 'phrase', fields: ['creative_text^2', 'image_alt', 'advertiser'] },
    });
    expect(toEngineQuery('advertiser:bad.example.cn', 'ads')).toEqual({
      term: { landing_domain: 'bad.example.cn' },
    });
    expect(toEngineQuery('slot:banner category:health', 'ads')).toEqual({
      bool: { must: [{ term: { slot: 'banner' } }, { term: { category: 'health' } }] },
    });
  });

  it('keeps the AST shape: leaves carry their position and resolved field', () => {
    expect(parseQueryString('a domain:x.cn', { target: 'pages' })).toEqual({
      type: 'and',
      children: [
        { type: 'term', value: 'a', pattern: 'a', wildcard: false, pos: 0 },
        { type: 'term', field: 'host', value: 'x.cn', pattern: 'x.cn', wildcard: false, pos: 9 },
      ],
    });
  });
});

const rejects: [string, number, string, RegExp][] = [
  ['', 0, '', /empty/],
  ['   \u3000 ', 0, '   \u3000 ', /empty/],
  ['(最佳', 0, '(', /never closed/],
  ['（最佳', 0, '（', /never closed/],
  ['最佳)', 2, ')', /no matching/],
  ['a ()', 2, '()', /empty parentheses/],
  ['a "best', 2, '"best', /quote is never closed/],
  ['a “最佳', 2, '“最佳', /quote is never closed/],
  ['nosuch:x', 0, 'nosuch', /unknown field "nosuch"/],
  ['slot:banner', 0, 'slot', /unknown field "slot" for pages/],
  ['title:*佳', 6, '*佳', /leading wildcard/],
  ['*best', 0, '*best', /leading wildcard/],
  ['be*t', 0, 'be*t', /only on keyword fields/],
  ['path:/a/*', 5, '/a/*', /only on keyword fields/],
  ['a AND', 2, 'AND', /needs a term after/],
  ['OR a', 0, 'OR', /needs a term before/],
  ['a NOT', 2, 'NOT', /needs a term after/],
  ['title:', 0, 'title:', /needs a value/],
  ['title: best', 0, 'title:', /needs a value/],
  ['title:(a text:b)', 9, 'text:', /field inside/],
  ['price:abc', 6, 'abc', /holds numbers/],
  ['fetched_at:>yesterday', 11, '>yesterday', /holds dates/],
  ['title:[a TO b]', 6, '[a TO b]', /ranges work on number and date/],
  ['price:[1 10]', 6, '[1 10]', /\[from TO to\]/],
  ['price:[1 TO 10', 6, '[1 TO 10', /never closed/],
  ['"a b"~', 5, '~', /needs a number/],
  ['"a b"~99', 5, '~99', /at most 50/],
  ['""', 0, '""', /phrase is empty/],
  ['a\\', 1, '\\', /escapes nothing/],
  ['title:>3', 6, '>3', /ranges work on number and date/],
];

describe('parseQueryString rejects bad input with the position of the offending part', () => {
  it.each(rejects)('rejects %j at %d', (input, position, token, reason) => {
    expect.assertions(3);
    try {
      parseQueryString(input, { target: 'pages' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'QUERY_INVALID', httpStatus: 400, details: { position, token } });
      expect((error as { details: { reason: string } }).details.reason).toMatch(reason);
      expect((error as Error).message).toContain(`position ${position}`);
    }
  });

  it('rejects a query longer than 1,000 characters', () => {
    expect(() => parseQueryString('a'.repeat(1001), { target: 'pages' })).toThrow(
      expect.objectContaining({
        code: 'QUERY_INVALID',
        details: expect.objectContaining({ position: 1000 }),
      }),
    );
    expect(() => parseQueryString('a '.repeat(500), { target: 'pages' })).toThrow(/more than 64 terms/);
  });

  it('rejects 10,000 ORs, by length, without walking them', () => {
    const input = Array.from({ length: 10_000 }, (_, i) => `t${i}`).join(' OR ');
    expect(() => parseQueryString(input, { target: 'pages' })).toThrow(/longer than 1000/);
  });

  it('rejects the 65th term, pointing at it', () => {
    const input = Array.from({ length: 65 }, (_, i) => `t${i}`).join(' OR ');
    expect(() => parseQueryString(input, { target: 'pages' })).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ token: 't64', position: input.lastIndexOf('t64') }),
      }),
    );
    expect(() =>
      parseQueryString(input.slice(0, input.lastIndexOf(' OR ')), { target: 'pages' }),
    ).not.toThrow();
  });

  it('rejects deeply nested parentheses and NOT chains before recursing far', () => {
    expect(() => parseQueryString(`${'('.repeat(400)}a${')'.repeat(400)}`, { target: 'pages' })).toThrow(
      /deeper than 16/,
    );
    expect(() => parseQueryString(`${'NOT '.repeat(200)}a`, { target: 'pages' })).toThrow(/deeper than 16/);
    expect(() => parseQueryString(`${'('.repeat(15)}a${')'.repeat(15)}`, { target: 'pages' })).not.toThrow();
  });
});

describe('injection attempts stay plain text', () => {
  it('engine DSL inside a phrase is searched as words, never parsed', () => {
    const smuggled = '{"script":{"source":"System.exit(0)"}}';
    const dsl = toEngineQuery(`"${smuggled.replace(/"/g, '\\"')}"`, 'pages');
    expect(dsl).toEqual(phrase(smuggled));
    expect(validateDsl(dsl, 'pages')).toBe(dsl);
  });

  it('an engine query_string escape or _source key is a field name the allow-list refuses', () => {
    expect(() => toEngineQuery('_source:x', 'pages')).toThrow(/unknown field "_source"/);
    expect(() => toEngineQuery('script.source:x', 'pages')).toThrow(/unknown field "script.source"/);
    expect(() => toEngineQuery('_id:x OR _index:y', 'pages')).toThrow(/unknown field "_id"/);
  });

  it('a wildcard, regex or JSON in a field value stays a value of that field', () => {
    expect(toEngineQuery('site:/.*/', 'pages')).toEqual({ wildcard: { site: { value: '/.*/' } } });
    expect(toEngineQuery('site:\\{"match_all":{}}', 'pages')).toEqual({
      bool: { must: [{ term: { site: '{' } }, phrase('match_all'), words(':{}}')] },
    });
    expect(() => toEngineQuery('site:{"match_all":{}}', 'pages')).toThrow(/\[from TO to\]/);
  });

  it('a string that is a JSON object is still a query string: its parts are searched as text', () => {
    const dsl = toEngineQuery('{"script":{"source":"1"}}', 'pages');
    expect(keysOf(dsl)).not.toContain('script');
    expect(keysOf(dsl)).not.toContain('source');
    expect(JSON.stringify(dsl)).toContain('"query":"script"');
    expect(validateDsl(dsl, 'pages')).toBe(dsl);
  });
});

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
}

describe('docs/query-syntax.md', () => {
  it('every example query in the docs compiles for pages', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../docs/query-syntax.md', import.meta.url), 'utf8');
    const block = /```text\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const examples = block
      .split('\n')
      .map((line) => line.split(/\s{2,}/)[0]?.trim() ?? '')
      .filter((q) => q.length > 0);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const q of examples) expect(validateDsl(toEngineQuery(q, 'pages'), 'pages')).toBeDefined();
    expect(() => toEngineQuery('最佳 AND (顶级', 'pages')).toThrow(
      expect.objectContaining({ details: { position: 7, token: '(', reason: 'this "(" is never closed' } }),
    );
  });
});
