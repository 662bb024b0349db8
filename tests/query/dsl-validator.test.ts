import { describe, expect, it } from '@jest/globals';
import { toEngineQuery, validateDsl } from '../../search/query/index.js';

const accepted: [string, object][] = [
  [
    'bool of match and match_phrase',
    {
      bool: {
        must: [{ match: { text: '最佳' } }],
        should: { match_phrase: { title: { query: '最佳 产品', slop: 5 } } },
        minimum_should_match: 1,
      },
    },
  ],
  [
    'multi_match phrase with boosts',
    { multi_match: { query: 'best', type: 'phrase', fields: ['title^2', 'text.en'] } },
  ],
  [
    'term and terms',
    { bool: { filter: [{ term: { lang: 'zh' } }, { terms: { site: ['a', 'b'], boost: 2 } }] } },
  ],
  ['range on a date', { range: { fetched_at: { gte: '2026-01-01', lt: 'now' } } }],
  [
    'exists and prefix',
    { bool: { must: [{ exists: { field: 'identifiers.uscc' } }, { prefix: { url: 'https://a.cn/' } }] } },
  ],
  ['wildcard with a leading star on a keyword', { wildcard: { url: { value: '*/product/*' } } }],
  ['regexp with allowed flags', { regexp: { site: { value: 'shop-[0-9]+', flags: 'INTERVAL|EMPTY' } } }],
  [
    'nested prices',
    { nested: { path: 'prices', query: { range: { 'prices.amount': { lt: 1 } } }, score_mode: 'max' } },
  ],
  [
    'ids, constant_score, dis_max',
    {
      dis_max: {
        queries: [{ ids: { values: ['a'] } }, { constant_score: { filter: { term: { status: 200 } } } }],
      },
    },
  ],
];

describe('validateDsl accepts the allow-listed subset', () => {
  it.each(accepted)('accepts %s', (_name, query) => {
    expect(validateDsl(query, 'pages')).toBe(query);
  });

  it('accepts ad fields for ads and refuses them for pages', () => {
    const query = { term: { slot: 'banner' } };
    expect(validateDsl(query, 'ads')).toBe(query);
    expect(() => validateDsl(query, 'pages')).toThrow(
      expect.objectContaining({ details: { path: '/term/slot', reason: 'unknown field "slot" for pages' } }),
    );
  });
});

const refused: [string, unknown, string, RegExp][] = [
  [
    'a script query',
    { bool: { filter: [{ script: { script: 'true' } }] } },
    '/bool/filter/0/script',
    /scripts/,
  ],
  [
    'script_score',
    { script_score: { query: { match_all: {} }, script: { source: '1' } } },
    '/script_score',
    /scripts/,
  ],
  ['function_score', { function_score: { query: { match_all: {} } } }, '/function_score', /function_score/],
  ['percolate', { percolate: { field: 'query', document: {} } }, '/percolate', /percolate/],
  [
    'more_like_this',
    { more_like_this: { like: [{ _index: 'x', _id: '1' }] } },
    '/more_like_this',
    /more_like_this/,
  ],
  ['has_child', { has_child: { type: 'x', query: {} } }, '/has_child', /join/],
  ['geo', { geo_distance: { distance: '1km' } }, '/geo_distance', /geo/],
  ['query_string passthrough', { query_string: { query: 'a' } }, '/query_string', /Argus query-string/],
  ['wrapper', { wrapper: { query: 'eyJtYXRjaF9hbGwiOnt9fQ==' } }, '/wrapper', /hide/],
  ['an unknown query type', { span_near: {} }, '/span_near', /not allowed/],
  ['a _source key beside the query', { match: { text: 'a' }, _source: ['x'] }, '', /exactly one key/],
  [
    '_source smuggled inside bool',
    { bool: { must: [], _source: true } },
    '/bool/_source',
    /"_source" is not allowed in bool/,
  ],
  [
    'a script inside match params',
    { match: { text: { query: 'a', script: 'x' } } },
    '/match/text/script',
    /"script" is not allowed/,
  ],
  [
    'an object as a term value',
    { term: { site: { value: { script: 'x' } } } },
    '/term/site/value',
    /string, number or boolean/,
  ],
  [
    'terms lookup',
    { terms: { site: { index: 'users', id: '1', path: 'x' } } },
    '/terms/site',
    /terms lookup/,
  ],
  [
    'too many terms',
    { terms: { site: Array.from({ length: 1001 }, (_, i) => `s${i}`) } },
    '/terms/site',
    /more than 1000/,
  ],
  ['an unknown field', { match: { no_such: 'x' } }, '/match/no_such', /unknown field/],
  ['an alias instead of the field', { term: { domain: 'a.cn' } }, '/term/domain', /did you mean "host"/],
  [
    'a wildcard field list',
    { multi_match: { query: 'a', fields: ['*'] } },
    '/multi_match/fields/0',
    /unknown field "\*"/,
  ],
  [
    'slop over 50',
    { match_phrase: { text: { query: 'a b', slop: 51 } } },
    '/match_phrase/text/slop',
    /0 to 50/,
  ],
  ['a leading wildcard on text', { wildcard: { text: '*佳' } }, '/wildcard/text', /leading wildcard/],
  [
    'a leading wildcard on a host',
    { wildcard: { host: { value: '?x.cn' } } },
    '/wildcard/host',
    /leading wildcard/,
  ],
  ['a long regexp', { regexp: { site: 'a'.repeat(101) } }, '/regexp/site', /longer than 100/],
  ['a regexp open at both ends', { regexp: { url: '.*shop.*' } }, '/regexp/url', /start and end/],
  [
    'regexp flags ALL',
    { regexp: { url: { value: 'a', flags: 'ALL' } } },
    '/regexp/url/flags',
    /flags are limited/,
  ],
  [
    'nested on a non-nested path',
    { nested: { path: 'identifiers', query: { match_all: {} } } },
    '/nested/path',
    /nested path/,
  ],
  ['a query that is not an object', { bool: { must: ['x'] } }, '/bool/must/0', /must be an object/],
  ['an array at the root', [{ match_all: {} }], '', /must be an object/],
  ['a field name with a slash', { term: { 'a/b~c': 'x' } }, '/term/a~1b~0c', /unknown field/],
];

describe('validateDsl refuses everything off the allow-list, naming the node', () => {
  it.each(refused)('refuses %s', (_name, query, path, reason) => {
    expect.assertions(2);
    try {
      validateDsl(query, 'pages');
    } catch (error) {
      expect(error).toMatchObject({ code: 'QUERY_INVALID', httpStatus: 400, details: { path } });
      expect((error as { details: { reason: string } }).details.reason).toMatch(reason);
    }
  });

  it('uses RULE_INVALID when asked (saving a rule)', () => {
    expect(() => validateDsl({ script: {} }, 'pages', { code: 'RULE_INVALID' })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID' }),
    );
    expect(() => toEngineQuery('nosuch:x', 'pages', { code: 'RULE_INVALID' })).toThrow(
      expect.objectContaining({ code: 'RULE_INVALID' }),
    );
  });

  it('bounds depth: a query 17 levels deep is refused, 16 levels pass', () => {
    const nest = (n: number): object => (n === 0 ? { match_all: {} } : { bool: { must: [nest(n - 1)] } });
    expect(() => validateDsl(nest(16), 'pages')).toThrow(/deeper than 16/);
    expect(validateDsl(nest(15), 'pages')).toEqual(nest(15));
  });

  it('bounds the clause count: 10,000 ORed terms are refused', () => {
    const should = Array.from({ length: 10_000 }, (_, i) => ({ term: { site: `s${i}` } }));
    expect(() => validateDsl({ bool: { should } }, 'pages')).toThrow(
      expect.objectContaining({ details: { path: '/bool/should/255', reason: 'more than 256 clauses' } }),
    );
    expect(() => validateDsl({ bool: { should: should.slice(0, 255) } }, 'pages')).not.toThrow();
  });

  it('toEngineQuery takes a DSL object through the same allow-list', () => {
    expect(toEngineQuery({ match_phrase: { text: '最佳' } }, 'pages')).toEqual({
      match_phrase: { text: '最佳' },
    });
    expect(() => toEngineQuery({ script: { script: 'x' } }, 'pages')).toThrow(
      expect.objectContaining({ details: { path: '/script', reason: 'scripts are not allowed' } }),
    );
  });
});
