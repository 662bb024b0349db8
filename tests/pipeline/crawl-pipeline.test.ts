/**
 * The whole ingest pipeline on the demo web: real demo server, real Redis queue, real engine.
 * One crawl in beforeAll; each test reads what it left behind.
 */
import { generateDemoWeb, startDemoServer, type DemoServer, type GroundTruth } from '../../demo/index.js';
import { scoreAds, scoreIdentifiers, type IndexedAd, type IndexedPage } from '../../demo/evaluation.js';
import { createEngine, scanAll, type EnginePort } from '../../engine/index.js';
import { startCrawlRuntime, type CrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { aliasName, CRAWL_DEFINITIONS } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { searchDocuments } from '../../search/search-documents.js';
import { testPrefix } from '../support/ids.js';

const definitions = CRAWL_DEFINITIONS;
const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];
const LAB = [
  '/huge',
  '/binary.bin',
  '/malformed',
  '/status/500',
  '/flaky?key=pipeline',
  '/redirect/metadata',
  '/redirect/private',
];

describe('crawl pipeline on the demo web', () => {
  let truth: GroundTruth;
  let server: DemoServer;
  let engine: EnginePort;
  let runtime: CrawlRuntime;
  let prefix: string;
  let pages: IndexedPage[];
  let ads: IndexedAd[];

  beforeAll(async () => {
    const web = generateDemoWeb({ seed: 11, sites: 4, pages: 12, ads: 20 });
    truth = web.truth;
    server = await startDemoServer(web);
    engine = await createEngine();
    prefix = testPrefix('pipe');
    await migrate(engine, { prefix, definitions, log: silent });
    runtime = await startCrawlRuntime({
      engine,
      prefix,
      frontier: { name: 'crawl', prefix: testPrefix('q'), backoffMs: 100 },
      worker: { concurrency: 16, handleSignals: false, recrawlPollMs: 200 },
      resolve: server.resolveEntries(),
      allowPrivate: ['127.0.0.1/32'],
    });
    await queueSeeds(runtime.frontier, [
      ...server.seeds(),
      ...LAB.map((path) => server.url('lab.test', path)),
    ]);
    await runtime.waitUntilIdle({ pollMs: 300 });
    await engine.refresh(aliasName(prefix, 'pages'));
    await engine.refresh(aliasName(prefix, 'ads'));
    pages = [];
    for await (const hit of scanAll<IndexedPage>(engine, {
      index: aliasName(prefix, 'pages'),
      source: ['url', 'identifiers'],
    })) {
      pages.push(hit.source);
    }
    ads = [];
    for await (const hit of scanAll<IndexedAd>(engine, {
      index: aliasName(prefix, 'ads'),
      source: ['id', 'landing_url'],
    })) {
      ads.push(hit.source);
    }
  }, 240_000);

  afterAll(async () => {
    await runtime.frontier.obliterate();
    await runtime.close();
    await server.close();
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  });

  const key = (url: string): string => {
    const u = new URL(url);
    return `${u.hostname}${u.pathname}`;
  };

  test('indexes the allowed pages of every seeded site once, and no page robots.txt disallows', async () => {
    const seededHosts = new Set(truth.sites.filter((s) => s.seed).map((s) => s.host));
    const allowed = truth.pages.filter((p) => seededHosts.has(p.host) && !p.disallowed);
    const disallowed = new Set(truth.pages.filter((p) => p.disallowed).map((p) => `${p.host}${p.path}`));
    const indexed = new Set(pages.map((p) => key(p.url)));
    const missing = allowed.filter((p) => !indexed.has(`${p.host}${p.path}`));
    expect(missing.length / allowed.length).toBeLessThanOrEqual(0.05);
    expect(pages.filter((p) => disallowed.has(key(p.url)))).toEqual([]);
    const duplicates = await engine.search({
      index: aliasName(prefix, 'pages'),
      size: 0,
      aggs: { urls: { terms: { field: 'url', min_doc_count: 2, size: 10 } } },
    });
    expect((duplicates.aggregations?.urls as { buckets: unknown[] }).buckets).toEqual([]);
    expect((await runtime.frontier.progress()).failedByCode.ROBOTS_DISALLOWED ?? 0).toBeGreaterThan(0);
  });

  test('a GBK-encoded page is decoded and found by a Chinese phrase search', async () => {
    const gbkHosts = new Set(truth.sites.filter((s) => s.encoding === 'gbk' && s.seed).map((s) => s.host));
    const page = truth.pages.find(
      (p) => gbkHosts.has(p.host) && p.claim && !p.disallowed && p.kind === 'product',
    );
    expect(page).toBeDefined();
    const phrase = page?.claim ?? '';
    const result = await searchDocuments(engine, {
      prefix,
      kind: 'pages',
      query: `"${phrase}"`,
      scope: [],
      size: 50,
    });
    expect(result.hits.map((h) => key(h.url))).toContain(`${page?.host}${page?.path}`);
    expect(
      result.hits.find((h) => key(h.url) === `${page?.host}${page?.path}`)?.highlights.text?.join(''),
    ).toContain('<mark>');
  });

  test('huge, binary and failing endpoints become recorded errors with codes, not crashes', async () => {
    const failures = await runtime.frontier.failures();
    const codeOf = (path: string): string | undefined =>
      failures.find((f) => new URL(f.url).pathname === path.split('?')[0])?.code;
    expect(codeOf('/huge')).toBe('FETCH_TOO_LARGE');
    expect(codeOf('/binary.bin')).toBe('FETCH_CONTENT_TYPE');
    expect(codeOf('/status/500')).toBe('FETCH_HTTP_STATUS');
    expect(failures.find((f) => f.url.includes('/status/500'))?.attempts).toBeGreaterThan(1);
    const indexedPaths = pages
      .filter((p) => new URL(p.url).hostname === 'lab.test')
      .map((p) => new URL(p.url).pathname);
    expect(indexedPaths).toEqual(expect.arrayContaining(['/malformed', '/flaky']));
  });

  test('redirects to the cloud metadata and private addresses are refused by the SSRF guard', async () => {
    const failures = await runtime.frontier.failures();
    for (const path of ['/redirect/metadata', '/redirect/private']) {
      expect(failures.find((f) => f.url.endsWith(path))?.code).toBe('FETCH_SSRF_BLOCKED');
    }
  });

  test('ads and identifiers match the ground truth with precision and recall of at least 0.9', () => {
    const adScore = scoreAds(truth, pages, ads);
    const idScore = scoreIdentifiers(truth, pages);
    console.log(
      `ads precision=${adScore.precision.toFixed(3)} recall=${adScore.recall.toFixed(3)}; ` +
        `identifiers precision=${idScore.precision.toFixed(3)} recall=${idScore.recall.toFixed(3)}`,
    );
    expect(adScore.truePositives).toBeGreaterThan(5);
    expect(adScore.precision).toBeGreaterThanOrEqual(0.9);
    expect(adScore.recall).toBeGreaterThanOrEqual(0.9);
    expect(idScore.precision).toBeGreaterThanOrEqual(0.9);
    expect(idScore.recall).toBeGreaterThanOrEqual(0.9);
  });

  test('a recrawl of an unchanged page keeps its version and only moves last_seen', async () => {
    const home = server.seeds()[0] ?? '';
    const before = await pageByUrl(home);
    await runtime.frontier.scheduleRecrawl(home, Date.now());
    await runtime.waitUntilIdle({ pollMs: 300 });
    await engine.refresh(aliasName(prefix, 'pages'));
    const after = await pageByUrl(home);
    expect(after.version).toBe(before.version);
    expect(after.first_seen).toBe(before.first_seen);
    expect(after.last_seen > before.last_seen).toBe(true);
  });

  async function pageByUrl(url: string): Promise<{ version: number; first_seen: string; last_seen: string }> {
    const result = await engine.search<{ version: number; first_seen: string; last_seen: string }>({
      index: aliasName(prefix, 'pages'),
      query: { term: { url } },
    });
    const hit = result.hits[0];
    if (!hit) throw new Error(`no page ${url}`);
    return hit.source;
  }
});
