/**
 * Bad input, table-driven: every endpoint with wrong types, huge bodies, bad query syntax and
 * injection attempts (engine DSL and scripts smuggled into query strings and bodies, path traversal,
 * `%2e%2e`, NUL bytes, over-long ids). Each answers 4xx with a JSON error code, never a 500, and no
 * answer to a caller of county k1 carries a document of county k2. Raw paths go out through
 * node:http so `..` reaches the server unnormalised.
 */
import { request, STATUS_CODES } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD } from './matrix-fixture.js';
import { OTHER_COUNTY_IDS, seedWorkbench } from './workbench-fixture.js';

let fx: ApiFixture;
let token = '';

beforeAll(async () => {
  fx = await apiFixture('apibad', MATRIX_TREE, MATRIX_USERS);
  await seedWorkbench(fx);
  token = await fx.login('admin-k1', PASSWORD);
});
afterAll(async () => {
  await fx?.cleanup();
});

interface Raw {
  status: number;
  body: string;
}

/** One request with the path exactly as given. */
function raw(
  method: string,
  path: string,
  body?: string | Buffer,
  contentType = 'application/json',
): Promise<Raw> {
  const url = new URL(fx.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined
            ? { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const BAD_IDS = [
  '..%2F..%2F_all',
  '%2e%2e',
  '%2e%2e%2f_all',
  'a%00b',
  'x'.repeat(300),
  '*',
  '_all%2Cpages',
  'a%20b',
  '%ZZ',
  '%3Cscript%3E',
];

const ID_ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/api/pages/{id}'],
  ['GET', '/api/pages/{id}/versions'],
  ['GET', '/api/pages/{id}/diff?from=1&to=2'],
  ['GET', '/api/ads/{id}'],
  ['GET', '/api/ads/{id}/pages'],
  ['GET', '/api/ads/{id}/timeline'],
  ['GET', '/api/alerts/{id}'],
  ['POST', '/api/alerts/{id}/actions', { action: 'acknowledge', version: '1-1' }],
  ['GET', '/api/rules/{id}'],
  ['PATCH', '/api/rules/{id}', { name: 'x', version: 1 }],
  ['POST', '/api/rules/{id}/enable', {}],
  ['GET', '/api/rules/{id}/versions'],
  ['GET', '/api/operators/{id}'],
  ['GET', '/api/operators/{id}/history'],
  ['GET', '/api/evidence/{id}'],
  ['GET', '/api/users/{id}'],
];

const DSL = encodeURIComponent('{"script":{"script":{"source":"1"}}}');
const LIST_PATHS = ['/api/search', '/api/pages', '/api/ads', '/api/alerts', '/api/rules', '/api/operators'];

const QUERY_CASES: Array<[string, string]> = [
  ...LIST_PATHS.flatMap((p): Array<[string, string]> => [
    [p, 'size=abc'],
    [p, 'size=-1'],
    [p, 'size=100000'],
    [p, 'script=1'],
    [p, 'size[]=1'],
    [p, 'after=!!!'],
    [p, `after=${Buffer.from('{"script":1}').toString('base64url')}`],
    [p, `q=${'a'.repeat(5_000)}`],
    [p, 'facets=__proto__'],
  ]),
  ['/api/search', `q=${encodeURIComponent('(((最佳')}`],
  ['/api/search', `q=${encodeURIComponent('*leading')}`],
  ['/api/search', `q=${encodeURIComponent('text:/.*.*.*.*/')}`],
  ['/api/search', 'kind=_all'],
  ['/api/search', 'kind=pages,ads'],
  ['/api/search', 'sort=_script'],
  ['/api/search', 'from=yesterday'],
  ['/api/search', 'domain=a%00b'],
  ['/api/search', 'district=..%2F..%2F_all'],
  ['/api/search', 'facets=site,_index'],
  ['/api/search/export', 'format=xml'],
  ['/api/alerts/counts', 'rule=*'],
  ['/api/ads/groups', 'by=_id'],
  ['/api/ads/groups', 'size=0'],
  ['/api/stats/overview', 'interval=second'],
  ['/api/stats/overview', 'from=2000-01-01&interval=hour'],
  ['/api/stats/overview', 'from=2030-01-01&to=2020-01-01'],
  ['/api/pages/p-k1s1g1/diff', 'from=a&to=2'],
  ['/api/pages/p-k1s1g1/diff', 'from=1'],
  ['/api/notifications/stream', 'lastEventId=../../x'],
];

const BODY_CASES: Array<[string, string, unknown]> = [
  ['POST', '/api/alerts/bulk', { ids: 'al-k1-1', action: 'resolve' }],
  ['POST', '/api/alerts/bulk', { ids: [], action: 'resolve' }],
  ['POST', '/api/alerts/bulk', { ids: Array.from({ length: 501 }, (_, i) => `a${i}`), action: 'resolve' }],
  ['POST', '/api/alerts/bulk', { ids: ['../../_all'], action: 'resolve' }],
  ['POST', '/api/alerts/bulk', { ids: ['al-k1-1'], action: 'delete' }],
  ['POST', '/api/alerts/p-k1s1g1/actions', { action: 'acknowledge', version: 7 }],
  ['POST', '/api/alerts/al-k1-1/actions', { action: 'acknowledge', version: '1-1', script: 'x' }],
  ['POST', '/api/rules', { id: 'x', name: 1 }],
  [
    'POST',
    '/api/rules',
    { id: 'UPPER', name: 'n', target: 'pages', query: 'a', severity: 'high', category: 'c' },
  ],
  [
    'POST',
    '/api/rules',
    {
      id: 'r-script',
      name: 'n',
      target: 'pages',
      query: { script: { script: { source: '1' } } },
      severity: 'high',
      category: 'c',
    },
  ],
  [
    'POST',
    '/api/rules',
    {
      id: 'r-far',
      name: 'n',
      target: 'pages',
      query: 'a',
      severity: 'high',
      category: 'c',
      scope: { county: 'k2' },
    },
  ],
  ['POST', '/api/rules/validate', { query: { script: { script: { source: 'Math.random()' } } } }],
  ['POST', '/api/rules/validate', { query: { regexp: { text: `${'(a+)+'.repeat(200)}` } } }],
  ['POST', '/api/rules/validate', { query: { wildcard: { text: '*abc' } } }],
  ['POST', '/api/rules/validate', { query: { match_all: {}, script: {} } }],
  ['POST', '/api/rules/validate', { query: 42 }],
  ['POST', '/api/rules/validate', { query: '"unclosed' }],
  [
    'POST',
    '/api/rules/backtest',
    { rule: { query: { script: { script: { source: '1' } } }, target: 'pages' } },
  ],
  ['POST', '/api/rules/backtest', { rule: { query: '最佳', target: '_all' } }],
  ['POST', '/api/rules/backtest', { rule: 'x' }],
  ['POST', '/api/crawl/submit', { urls: ['file:///etc/passwd'] }],
  ['POST', '/api/crawl/submit', { urls: 'http://a.test/' }],
  ['POST', '/api/crawl/submit', {}],
  ['POST', '/api/crawl/submit', { sites: ['../../etc'] }],
  ['POST', '/api/auth/login', { username: ['admin'], password: { $ne: '' } }],
  ['POST', '/api/tokens', { user_id: 1 }],
];

function expectNoLeak(res: Raw, what: string): void {
  for (const id of OTHER_COUNTY_IDS) expect([what, id, res.body.includes(id)]).toEqual([what, id, false]);
}

function expectClean(res: Raw, what: string): void {
  expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
  const parsed = JSON.parse(res.body) as { error?: { code?: unknown } };
  expect([what, typeof parsed.error?.code]).toEqual([what, 'string']);
  expectNoLeak(res, what);
}

/** Engine DSL typed into the query string is searched as words: an answer in scope, never a query. */
const AS_TEXT: Array<[string, string]> = [
  ['/api/search', `q=${DSL}`],
  ['/api/search/export', `q=${DSL}`],
  ['/api/search', `q=${encodeURIComponent('_index:* OR _id:p-k2s1g1')}`],
  ['/api/alerts', `q=${DSL}`],
];

describe('bad input never becomes a 500 or a leak', () => {
  it.each(
    ID_ROUTES.flatMap(([method, path, body]) =>
      BAD_IDS.map((id) => [method, path.replace('{id}', id), body]),
    ),
  )('%s %s answers 4xx with a code', async (method, path, body) => {
    const res = await raw(
      method as string,
      path as string,
      body === undefined ? undefined : JSON.stringify(body),
    );
    expectClean(res, `${method as string} ${path as string}`);
  });

  it.each(QUERY_CASES)('GET %s?%s answers 4xx with a code', async (path, query) => {
    expectClean(await raw('GET', `${path}?${query}`), `${path}?${query}`);
  });

  it.each(AS_TEXT)('GET %s?%s treats smuggled DSL as text (no 500, nothing of k2)', async (path, query) => {
    const res = await raw('GET', `${path}?${query}`);
    expect([query, res.status < 500]).toEqual([query, true]);
    expectNoLeak(res, `${path}?${query}`);
  });

  it.each(BODY_CASES)('%s %s with a bad body answers 4xx with a code', async (method, path, body) => {
    expectClean(
      await raw(method, path, JSON.stringify(body)),
      `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`,
    );
  });

  it.each([
    ['POST', '/api/rules'],
    ['POST', '/api/alerts/bulk'],
    ['POST', '/api/rules/backtest'],
  ])('%s %s refuses a 2 MB body (413) and malformed JSON (400)', async (method, path) => {
    const huge = await raw(method, path, JSON.stringify({ query: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
    expect((JSON.parse(huge.body) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
    const broken = await raw(method, path, '{"query": ');
    expect(broken.status).toBe(400);
  });

  it('a k1 caller acting on a k2 alert or page gets 404, the same as an absent one', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/alerts/al-k2', undefined],
      ['POST', '/api/alerts/al-k2/actions', { action: 'resolve', version: '1-1' }],
      ['GET', '/api/pages/p-k2s1g1/diff?from=1&to=2', undefined],
      ['GET', '/api/ads/a-k2/pages', undefined],
    ] as const) {
      const res = await raw(method, path, body === undefined ? undefined : JSON.stringify(body));
      expect([path, res.status]).toEqual([path, 404]);
      expect((JSON.parse(res.body) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
  });
});

/** Bytes as they are, over one socket; resolves with everything the server wrote before closing. */
function rawBytes(bytes: string): Promise<string> {
  const url = new URL(fx.baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe("requests Node's HTTP parser refuses", () => {
  it.each([
    [
      'a raw non-ASCII URL, as curl sends it',
      'GET /api/search?q=最佳 HTTP/1.1\r\nHost: x\r\n\r\n',
      400,
      'MALFORMED_URL',
    ],
    [
      '20 kB of headers (Node allows 16)',
      `GET /api/search HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'HEADERS_TOO_LARGE',
    ],
    ['a garbled request line', 'GARBAGE\r\n\r\n', 400, 'MALFORMED_HTTP'],
    [
      'a header without a colon',
      'GET /api/search HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      400,
      'MALFORMED_HTTP',
    ],
  ])('%s: a JSON error with its code, then the connection closes', async (_name, bytes, status, code) => {
    const answer = await rawBytes(bytes);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
    expect(head).toContain('Content-Type: application/json');
    expect(head).toContain('Connection: close');
    const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('says how to send the query: percent-encoded, it is answered', async () => {
    const refused = await rawBytes('GET /api/search?q=最佳 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(refused).toContain('--data-urlencode');
    const res = await raw('GET', `/api/search?q=${encodeURIComponent('最佳')}`);
    expect(res.status).toBe(200);
  });
});
