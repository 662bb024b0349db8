import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { DeadLetterStore } from '../../indexer/index/dead-letters.js';
import { PageIndexer, type PageDocument } from '../../indexer/index/page-indexer.js';
import { aliasName } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';
import { startThrottlingProxy } from '../support/throttling-proxy.js';

const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

function page(id: string, text: string, fetchedAt: string): PageDocument {
  return {
    id,
    url: `http://shop.test/${id}`,
    host: 'shop.test',
    registered_domain: 'shop.test',
    path: `/${id}`,
    site: 'shop.test',
    title: '健康商城',
    text,
    lang: 'zh',
    status: 200,
    fetched_at: fetchedAt,
    content_hash: `hash-of-${text}`,
    outlinks_count: 0,
    ads_count: 0,
    crawl: { depth: 0 },
  };
}

/** A sighting of creative `id` on `pageUrl`; the creative's text and landing page are the same for every id. */
function sighting(id: string, pageUrl: string, site: string, seenAt: string): AdSighting {
  return {
    id,
    creative_text: '最佳保健品 限时特惠',
    landing_url: 'http://kangjian-yp.test/buy',
    landing_domain: 'kangjian-yp.test',
    slot: 'banner',
    category: 'health_food',
    category_confidence: 0.9,
    page_url: pageUrl,
    site,
    seen_at: seenAt,
  };
}

describe('index stage', () => {
  let engine: EnginePort;
  let redis: Redis;
  let prefix: string;
  let deadLetters: DeadLetterStore;
  let writer: BulkWriter;

  beforeAll(async () => {
    engine = await createEngine();
    redis = new Redis(config().REDIS_URL);
    prefix = testPrefix('idx');
    await migrate(engine, { prefix, log: silent });
  });
  beforeEach(() => {
    deadLetters = new DeadLetterStore(redis, `${prefix}:${Math.random()}`);
    writer = new BulkWriter(engine, { flushIntervalMs: 20, deadLetters });
  });
  afterEach(async () => {
    await writer.close();
    await deadLetters.clear();
  });
  afterAll(async () => {
    await dropIndices(engine, { prefix });
    await engine.close();
    redis.disconnect();
  });

  test('when a page is fetched again unchanged, only last_seen moves; a change makes version 2 with a diff', async () => {
    const pages = new PageIndexer(engine, writer, { prefix });
    const first = await pages.index(page('p1', '产品很好。', '2026-01-01T00:00:00.000Z'));
    expect(first).toMatchObject({ change: 'new', version: 1, ok: true });
    const same = await pages.index(page('p1', '产品很好。', '2026-01-02T00:00:00.000Z'));
    expect(same).toMatchObject({ change: 'unchanged', version: 1 });
    const changed = await pages.index(page('p1', '产品很好。国家级最佳产品。', '2026-01-03T00:00:00.000Z'));
    expect(changed).toMatchObject({ change: 'changed', version: 2 });
    await writer.flush();

    const stored = await engine.get<{ version: number; first_seen: string; last_seen: string }>(
      aliasName(prefix, 'pages'),
      'p1',
    );
    expect(stored.source).toMatchObject({
      version: 2,
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-03T00:00:00.000Z',
    });
    const v2 = await engine.get<{ diff: { summary: string; changed_fields: string[] } }>(
      aliasName(prefix, 'page-versions'),
      'p1:2',
    );
    expect(v2.source?.diff.summary).toContain('+ 国家级最佳产品。');
    expect(v2.source?.diff.changed_fields).toContain('text');
  });

  test('a page never indexed is created without a read; one that exists is read and compared', async () => {
    let mgets = 0;
    const counting = new Proxy(engine, {
      get(target, property, receiver) {
        if (property === 'mget') mgets += 1;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const pages = new PageIndexer(counting, writer, { prefix });
    const first = await pages.index(page('c1', '新品上市。', '2026-02-01T00:00:00.000Z'));
    expect(first).toMatchObject({ change: 'new', version: 1, ok: true });
    expect(mgets).toBe(0);
    const again = await pages.index(page('c1', '新品上市。', '2026-02-02T00:00:00.000Z'));
    expect(again).toMatchObject({ change: 'unchanged', version: 1, ok: true });
    expect(mgets).toBe(1);
    expect(writer.stats).toMatchObject({ failed: 0, conflicts: 2 });
    expect(await deadLetters.count()).toBe(0);
    const v1 = await engine.get<{ diff: { summary: string } }>(aliasName(prefix, 'page-versions'), 'c1:1');
    expect(v1.source?.diff.summary).toBe('first fetch');
  });

  test('when many sightings of one creative arrive at once, fewer writes carry every one of them', async () => {
    const ads = new AdIndexer(writer, prefix);
    const sightings = Array.from({ length: 40 }, (_, i) =>
      sighting(
        'ad-many',
        `http://mall.test/p/${i % 10}`,
        i % 2 === 0 ? 'mall.test' : 'shop.test',
        `2026-03-01T00:00:${String(i).padStart(2, '0')}.000Z`,
      ),
    );
    const before = writer.stats.written;
    const results = await Promise.all(sightings.map((s) => ads.record(s)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(writer.stats.written - before).toBeLessThan(sightings.length);
    const ad = await engine.get<Record<string, unknown>>(aliasName(prefix, 'ads'), 'ad-many');
    expect(ad.source).toMatchObject({
      seen_count: 40,
      page_count: 10,
      first_seen: '2026-03-01T00:00:00.000Z',
      last_seen: '2026-03-01T00:00:39.000Z',
    });
    expect(new Set(ad.source?.sites as string[])).toEqual(new Set(['mall.test', 'shop.test']));
  });

  test('sightings of one ad in two batches in flight at once add up, whatever order they land in', async () => {
    const ads = new AdIndexer(writer, prefix);
    // The later sighting is cut into a batch of its own before the earlier one arrives.
    const later = ads.record(
      sighting('ad-two-batches', 'http://mall.test/b/1', 'mall.test', '2026-04-02T00:00:00.000Z'),
    );
    void writer.flush();
    const earlier = ads.record(
      sighting('ad-two-batches', 'http://mall.test/b/2', 'mall.test', '2026-04-01T00:00:00.000Z'),
    );
    expect((await Promise.all([later, earlier])).every((r) => r.ok)).toBe(true);
    const ad = await engine.get<Record<string, unknown>>(aliasName(prefix, 'ads'), 'ad-two-batches');
    expect(ad.source).toMatchObject({
      seen_count: 2,
      page_count: 2,
      first_seen: '2026-04-01T00:00:00.000Z',
      last_seen: '2026-04-02T00:00:00.000Z',
    });
  });

  test('a folded operation whose build throws fails alone; the rest of its batch is written', async () => {
    const pagesIndex = aliasName(prefix, 'pages');
    const [folded, plain] = await Promise.all([
      writer.fold('broken', 1, () => {
        throw new Error('no operation for these parts');
      }),
      writer.add({ op: 'index', index: pagesIndex, id: 'beside-broken', doc: { id: 'beside-broken' } }),
    ]);
    expect(folded).toMatchObject({ ok: false, error: { type: 'FOLD_FAILED' } });
    expect(plain.ok).toBe(true);
    expect(writer.stats).toMatchObject({ failed: 1, written: 1 });
  });

  test('when one creative is seen on several pages, it is one ad with counts, sites and pages', async () => {
    const ads = new AdIndexer(writer, prefix);
    await Promise.all([
      ads.record(sighting('ad-1', 'http://a.test/1', 'a.test', '2026-01-01T00:00:00.000Z')),
      ads.record(sighting('ad-1', 'http://a.test/2', 'a.test', '2026-01-02T00:00:00.000Z')),
      ads.record(sighting('ad-1', 'http://b.test/1', 'b.test', '2026-01-03T00:00:00.000Z')),
    ]);
    await ads.record(sighting('ad-1', 'http://a.test/1', 'a.test', '2026-01-04T00:00:00.000Z'));
    const ad = await engine.get<Record<string, unknown>>(aliasName(prefix, 'ads'), 'ad-1');
    expect(ad.source).toMatchObject({
      seen_count: 4,
      page_count: 3,
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-04T00:00:00.000Z',
    });
    expect(new Set(ad.source?.sites as string[])).toEqual(new Set(['a.test', 'b.test']));
  });

  test('when the engine refuses a document, it lands in the dead-letter list and a replay retries it', async () => {
    const index = aliasName(prefix, 'pages');
    const result = await writer.add({ op: 'index', index, id: 'bad', doc: { id: 'bad', no_such_field: 1 } });
    expect(result.ok).toBe(false);
    expect(await deadLetters.count()).toBe(1);
    const [letter] = await deadLetters.list();
    expect(letter?.error.type).toBe('strict_dynamic_mapping_exception');

    const again = await deadLetters.replay((operation) => writer.add(operation));
    expect(again).toEqual({ attempted: 1, written: 0, failedAgain: 1 });
    expect(await deadLetters.count()).toBe(1);

    const fixed = await deadLetters.replay((operation) =>
      writer.add(operation.op === 'index' ? { ...operation, doc: { id: 'bad', title: 'fixed' } } : operation),
    );
    expect(fixed).toEqual({ attempted: 1, written: 1, failedAgain: 0 });
    expect(await deadLetters.count()).toBe(0);
  });

  test('when the documents in flight reach maxBytesInFlight, add waits until the engine has written them', async () => {
    const batchSizes: number[] = [];
    const counted = new Proxy(engine, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (property !== 'bulk' || typeof value !== 'function') return value;
        return (operations: unknown[], ...rest: unknown[]) => {
          batchSizes.push(operations.length);
          return (value as (...a: unknown[]) => unknown).call(target, operations, ...rest);
        };
      },
    });
    const writeFive = async (options: { maxBytesInFlight?: number }): Promise<number[]> => {
      batchSizes.length = 0;
      const bounded = new BulkWriter(counted, { ...options, deadLetters });
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          bounded.add({
            op: 'index',
            index: aliasName(prefix, 'pages'),
            id: `b${i}`,
            doc: { id: `b${i}`, text: '商品'.repeat(300) },
          }),
        ),
      );
      await bounded.close();
      expect(results.every((r) => r.ok)).toBe(true);
      return [...batchSizes];
    };
    // About 620 bytes each: a second joins the first (620 < 1,000), a third waits for both to be written.
    expect(await writeFive({ maxBytesInFlight: 1_000 })).toEqual([2, 2, 1]);
    expect(await writeFive({})).toEqual([5]);
  });

  test('when the engine answers 429, the writer backs off and writes every document, losing none', async () => {
    const proxy = await startThrottlingProxy({ throttleBulkRequests: 2 });
    const throttledEngine = await createEngine({ url: proxy.url, engine: 'opensearch', maxRetries: 0 });
    const throttledWriter = new BulkWriter(throttledEngine, {
      flushIntervalMs: 10,
      backoffMs: 20,
      deadLetters,
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          throttledWriter.add({
            op: 'index',
            index: aliasName(prefix, 'pages'),
            id: `t${i}`,
            doc: { id: `t${i}` },
          }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(proxy.throttled()).toBe(2);
      expect(throttledWriter.stats.throttled).toBeGreaterThanOrEqual(50);
      expect(await deadLetters.count()).toBe(0);
      await engine.refresh(aliasName(prefix, 'pages'));
      expect(await engine.count(aliasName(prefix, 'pages'), { prefix: { id: 't' } })).toBe(50);
    } finally {
      await throttledWriter.close();
      await throttledEngine.close();
      await proxy.close();
    }
  });
});
