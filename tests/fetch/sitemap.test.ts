import type http from 'node:http';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { createFetcher, type Fetcher } from '../../indexer/fetch/fetcher.js';
import { collectSitemapUrls, fetchSitemap, parseSitemap } from '../../indexer/fetch/sitemap.js';
import { createSsrfGuard } from '../../indexer/fetch/ssrf-guard.js';
import { startServer, type TestServer } from './support/http-server.js';
import { rejection } from './support/rejection.js';

const NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';
const urlset = (entries: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?><urlset ${NS} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">${entries.join('')}</urlset>`;
const url = (loc: string, lastmod?: string): string =>
  `<url><loc>${loc}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}<image:image><image:loc>https://img.test/1.png</image:loc></image:image></url>`;

describe('sitemap parsing', () => {
  test('a urlset gives URLs with lastmod as ISO time; entities are decoded', async () => {
    const parsed = await parseSitemap(
      urlset([
        url('https://shop.test/p?id=1&amp;c=2', '2024-03-01'),
        url('https://shop.test/p2', '2024-03-01T10:00:00+08:00'),
        url('https://shop.test/p3'),
      ]),
    );
    expect(parsed).toMatchObject({ kind: 'urlset', truncated: false, skipped: 0 });
    expect(parsed.urls).toEqual([
      { url: 'https://shop.test/p?id=1&c=2', lastmod: '2024-03-01T00:00:00.000Z' },
      { url: 'https://shop.test/p2', lastmod: '2024-03-01T02:00:00.000Z' },
      { url: 'https://shop.test/p3' },
    ]);
  });

  test('a single <url> and a bad lastmod are handled; non-http locs are skipped and counted', async () => {
    const parsed = await parseSitemap(
      urlset([url('javascript:alert(1)'), url('https://shop.test/only', 'yesterday')]),
    );
    expect(parsed.urls).toEqual([{ url: 'https://shop.test/only' }]);
    expect(parsed.skipped).toBe(1);
  });

  test('a sitemap index lists child sitemaps', async () => {
    const xml = `<sitemapindex ${NS}><sitemap><loc>https://shop.test/a.xml</loc><lastmod>2024-01-02</lastmod></sitemap></sitemapindex>`;
    const parsed = await parseSitemap(xml);
    expect(parsed).toMatchObject({ kind: 'sitemapindex', urls: [] });
    expect(parsed.sitemaps).toEqual([
      { url: 'https://shop.test/a.xml', lastmod: '2024-01-02T00:00:00.000Z' },
    ]);
  });

  test('a text sitemap is a list of URLs', async () => {
    const parsed = await parseSitemap(
      Buffer.from('https://shop.test/a\r\nhttps://shop.test/b\n\nnot a url\n'),
    );
    expect(parsed).toMatchObject({ kind: 'text', skipped: 1 });
    expect(parsed.urls.map((entry) => entry.url)).toEqual(['https://shop.test/a', 'https://shop.test/b']);
  });

  test('entries past maxUrls are dropped and the result says so', async () => {
    const entries = Array.from({ length: 30 }, (_v, i) => url(`https://shop.test/p${i}`));
    const parsed = await parseSitemap(urlset(entries), { maxUrls: 10 });
    expect(parsed.urls).toHaveLength(10);
    expect(parsed.truncated).toBe(true);
  });

  test('a gzip file is recognised by its bytes; a GBK sitemap is decoded from its XML declaration', async () => {
    const xml = `<?xml version="1.0" encoding="GBK"?><urlset ${NS}><url><loc>https://shop.test/商品/1</loc></url></urlset>`;
    const parsed = await parseSitemap(zlib.gzipSync(iconv.encode(xml, 'gbk')));
    expect(parsed.urls).toEqual([{ url: 'https://shop.test/%E5%95%86%E5%93%81/1' }]);
  });

  test('a gzip sitemap expanding past the cap is FETCH_TOO_LARGE; broken gzip and non-sitemaps are SITEMAP_INVALID', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024, ' '));
    await expect(rejection(parseSitemap(bomb, { maxBytes: 1024 * 1024 }))).resolves.toMatchObject({
      code: 'FETCH_TOO_LARGE',
    });
    await expect(rejection(parseSitemap(Buffer.from([0x1f, 0x8b, 1, 2, 3])))).resolves.toMatchObject({
      code: 'SITEMAP_INVALID',
    });
    await expect(rejection(parseSitemap('<html><body>Not found</body></html>'))).resolves.toMatchObject({
      code: 'SITEMAP_INVALID',
      details: { root: 'html' },
    });
  });
});

describe('sitemap fetching', () => {
  let server: TestServer;
  let fetcher: Fetcher;
  let base: string;
  const files: Record<string, { type: string; body: Buffer | string; status?: number }> = {};

  beforeAll(async () => {
    server = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
      const file = files[req.url ?? ''];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(file.status ?? 200, { 'content-type': file.type }).end(file.body);
    });
    base = `http://shop.test:${server.port}`;
    const guard = createSsrfGuard({
      resolve: `shop.test:${server.port}:127.0.0.1`,
      allowPrivate: '127.0.0.1/32',
    });
    fetcher = createFetcher({ guard });
    const index = (locs: string[]): string =>
      `<sitemapindex ${NS}>${locs.map((loc) => `<sitemap><loc>${base}${loc}</loc></sitemap>`).join('')}</sitemapindex>`;
    Object.assign(files, {
      '/sitemap.xml': {
        type: 'application/xml',
        body: index(['/pages.xml', '/ads.xml.gz', '/broken.xml', '/sitemap.xml']),
      },
      '/pages.xml': { type: 'text/xml', body: urlset([url(`${base}/p1`, '2024-05-01'), url(`${base}/p2`)]) },
      '/ads.xml.gz': { type: 'application/x-gzip', body: zlib.gzipSync(urlset([url(`${base}/ad/1`)])) },
      '/broken.xml': { type: 'application/xml', body: '<urlset><url><loc>oops' },
      '/image.png': { type: 'image/png', body: Buffer.from([0x89, 0x50]) },
    });
  });

  afterAll(async () => {
    fetcher.close();
    await server.close();
  });

  test('a gzip sitemap served as application/x-gzip is fetched and parsed', async () => {
    const parsed = await fetchSitemap(fetcher, `${base}/ads.xml.gz`);
    expect(parsed.urls).toEqual([{ url: `${base}/ad/1` }]);
  });

  test('a sitemap URL answering with an image is refused by the sitemap content-type gate', async () => {
    await expect(rejection(fetchSitemap(fetcher, `${base}/image.png`))).resolves.toMatchObject({
      code: 'FETCH_CONTENT_TYPE',
    });
  });

  test('an index is walked once per file; a broken child is reported and the others are kept', async () => {
    const collected = await collectSitemapUrls(fetcher, [`${base}/sitemap.xml`]);
    expect(collected.urls).toEqual([
      { url: `${base}/p1`, lastmod: '2024-05-01T00:00:00.000Z' },
      { url: `${base}/p2` },
      { url: `${base}/ad/1` },
    ]);
    expect(collected.visited).toEqual([
      `${base}/sitemap.xml`,
      `${base}/pages.xml`,
      `${base}/ads.xml.gz`,
      `${base}/broken.xml`,
    ]);
    expect(collected.errors).toEqual([
      expect.objectContaining({ url: `${base}/broken.xml`, code: 'SITEMAP_INVALID' }),
    ]);
    expect(collected.truncated).toBe(false);
  });

  test('the total URL cap stops the walk and marks the result truncated', async () => {
    const collected = await collectSitemapUrls(fetcher, [`${base}/sitemap.xml`], { maxTotalUrls: 2 });
    expect(collected.urls).toHaveLength(2);
    expect(collected.truncated).toBe(true);
  });
});
