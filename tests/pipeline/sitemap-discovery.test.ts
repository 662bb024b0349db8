import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { startCrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { aliasName, CRAWL_DEFINITIONS } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

const definitions = CRAWL_DEFINITIONS;
const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

describe('sitemap discovery', () => {
  let server: Server;
  let port: number;
  let engine: EnginePort;
  let prefix: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const base = `http://only.test:${port}`;
      const pages: Record<string, [string, string]> = {
        '/': ['text/html', '<html><head><title>Home</title></head><body><p>No links here.</p></body></html>'],
        '/robots.txt': ['text/plain', `User-agent: *\nAllow: /\nSitemap: ${base}/sitemap-main.xml\n`],
        '/sitemap-main.xml': [
          'application/xml',
          `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/hidden</loc></url></urlset>`,
        ],
        '/hidden': [
          'text/html',
          '<html><head><title>只在站点地图里</title></head><body><p>隐藏页面</p></body></html>',
        ],
      };
      const page = pages[req.url ?? ''];
      res.writeHead(page ? 200 : 404, { 'content-type': `${page?.[0] ?? 'text/plain'}; charset=utf-8` });
      res.end(page?.[1] ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    engine = await createEngine();
    prefix = testPrefix('sm');
    await migrate(engine, { prefix, definitions, log: silent });
  });

  afterAll(async () => {
    server.close();
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  });

  test('a page listed only in the sitemap named by robots.txt is crawled from the seed', async () => {
    const runtime = await startCrawlRuntime({
      engine,
      prefix,
      frontier: { name: 'crawl', prefix: testPrefix('smq') },
      worker: { handleSignals: false, minDelayMs: 0 },
      resolve: [`only.test:${port}:127.0.0.1`],
      allowPrivate: ['127.0.0.1/32'],
    });
    try {
      await queueSeeds(runtime.frontier, [`http://only.test:${port}/`]);
      await runtime.waitUntilIdle({ pollMs: 200 });
      await engine.refresh(aliasName(prefix, 'pages'));
      const hits = await engine.search<{ path: string }>({
        index: aliasName(prefix, 'pages'),
        source: ['path'],
      });
      expect(hits.hits.map((h) => h.source.path).sort()).toEqual(['/', '/hidden']);
    } finally {
      await runtime.frontier.obliterate();
      await runtime.close();
    }
  });
});
