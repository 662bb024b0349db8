import { createEngine, type EnginePort } from '../../engine/index.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { CandidateRepository } from '../../indexer/link/candidate.repository.js';
import { LinkStage } from '../../indexer/link/link-stage.js';
import { aliasName } from '../../mappings/index.js';
import { dropIndices } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';
import {
  LINK_DEFINITIONS,
  migrateLinkIndices,
  operator,
  page,
  productPage,
  writeOperators,
} from './support.js';

const TEA = operator({
  id: 'op-tea',
  uscc: '91330106MAWCAC7WX2',
  uscc_valid: true,
  domains: ['tea.test'],
  jurisdiction: { city: '330100', county: '330106', station: '330106-01' },
});
const MALL = operator({
  id: 'op-mall',
  type: 'platform',
  icp_numbers: ['浙ICP备37297613号'],
  domains: ['mall.test'],
  jurisdiction: { city: '330100', county: '330102', station: '330102-01' },
});
const HEALTH = operator({
  id: 'op-health',
  domains: ['health-ads.test'],
  jurisdiction: { city: '330100', county: '330108' },
});

describe('link stage', () => {
  let engine: EnginePort;
  let prefix: string;
  let stage: LinkStage;

  beforeAll(async () => {
    engine = await createEngine();
    prefix = testPrefix('link');
    await migrateLinkIndices(engine, prefix);
    await writeOperators(engine, prefix, [TEA, MALL, HEALTH]);
    stage = await LinkStage.create(engine, { prefix, refreshIntervalMs: 0 });
  });

  afterAll(async () => {
    await stage?.close();
    await dropIndices(engine, { prefix, definitions: LINK_DEFINITIONS });
    await engine.close();
  });

  it('gives a page the fields of its operator, read from the entities index', () => {
    const fields = stage.linkPage(
      page('http://mall.test/about', {
        identifiers: { ...page('http://x.test').identifiers, uscc: [TEA.uscc as string] },
      }),
    );
    expect(fields).toEqual({
      operator_id: 'op-tea',
      link: {
        confidence: 1,
        reason: 'uscc:91330106MAWCAC7WX2; conflict domain:op-mall',
        licence_on_file: true,
      },
      jurisdiction: TEA.jurisdiction,
    });
  });

  it('picks up an operator added after start on refresh', async () => {
    expect(stage.linkPage(page('http://late.test/')).operator_id).toBeNull();
    await writeOperators(engine, prefix, [
      operator({ id: 'op-late', domains: ['late.test'], updated_at: '2024-06-01T00:00:00.000Z' }),
    ]);
    expect(await stage.directory.refresh()).toBe(true);
    expect(stage.linkPage(page('http://late.test/')).operator_id).toBe('op-late');
    expect(await stage.directory.refresh()).toBe(false);
  });

  it('records an e-commerce page without operator as a candidate, once per domain, and not a blog page', async () => {
    const shopPages = [
      productPage('http://shady-tea.test/p/1', {
        identifiers: { ...page('http://x.test').identifiers, uscc_invalid: ['91330106MAWD8LHN4X'] },
      }),
      productPage('http://www.shady-tea.test/p/2'),
    ];
    const blog = page('http://tea-blog.test/2024/longjing', {
      title: '龙井茶的冲泡',
      text: '今年的明前龙井大约 ¥1200 一斤，冲泡时水温 80 度为宜。',
      prices: [{ amount: 1200, currency: 'CNY', source: 'text' }],
    });
    // Concurrent pages of one domain: the first write creates the candidate, the rest share the next.
    await Promise.all([...shopPages, shopPages[0]!, blog].map((p) => stage.afterPage(p, stage.linkPage(p))));
    const candidates = aliasName(prefix, 'candidates');
    await engine.refresh(candidates);
    const all = await engine.search<Record<string, unknown>>({ index: candidates, size: 10 });
    expect(all.hits.map((h) => h.id)).toEqual(['shady-tea.test']);
    const doc = all.hits[0]!.source;
    expect(doc).toMatchObject({
      domain: 'shady-tea.test',
      status: 'open',
      page_count: 2,
      first_seen: '2024-05-01T08:00:00.000Z',
      district_hints: ['330106'],
    });
    expect((doc.hosts as string[]).sort()).toEqual(['shady-tea.test']);
    expect((doc.sample_urls as string[]).sort()).toEqual(shopPages.map((p) => p.url).sort());
    expect(doc.evidence).toMatchObject({
      price_count: 4,
      structured_price_count: 2,
      uscc_invalid: ['91330106MAWD8LHN4X'],
    });
    expect((doc.evidence as { cart_signals: string[] }).cart_signals).toEqual(
      expect.arrayContaining(['加入购物车', '立即购买']),
    );

    const repo = new CandidateRepository(engine, { prefix });
    expect(await repo.markRegistered('shady-tea.test', 'op-shady')).toBe(true);
    expect(await repo.markRegistered('shady-tea.test', 'op-shady')).toBe(false);
    expect(await repo.markRegistered('never-seen.test', 'op-x')).toBe(false);
  });

  it("an ad seen on two operators' pages carries both operators and jurisdictions and its advertiser, in its sighting writes", async () => {
    const ads = aliasName(prefix, 'ads');
    const writer = new BulkWriter(engine);
    const indexer = new AdIndexer(writer, prefix);
    const sighting = (url: string): AdSighting => ({
      id: 'ad-1',
      creative_text: '三天瘦十斤',
      landing_url: 'http://health-ads.test/landing',
      landing_domain: 'health-ads.test',
      slot: 'banner',
      category: 'health_food',
      category_confidence: 0.9,
      page_url: url,
      site: new URL(url).hostname,
      seen_at: '2024-05-01T08:00:00.000Z',
    });
    const record = (url: string) => {
      const p = page(url);
      return indexer.record(sighting(url), stage.adLink(sighting(url), stage.linkPage(p)));
    };
    try {
      // Sightings of one ad in one batch of the writer fold into one write.
      await Promise.all([
        record('http://tea.test/'),
        record('http://mall.test/'),
        record('http://tea.test/again'),
      ]);
      expect(writer.stats.written).toBe(1);
      // A sighting on an unlinked page adds no operator; the advertiser stays linked.
      await record('http://unknown-shop.test/');
      const stored = await engine.get<Record<string, unknown>>(ads, 'ad-1');
      expect(stored.source).toMatchObject({
        seen_count: 4,
        page_count: 4,
        operator_id: ['op-tea', 'op-mall'],
        jurisdiction: { city: ['330100'], county: ['330106', '330102'], station: ['330106-01', '330102-01'] },
        advertiser_operator_id: 'op-health',
      });
      expect(stage.linkLanding(sighting('http://tea.test/'))).toMatchObject({
        operator_id: 'op-health',
        confidence: 0.8,
      });
      await engine.refresh(ads);
      expect(await engine.count(ads, { term: { 'jurisdiction.county': '330102' } })).toBe(1);
    } finally {
      await writer.close();
    }
  });
});
