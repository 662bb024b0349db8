/**
 * LandingCopy at the index stage: the real engine, bulk writer, page and ad indexers; pages and ads are
 * handed over as the pipeline does after writing them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { urlId } from '../../indexer/frontier/url-normalize.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { excerpt, LandingCopy, landingPageId } from '../../indexer/index/landing-copy.js';
import { PageIndexer, type PageDocument } from '../../indexer/index/page-indexer.js';
import { adsDefinition, aliasName, pageVersionsDefinition, pagesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];
const definitions = [pagesDefinition, pageVersionsDefinition, adsDefinition];
const LANDING = 'http://licai-bao.test/lp/ad-0033';

describe('landingPageId and excerpt', () => {
  it('maps a landing URL with tracking parameters to the id its crawled page has', () => {
    expect(landingPageId(`${LANDING}?utm_source=adnet&utm_campaign=ad-0033`)).toBe(urlId(LANDING));
    expect(landingPageId(`${LANDING}?id=2`)).not.toBe(urlId(LANDING));
    expect(landingPageId(undefined)).toBeUndefined();
    expect(landingPageId('javascript:void(0)')).toBeUndefined();
  });

  it('cuts text to the bound without splitting a surrogate pair', () => {
    expect(excerpt('顶级理财团队', 2)).toBe('顶级');
    expect(excerpt('a😀b', 2)).toBe('a');
    expect(excerpt('short', 100)).toBe('short');
    expect(excerpt('', 10)).toBeUndefined();
  });
});

describe('LandingCopy on the engine', () => {
  let engine: EnginePort;
  let prefix: string;
  let writer: BulkWriter;
  let pages: PageIndexer;
  let ads: AdIndexer;

  beforeAll(async () => {
    engine = await createEngine();
    prefix = testPrefix('landing-idx');
    await migrate(engine, { prefix, definitions, log: silent });
    writer = new BulkWriter(engine, { flushIntervalMs: 20 });
    pages = new PageIndexer(engine, writer, { prefix });
    ads = new AdIndexer(writer, prefix);
  }, 60_000);

  afterAll(async () => {
    await writer.close();
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  });

  function landingPage(text: string): PageDocument {
    const url = new URL(LANDING);
    return {
      id: urlId(LANDING),
      url: LANDING,
      host: url.hostname,
      registered_domain: url.hostname,
      path: url.pathname,
      site: url.hostname,
      title: '理财团队 - 理财宝',
      text,
      lang: 'zh',
      status: 200,
      fetched_at: new Date().toISOString(),
      content_hash: `hash-of-${text}`,
      outlinks_count: 0,
      ads_count: 0,
      crawl: { depth: 0 },
    };
  }

  function sighting(n: number): AdSighting {
    return {
      id: `ad-${n}`,
      creative_text: '理财团队',
      image_alt: '理财团队',
      landing_url: `${LANDING}?utm_source=adnet&utm_campaign=ad-${n}`,
      landing_domain: 'licai-bao.test',
      slot: 'popup',
      category: 'finance',
      category_confidence: 0.9,
      page_url: `http://shop-0${n}.test/`,
      site: `shop-0${n}.test`,
      seen_at: new Date().toISOString(),
    };
  }

  async function landingCopyOf(id: string): Promise<{ landing_title?: string; landing_text?: string }> {
    const got = await engine.get<{ landing_title?: string; landing_text?: string }>(
      aliasName(prefix, 'ads'),
      id,
    );
    const { landing_title, landing_text } = got.source ?? {};
    return {
      ...(landing_title !== undefined ? { landing_title } : {}),
      ...(landing_text !== undefined ? { landing_text } : {}),
    };
  }

  it('ads seen first get the copy of their landing page once it is indexed, and again when it changes', async () => {
    const copy = new LandingCopy(engine, { prefix, writer, pageSize: 2, maxTextChars: 12 });
    const shop = { ...landingPage('商城首页'), id: 'shop-page', url: 'http://shop-01.test/' };
    const seen = [sighting(1), sighting(2), sighting(3)];
    await Promise.all(seen.map((s) => ads.record(s)));
    const shopResult = await pages.index(shop);
    expect(await copy.afterPage(shop, shopResult, seen)).toEqual([]);
    expect(await landingCopyOf('ad-1')).toEqual({});

    const first = landingPage('我们拥有业内顶级理财团队，收益率行业第一。');
    const landed = await copy.afterPage(first, await pages.index(first), []);
    expect(landed.sort()).toEqual(['ad-1', 'ad-2', 'ad-3']);
    expect(await landingCopyOf('ad-3')).toEqual({
      landing_title: '理财团队 - 理财宝',
      landing_text: '我们拥有业内顶级理财团队',
    });

    const again = await copy.afterPage(first, await pages.index(first), []);
    expect(again).toEqual([]);

    const changed = landingPage('稳健理财，专业团队。');
    expect((await copy.afterPage(changed, await pages.index(changed), [])).sort()).toEqual([
      'ad-1',
      'ad-2',
      'ad-3',
    ]);
    expect((await landingCopyOf('ad-2')).landing_text).toBe('稳健理财，专业团队。');
  }, 60_000);

  it('pages indexed together share one search for the ads landing on them; each ad gets its own page', async () => {
    let searches = 0;
    const counting = new Proxy(engine, {
      get(target, property, receiver) {
        if (property === 'search') searches += 1;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const copy = new LandingCopy(counting, { prefix, writer });
    const toB = { ...sighting(5), id: 'ad-5b', landing_url: 'http://licai-bao.test/b' };
    const toC = { ...sighting(6), id: 'ad-6c', landing_url: 'http://licai-bao.test/c' };
    await Promise.all([ads.record(toB), ads.record(toC)]);
    const shop = { ...landingPage('商城首页'), id: 'shop-page-56', url: 'http://shop-05.test/' };
    await copy.afterPage(shop, await pages.index(shop), [toB, toC]);
    await engine.refresh(aliasName(prefix, 'ads'));

    const page = (path: string, text: string): PageDocument => {
      const url = `http://licai-bao.test/${path}`;
      return { ...landingPage(text), id: urlId(url), url, path: `/${path}`, title: `页面 ${path}` };
    };
    const landing = [page('b', 'B 页正文'), page('c', 'C 页正文'), page('plain', '普通页面')];
    const indexed = await Promise.all(landing.map((p) => pages.index(p)));
    searches = 0;
    const landed = await Promise.all(landing.map((p, i) => copy.afterPage(p, indexed[i]!, [])));
    expect(searches).toBe(1);
    expect(landed).toEqual([['ad-5b'], ['ad-6c'], []]);
    expect(await landingCopyOf('ad-5b')).toEqual({ landing_title: '页面 b', landing_text: 'B 页正文' });
    expect(await landingCopyOf('ad-6c')).toEqual({ landing_title: '页面 c', landing_text: 'C 页正文' });
  }, 60_000);

  it('an ad first seen after its landing page is indexed carries the page copy', async () => {
    const copy = new LandingCopy(engine, { prefix, writer });
    const ad = sighting(4);
    await ads.record(ad);
    const shop = { ...landingPage('商城首页'), id: 'shop-page-4', url: 'http://shop-04.test/' };
    expect(await copy.afterPage(shop, await pages.index(shop), [ad])).toEqual([]);
    expect((await landingCopyOf('ad-4')).landing_text).toBe('稳健理财，专业团队。');
  }, 60_000);
});
