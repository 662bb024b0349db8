import type http from 'node:http';
import { createFetcher, type Fetcher } from '../../indexer/fetch/fetcher.js';
import { createRobotsCache, robotsTokenOf } from '../../indexer/fetch/robots.js';
import { createSsrfGuard } from '../../indexer/fetch/ssrf-guard.js';
import { closedPort, startServer, type TestServer } from './support/http-server.js';
import { rejection } from './support/rejection.js';

const ROBOTS = [
  'User-agent: *',
  'Disallow: /',
  '',
  'User-agent: ArgusBot',
  'Disallow: /private',
  'Allow: /private/public-notice',
  'Crawl-delay: 2.5',
  '',
  'Sitemap: http://shop.test/sitemap.xml',
  'Sitemap: http://shop.test/sitemap-ads.xml.gz',
].join('\n');

describe('robots.txt cache', () => {
  let server: TestServer;
  let fetcher: Fetcher;
  let robotsStatus: Record<string, number>;
  let clock: number;
  const now = (): number => clock;

  const url = (host: string, path: string): string => `http://${host}:${server.port}${path}`;
  const robotsFetches = (host: string): number =>
    server.seen.filter((r) => r.path === '/robots.txt' && r.headers.host?.startsWith(host)).length;

  beforeAll(async () => {
    server = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      const host = (req.headers.host ?? '').split(':')[0] ?? '';
      if (req.url !== '/robots.txt')
        return void res.writeHead(200, { 'content-type': 'text/html' }).end('page');
      const status = robotsStatus[host] ?? 200;
      // Many servers label robots.txt text/html; it must still be read.
      const type = host === 'html.test' ? 'text/html' : 'text/plain';
      res.writeHead(status, { 'content-type': type }).end(status === 200 ? ROBOTS : 'error');
    });
    const hosts = ['shop.test', 'html.test', 'gone.test', 'down.test', 'busy.test'];
    const guard = createSsrfGuard({
      resolve: hosts.map((host) => `${host}:${server.port}:127.0.0.1`),
      allowPrivate: '127.0.0.1/32',
    });
    fetcher = createFetcher({ guard, userAgent: 'ArgusBot/0.1 (+https://argus.example.gov.cn/bot)' });
  });

  beforeEach(() => {
    clock = 1_000_000;
    robotsStatus = { 'gone.test': 404, 'down.test': 500, 'busy.test': 429 };
  });

  afterAll(async () => {
    fetcher.close();
    await server.close();
  });

  test('the robots token is the product name of the user agent', () => {
    expect(robotsTokenOf('ArgusBot/0.1 (+https://argus.example.gov.cn/bot)')).toBe('ArgusBot');
  });

  test('our group is obeyed: disallowed paths refused, allowed ones and their exceptions let through', async () => {
    const robots = createRobotsCache({ fetcher, now });
    await expect(robots.isAllowed(url('shop.test', '/products/1'))).resolves.toBe(true);
    await expect(robots.isAllowed(url('shop.test', '/private/orders'))).resolves.toBe(false);
    await expect(robots.isAllowed(url('shop.test', '/private/public-notice'))).resolves.toBe(true);
    const error = await rejection(robots.assertAllowed(url('shop.test', '/private/orders')));
    expect(error).toMatchObject({ code: 'ROBOTS_DISALLOWED', retryable: false, details: { source: 'file' } });
  });

  test('another bot name falls under the * group', async () => {
    const other = createFetcher({
      guard: createSsrfGuard({ resolve: `shop.test:${server.port}:127.0.0.1`, allowPrivate: '127.0.0.1/32' }),
      userAgent: 'OtherBot/1.0',
    });
    try {
      const robots = createRobotsCache({ fetcher: other, now });
      await expect(robots.isAllowed(url('shop.test', '/products/1'))).resolves.toBe(false);
    } finally {
      other.close();
    }
  });

  test('Crawl-delay and Sitemap lines are exposed', async () => {
    const robots = createRobotsCache({ fetcher, now });
    await expect(robots.crawlDelayMs(url('shop.test', '/'))).resolves.toBe(2500);
    await expect(robots.sitemaps(url('shop.test', '/'))).resolves.toEqual([
      'http://shop.test/sitemap.xml',
      'http://shop.test/sitemap-ads.xml.gz',
    ]);
  });

  test('a robots.txt served as text/html is still read', async () => {
    const robots = createRobotsCache({ fetcher, now });
    await expect(robots.isAllowed(url('html.test', '/private/x'))).resolves.toBe(false);
  });

  test('each origin is fetched once per TTL, concurrent checks share the fetch, expiry refetches', async () => {
    const robots = createRobotsCache({ fetcher, now, ttlMs: 60_000 });
    const before = robotsFetches('shop.test');
    await Promise.all([1, 2, 3, 4].map((n) => robots.isAllowed(url('shop.test', `/products/${n}`))));
    await robots.isAllowed(url('shop.test', '/products/5'));
    expect(robotsFetches('shop.test') - before).toBe(1);
    clock += 60_001;
    await robots.isAllowed(url('shop.test', '/products/6'));
    expect(robotsFetches('shop.test') - before).toBe(2);
  });

  test('a 404 robots.txt allows everything', async () => {
    const robots = createRobotsCache({ fetcher, now });
    const rules = await robots.rulesFor(url('gone.test', '/'));
    expect(rules).toMatchObject({ source: 'missing', status: 404 });
    await expect(robots.isAllowed(url('gone.test', '/anything'))).resolves.toBe(true);
  });

  test.each(['down.test', 'busy.test'])(
    'a 5xx or 429 robots.txt (%s) disallows everything for a while, then is asked again',
    async (host) => {
      const robots = createRobotsCache({ fetcher, now, errorTtlMs: 30_000 });
      const error = await rejection(robots.assertAllowed(url(host, '/products/1')));
      expect(error).toMatchObject({
        code: 'ROBOTS_DISALLOWED',
        retryable: true,
        details: { source: 'error' },
      });
      const before = robotsFetches(host);
      robotsStatus[host] = 200;
      await expect(robots.isAllowed(url(host, '/products/1'))).resolves.toBe(false);
      expect(robotsFetches(host)).toBe(before);
      clock += 30_001;
      await expect(robots.isAllowed(url(host, '/products/1'))).resolves.toBe(true);
      expect(robotsFetches(host)).toBe(before + 1);
    },
  );

  test('an unreachable robots.txt disallows everything', async () => {
    const port = await closedPort();
    const guard = createSsrfGuard({ resolve: `dead.test:${port}:127.0.0.1`, allowPrivate: '127.0.0.1/32' });
    const dead = createFetcher({ guard });
    try {
      const robots = createRobotsCache({ fetcher: dead, now });
      const rules = await robots.rulesFor(`http://dead.test:${port}/`);
      expect(rules).toMatchObject({ source: 'error', errorCode: 'FETCH_CONNECTION' });
      expect(rules.isAllowed(`http://dead.test:${port}/products/1`)).toBe(false);
    } finally {
      dead.close();
    }
  });

  test('a robots.txt on a refused address surfaces the SSRF error instead of caching rules', async () => {
    const strict = createFetcher({ guard: createSsrfGuard() });
    try {
      const robots = createRobotsCache({ fetcher: strict, now });
      await expect(rejection(robots.rulesFor('http://10.0.0.1/page'))).resolves.toMatchObject({
        code: 'FETCH_SSRF_BLOCKED',
      });
    } finally {
      strict.close();
    }
  });
});
