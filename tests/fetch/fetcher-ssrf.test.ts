import type http from 'node:http';
import { createFetcher, type Fetcher, type FetcherOptions } from '../../indexer/fetch/fetcher.js';
import { createSsrfGuard, type SsrfGuardOptions } from '../../indexer/fetch/ssrf-guard.js';
import { startServer, type TestServer } from './support/http-server.js';
import { rejection } from './support/rejection.js';
import { watchSockets, type SocketWatch } from './support/socket-watch.js';

function page(res: http.ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${text}</body></html>`);
}

describe('SSRF guard in the fetcher', () => {
  let v4: TestServer;
  let v6: TestServer;
  let watch: SocketWatch;
  const fetchers: Fetcher[] = [];

  /** A fetcher whose guard maps test names onto the local servers; closed after each test. */
  function fetcherWith(guard: SsrfGuardOptions, options: FetcherOptions = {}): Fetcher {
    const resolve = [
      `shop.test:${v4.port}:127.0.0.1`,
      `evil.test:${v4.port}:127.0.0.1`,
      `meta.test:80:169.254.169.254`,
      `inner.test:80:10.0.0.1`,
    ];
    const fetcher = createFetcher({ ...options, guard: createSsrfGuard({ resolve, ...guard }) });
    fetchers.push(fetcher);
    return fetcher;
  }

  beforeAll(async () => {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (req.url === '/to-metadata')
        return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/to-meta-name')
        return void res.writeHead(302, { location: 'http://meta.test/latest/' }).end();
      if (req.url === '/to-loopback')
        return void res.writeHead(302, { location: `http://evil.test:${v4.port}/` }).end();
      page(res, 'local');
    };
    v4 = await startServer(handler);
    v6 = await startServer(handler, '::1');
  });

  beforeEach(() => {
    watch = watchSockets();
  });

  afterEach(() => {
    watch.stop();
    for (const fetcher of fetchers.splice(0)) fetcher.close();
  });

  afterAll(async () => {
    await v4.close();
    await v6.close();
  });

  test.each([
    ['http://10.0.0.1/', '10.0.0.1', 'private'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', 'metadata'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe', 'metadata'],
  ])('%s is refused before any socket is opened', async (url, address, reason) => {
    const error = await rejection(fetcherWith({}).fetchPage(url));
    expect(error).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      retryable: false,
      details: { address, reason },
    });
    expect(watch.created).toBe(0);
  });

  test('127.0.0.1 and [::1] are refused without an allow-list, without connecting', async () => {
    const fetcher = fetcherWith({});
    await expect(rejection(fetcher.fetchPage(`http://127.0.0.1:${v4.port}/`))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: '127.0.0.1', address: '127.0.0.1', reason: 'loopback' },
    });
    await expect(rejection(fetcher.fetchPage(`http://[::1]:${v6.port}/`))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { address: '::1', reason: 'loopback' },
    });
    expect(watch.created).toBe(0);
    expect(v4.seen).toHaveLength(0);
    expect(v6.seen).toHaveLength(0);
  });

  test('a host name resolving to 127.0.0.1 is refused after resolution, before connecting', async () => {
    const error = await rejection(fetcherWith({}).fetchPage(`http://evil.test:${v4.port}/`));
    expect(error).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: 'evil.test', address: '127.0.0.1', reason: 'loopback' },
    });
    expect(watch.attempted).toEqual([]);
    expect(v4.seen).toHaveLength(0);
  });

  test('names resolving to 10.0.0.1 or 169.254.169.254 are refused without a connection attempt', async () => {
    const fetcher = fetcherWith({ allowPrivate: '127.0.0.1/32' });
    await expect(rejection(fetcher.fetchPage('http://inner.test/'))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { address: '10.0.0.1', reason: 'private' },
    });
    await expect(rejection(fetcher.fetchPage('http://meta.test/'))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { address: '169.254.169.254', reason: 'metadata' },
    });
    expect(watch.attempted).toEqual([]);
  });

  test('a redirect from an allowed host to 169.254.169.254 is refused at that hop', async () => {
    const fetcher = fetcherWith({ allowPrivate: '127.0.0.1/32' });
    const error = await rejection(fetcher.fetchPage(`http://shop.test:${v4.port}/to-metadata`));
    expect(error).toMatchObject({ code: 'FETCH_SSRF_BLOCKED', details: { address: '169.254.169.254' } });
    const viaName = await rejection(fetcher.fetchPage(`http://shop.test:${v4.port}/to-meta-name`));
    expect(viaName).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: 'meta.test', reason: 'metadata' },
    });
    expect(v4.seen.map((r) => r.path)).toEqual(['/to-metadata', '/to-meta-name']);
    expect(new Set(watch.attempted)).toEqual(new Set(['127.0.0.1']));
  });

  test('a redirect from an allow-listed name to a loopback name that is not allow-listed is refused', async () => {
    const fetcher = fetcherWith({ allowPrivate: 'shop.test' });
    const error = await rejection(fetcher.fetchPage(`http://shop.test:${v4.port}/to-loopback`));
    expect(error).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: 'evil.test', reason: 'loopback' },
    });
  });

  test('once allow-listed, the same addresses are fetched', async () => {
    const byCidr = fetcherWith({ allowPrivate: '127.0.0.1/32, ::1/128' });
    await expect(byCidr.fetchPage(`http://127.0.0.1:${v4.port}/`)).resolves.toMatchObject({ status: 200 });
    await expect(byCidr.fetchPage(`http://[::1]:${v6.port}/`)).resolves.toMatchObject({ status: 200 });
    await expect(byCidr.fetchPage(`http://evil.test:${v4.port}/`)).resolves.toMatchObject({
      status: 200,
      remoteAddress: '127.0.0.1',
    });
    const byName = fetcherWith({ allowPrivate: 'evil.test' });
    await expect(byName.fetchPage(`http://evil.test:${v4.port}/`)).resolves.toMatchObject({ status: 200 });
    await expect(rejection(byName.fetchPage(`http://shop.test:${v4.port}/`))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
    });
  });

  test('an allow-listed fetcher and a strict one never share a validated connection', async () => {
    const open = fetcherWith({ allowPrivate: '127.0.0.1/32' });
    const strict = fetcherWith({});
    await open.fetchPage(`http://evil.test:${v4.port}/`);
    await expect(rejection(strict.fetchPage(`http://evil.test:${v4.port}/`))).resolves.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
    });
  });
});
