import type http from 'node:http';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { config } from '../../core/config.js';
import { createFetcher, type Fetcher } from '../../indexer/fetch/fetcher.js';
import { createSsrfGuard } from '../../indexer/fetch/ssrf-guard.js';
import { closedPort, startServer, type TestServer } from './support/http-server.js';
import { rejection } from './support/rejection.js';

const CHINESE =
  '网上商城欢迎光临，全场商品八折优惠，国家级品质保证，最佳选择。本店经营食品、化妆品、家用电器。';
const TRADITIONAL =
  '網上商城歡迎光臨，全場商品八折優惠，國家級品質保證，最佳選擇。本店經營食品、化妝品、家用電器。';
const html = (body: string, head = ''): string =>
  `<!DOCTYPE html><html><head>${head}<title>商城</title></head><body><p>${body}</p></body></html>`;

function send(
  res: http.ServerResponse,
  status: number,
  headers: http.OutgoingHttpHeaders,
  body: Buffer | string = '',
) {
  res.writeHead(status, headers);
  res.end(body);
}

function compressed(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  encoding: 'gzip' | 'br' | 'deflate',
) {
  const offered = String(req.headers['accept-encoding'] ?? '');
  if (!offered.includes(encoding)) return send(res, 406, {}, `client did not offer ${encoding}`);
  const plain = Buffer.from(html(`${encoding} ${CHINESE}`), 'utf8');
  const packed =
    encoding === 'gzip'
      ? zlib.gzipSync(plain)
      : encoding === 'br'
        ? zlib.brotliCompressSync(plain)
        : zlib.deflateSync(plain);
  send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': encoding }, packed);
}

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/gbk-header': (_q, res) =>
    send(res, 200, { 'content-type': 'text/html; charset=GBK' }, iconv.encode(html(CHINESE), 'gbk')),
  '/gbk-meta': (_q, res) =>
    send(
      res,
      200,
      { 'content-type': 'text/html' },
      iconv.encode(html(CHINESE, '<meta charset="gb2312">'), 'gbk'),
    ),
  '/gbk-bare': (_q, res) =>
    send(res, 200, { 'content-type': 'text/html' }, iconv.encode(html(CHINESE), 'gbk')),
  '/big5': (_q, res) =>
    send(res, 200, { 'content-type': 'text/html; charset=big5' }, iconv.encode(html(TRADITIONAL), 'big5')),
  '/bom': (_q, res) =>
    send(
      res,
      200,
      { 'content-type': 'text/html' },
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(html(CHINESE))]),
    ),
  '/gzip': (req, res) => compressed(req, res, 'gzip'),
  '/br': (req, res) => compressed(req, res, 'br'),
  '/deflate': (req, res) => compressed(req, res, 'deflate'),
  '/etag': (req, res) => {
    const headers = {
      'content-type': 'text/html',
      etag: '"v1"',
      'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
    };
    if (req.headers['if-none-match'] === '"v1"') return send(res, 304, headers);
    send(res, 200, headers, html('version one'));
  },
  '/since': (req, res) => {
    const headers = { 'content-type': 'text/html', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' };
    if (req.headers['if-modified-since'] === headers['last-modified']) return send(res, 304, headers);
    send(res, 200, headers, html('dated'));
  },
  '/png': (_q, res) =>
    send(res, 200, { 'content-type': 'image/png' }, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])),
  '/untyped-binary': (_q, res) => send(res, 200, {}, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])),
  '/xml': (_q, res) =>
    send(res, 200, { 'content-type': 'application/rss+xml' }, '<?xml version="1.0"?><rss/>'),
  '/ua': (req, res) => send(res, 200, { 'content-type': 'text/plain' }, String(req.headers['user-agent'])),
  '/hop1': (_q, res) => send(res, 301, { location: '/hop2' }),
  '/final': (_q, res) => send(res, 200, { 'content-type': 'text/html' }, html('arrived')),
  '/loop-a': (_q, res) => send(res, 302, { location: '/loop-b' }),
  '/loop-b': (_q, res) => send(res, 302, { location: '/loop-a' }),
  '/gone': (_q, res) => send(res, 404, { 'content-type': 'text/html' }, 'no such page'),
  '/busy': (_q, res) => send(res, 503, { 'retry-after': '120' }, 'later'),
  '/slow-down': (_q, res) => send(res, 429, {}, 'too many'),
};

describe('fetchPage against a real local server', () => {
  let server: TestServer;
  let fetcher: Fetcher;
  let base: string;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const chain = /^\/chain\/(\d+)$/.exec(path);
      if (chain) return send(res, 302, { location: `/chain/${Number(chain[1]) + 1}` });
      if (path === '/hop2') return send(res, 302, { location: `http://other.test:${server.port}/final?x=1` });
      const route = routes[path];
      if (!route) return send(res, 404, {}, 'unknown route');
      route(req, res);
    });
    base = `http://shop.test:${server.port}`;
    const guard = createSsrfGuard({
      resolve: [`shop.test:${server.port}:127.0.0.1`, `other.test:${server.port}:127.0.0.1`],
      allowPrivate: '127.0.0.1/32',
    });
    fetcher = createFetcher({ guard, maxRedirects: 5 });
  });

  afterAll(async () => {
    fetcher.close();
    await server.close();
  });

  test('a GBK page with the charset in the header decodes to Chinese text', async () => {
    const result = await fetcher.fetchPage(`${base}/gbk-header`);
    expect(result).toMatchObject({
      status: 200,
      contentType: 'text/html',
      charset: 'gb18030',
      charsetSource: 'header',
    });
    expect(result.text).toContain(CHINESE);
    expect(result.bytes).toBe(iconv.encode(html(CHINESE), 'gbk').length);
    expect(result.remoteAddress).toBe('127.0.0.1');
  });

  test('a GBK page declaring its charset only in <meta> decodes', async () => {
    const result = await fetcher.fetchPage(`${base}/gbk-meta`);
    expect(result).toMatchObject({ charset: 'gb18030', charsetSource: 'meta' });
    expect(result.text).toContain(CHINESE);
  });

  test('a GBK page with no charset anywhere is sniffed', async () => {
    const result = await fetcher.fetchPage(`${base}/gbk-bare`);
    expect(result).toMatchObject({ charset: 'gb18030', charsetSource: 'sniff' });
    expect(result.text).toContain(CHINESE);
  });

  test('a Big5 page decodes', async () => {
    const result = await fetcher.fetchPage(`${base}/big5`);
    expect(result).toMatchObject({ charset: 'big5', charsetSource: 'header' });
    expect(result.text).toContain(TRADITIONAL);
  });

  test('a UTF-8 BOM is honoured and stripped', async () => {
    const result = await fetcher.fetchPage(`${base}/bom`);
    expect(result).toMatchObject({ charset: 'utf-8', charsetSource: 'bom' });
    expect(result.text.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  test.each(['gzip', 'br', 'deflate'])(
    'a %s-compressed page is offered, accepted and decompressed',
    async (encoding) => {
      const result = await fetcher.fetchPage(`${base}/${encoding}`);
      expect(result.headers['content-encoding']).toBe(encoding);
      expect(result.text).toContain(`${encoding} ${CHINESE}`);
    },
  );

  test('a second fetch with the ETag gets 304 and reports notModified', async () => {
    const first = await fetcher.fetchPage(`${base}/etag`);
    expect(first).toMatchObject({
      notModified: false,
      etag: '"v1"',
      lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    const second = await fetcher.fetchPage(`${base}/etag`, { etag: first.etag });
    expect(second).toMatchObject({ status: 304, notModified: true, text: '', bytes: 0, etag: '"v1"' });
    expect(server.seen.filter((r) => r.path === '/etag').map((r) => r.headers['if-none-match'])).toEqual([
      undefined,
      '"v1"',
    ]);
  });

  test('Last-Modified is sent back as If-Modified-Since', async () => {
    const first = await fetcher.fetchPage(`${base}/since`);
    const second = await fetcher.fetchPage(`${base}/since`, { lastModified: first.lastModified });
    expect(second.notModified).toBe(true);
  });

  test('an image is refused by the content-type gate', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/png`));
    expect(error).toMatchObject({
      code: 'FETCH_CONTENT_TYPE',
      retryable: false,
      details: { contentType: 'image/png' },
    });
  });

  test('a body without Content-Type that looks binary is refused; RSS passes the page gate', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/untyped-binary`));
    expect(error).toMatchObject({ code: 'FETCH_CONTENT_TYPE', details: { reason: 'binary' } });
    await expect(fetcher.fetchPage(`${base}/xml`)).resolves.toMatchObject({
      contentType: 'application/rss+xml',
    });
  });

  test('the user agent comes from CRAWL_USER_AGENT and names Argus with a contact URL', async () => {
    const result = await fetcher.fetchPage(`${base}/ua`);
    expect(result.text).toBe(config().CRAWL_USER_AGENT);
    expect(result.text).toMatch(/Argus.*https?:\/\//);
  });

  test('redirects are followed hop by hop and recorded, across hosts', async () => {
    const result = await fetcher.fetchPage(`${base}/hop1#frag`);
    expect(result.url).toBe(`${base}/hop1`);
    expect(result.finalUrl).toBe(`http://other.test:${server.port}/final?x=1`);
    expect(result.redirects).toEqual([
      { url: `${base}/hop1`, status: 301, location: `${base}/hop2` },
      { url: `${base}/hop2`, status: 302, location: `http://other.test:${server.port}/final?x=1` },
    ]);
    expect(result.text).toContain('arrived');
  });

  test('more redirects than the cap fail with FETCH_TOO_MANY_REDIRECTS after exactly cap + 1 requests', async () => {
    const before = server.seen.length;
    const error = await rejection(fetcher.fetchPage(`${base}/chain/0`));
    expect(error).toMatchObject({
      code: 'FETCH_TOO_MANY_REDIRECTS',
      retryable: false,
      details: { reason: 'limit' },
    });
    expect(server.seen.length - before).toBe(6);
  });

  test('a redirect loop is detected before the cap', async () => {
    const before = server.seen.length;
    const error = await rejection(fetcher.fetchPage(`${base}/loop-a`));
    expect(error).toMatchObject({ code: 'FETCH_TOO_MANY_REDIRECTS', details: { reason: 'loop' } });
    expect(server.seen.length - before).toBe(2);
  });

  test('a 404 is final, a 503 and a 429 are retryable with the status in details', async () => {
    await expect(rejection(fetcher.fetchPage(`${base}/gone`))).resolves.toMatchObject({
      code: 'FETCH_HTTP_STATUS',
      retryable: false,
      details: { status: 404 },
    });
    await expect(rejection(fetcher.fetchPage(`${base}/busy`))).resolves.toMatchObject({
      code: 'FETCH_HTTP_STATUS',
      retryable: true,
      details: { status: 503, retryAfterMs: 120_000 },
    });
    await expect(rejection(fetcher.fetchPage(`${base}/slow-down`))).resolves.toMatchObject({
      retryable: true,
      details: { status: 429 },
    });
  });

  test('errors survive a JSON round trip with code and retryable', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/busy`));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'FETCH_HTTP_STATUS', retryable: true });
  });

  test('bad URLs and non-HTTP schemes fail with FETCH_BAD_URL', async () => {
    await expect(rejection(fetcher.fetchPage('not a url'))).resolves.toMatchObject({ code: 'FETCH_BAD_URL' });
    await expect(rejection(fetcher.fetchPage('ftp://shop.test/file'))).resolves.toMatchObject({
      code: 'FETCH_BAD_URL',
    });
  });

  test('a refused connection is FETCH_CONNECTION and retryable', async () => {
    const port = await closedPort();
    const guard = createSsrfGuard({ resolve: `down.test:${port}:127.0.0.1`, allowPrivate: '127.0.0.1/32' });
    const down = createFetcher({ guard });
    try {
      const error = await rejection(down.fetchPage(`http://down.test:${port}/`));
      expect(error).toMatchObject({
        code: 'FETCH_CONNECTION',
        retryable: true,
        details: { cause: 'ECONNREFUSED' },
      });
    } finally {
      down.close();
    }
  });

  test('a host that does not resolve is FETCH_DNS and not retryable', async () => {
    const error = await rejection(fetcher.fetchPage('http://no-such-host.invalid/'));
    expect(error).toMatchObject({ code: 'FETCH_DNS', retryable: false });
  });

  test('a cancelled fetch is FETCH_ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(fetcher.fetchPage(`${base}/final`, { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'FETCH_ABORTED', retryable: true });
  });
});
