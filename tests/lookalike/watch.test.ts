/**
 * The lookalike watch over the real engine. Pages are the demo web's own pages rendered by the demo
 * renderer and run through the extract stage (see demo-pages.ts), then written to a pages index.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BRAND_HOST } from '../../demo/index.js';
import type { EnginePort } from '../../engine/port.js';
import type { LookalikeFinding } from '../../lookalike/watch.js';
import { runLookalikeWatch } from '../../lookalike/watch.js';
import { aliasName, lookalikesDefinition, pagesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testEngine } from '../support/engine.js';
import { testPrefix } from '../support/ids.js';
import { demoPageDocs, smallDemoWeb, type DemoPageDoc } from './demo-pages.js';

const brands = [{ id: 'huamei', names: ['华美', 'Huamei'], domains: [BRAND_HOST] }];
const definitions = [pagesDefinition, lookalikesDefinition];

describe('runLookalikeWatch', () => {
  let engine: EnginePort;
  const prefix = testPrefix('lookalike');
  const web = smallDemoWeb();
  const docs = demoPageDocs(web);
  const lookalikes = web.truth.sites.filter((s) => s.lookalike_of === BRAND_HOST);
  const findingsIndex = aliasName(prefix, 'lookalikes');

  async function indexPages(pages: DemoPageDoc[]): Promise<void> {
    const index = aliasName(prefix, 'pages');
    const result = await engine.bulk(
      pages.map((doc) => ({ op: 'index' as const, index, id: doc.id, doc: { ...doc } })),
      { refresh: true },
    );
    expect(result.errors).toBe(false);
  }

  async function storedFindings(): Promise<LookalikeFinding[]> {
    const result = await engine.search<LookalikeFinding>({
      index: findingsIndex,
      size: 100,
      sort: [{ id: 'asc' }],
    });
    return result.hits.map((h) => h.source);
  }

  beforeAll(async () => {
    engine = testEngine();
    await migrate(engine, { prefix, definitions: [pagesDefinition] });
    await indexPages(docs);
  });

  afterAll(async () => {
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  });

  it('writes exactly one finding per demo lookalike, with its technique and copied pages as evidence', async () => {
    const report = await runLookalikeWatch(engine, {
      prefix,
      brands,
      refresh: true,
      now: () => new Date('2025-03-01T00:00:00Z'),
    });
    expect(report.created).toBe(4);
    const stored = await storedFindings();
    expect(stored.map((f) => f.suspect_domain).sort()).toEqual(lookalikes.map((s) => s.host).sort());
    const technique = Object.fromEntries(stored.map((f) => [f.suspect_domain, f.technique]));
    expect(technique).toEqual({
      'huarnei.test': 'homoglyph',
      'hua-mei.test': 'hyphenation',
      'huamei-shop.test': 'dictionary',
      'xn--humei-5ve.test': 'homoglyph',
    });
    for (const finding of stored) {
      expect(finding).toMatchObject({
        id: `huamei|${finding.suspect_domain}`,
        brand_id: 'huamei',
        brand_domain: BRAND_HOST,
        status: 'open',
      });
      expect(finding.first_seen).toBe('2025-03-01T00:00:00.000Z');
      expect(finding.pages_compared).toBe(docs.filter((d) => d.host === finding.suspect_domain).length);
      expect(finding.simhash_distance).toBeLessThanOrEqual(4);
      const pair = finding.pairs[0];
      expect(pair && new URL(pair.brand_url).host).toBe(BRAND_HOST);
      expect(pair && new URL(pair.suspect_url).host).toBe(finding.suspect_domain);
      expect(pair?.shared_sample.length).toBeGreaterThan(0);
      expect(finding.mentions.some((m) => m.name === '华美' && m.found === '华美')).toBe(true);
    }
    expect(stored.find((f) => f.suspect_domain === 'xn--humei-5ve.test')?.suspect_unicode).toBe(
      'hu\u0430mei.test',
    );
  });

  it('on a rerun, refreshes last_seen and keeps first_seen and the reviewer status', async () => {
    await engine.update(
      findingsIndex,
      'huamei|hua-mei.test',
      { doc: { status: 'dismissed' } },
      { refresh: true },
    );
    const report = await runLookalikeWatch(engine, {
      prefix,
      brands,
      refresh: true,
      now: () => new Date('2025-03-02T00:00:00Z'),
    });
    expect([report.created, report.updated]).toEqual([0, 4]);
    const stored = await storedFindings();
    expect(stored).toHaveLength(4);
    for (const finding of stored) {
      expect([finding.first_seen, finding.last_seen]).toEqual([
        '2025-03-01T00:00:00.000Z',
        '2025-03-02T00:00:00.000Z',
      ]);
      expect(finding.status).toBe(finding.suspect_domain === 'hua-mei.test' ? 'dismissed' : 'open');
    }
  });

  it('flags a site writing the brand with a look-alike character, and one copying brand pages under its exact name', async () => {
    const brandProducts = docs.filter((d) => d.host === BRAND_HOST && d.url.includes('/product/'));
    expect(brandProducts.length).toBeGreaterThanOrEqual(2);
    const copies = brandProducts.map((d) => ({
      ...d,
      id: `copycat.test${new URL(d.url).pathname}`,
      url: d.url.replace(BRAND_HOST, 'copycat.test'),
      host: 'copycat.test',
      registered_domain: 'copycat.test',
    }));
    const variant: DemoPageDoc = {
      id: 'beauty-outlet.test/',
      url: 'http://beauty-outlet.test/',
      host: 'beauty-outlet.test',
      registered_domain: 'beauty-outlet.test',
      title: '美妆折扣店',
      text: '华羙化妆品清仓特卖，全场一折起。',
    };
    const namedOnce: DemoPageDoc = {
      ...variant,
      id: 'reseller.test/',
      url: 'http://reseller.test/',
      host: 'reseller.test',
      registered_domain: 'reseller.test',
      text: '本店代售华美化妆品。',
    };
    await indexPages([...copies, variant, namedOnce]);

    await runLookalikeWatch(engine, { prefix, brands, refresh: true });
    const stored = await storedFindings();
    expect(stored.map((f) => f.suspect_domain).sort()).toEqual(
      [...lookalikes.map((s) => s.host), 'beauty-outlet.test', 'copycat.test'].sort(),
    );
    const outlet = stored.find((f) => f.suspect_domain === 'beauty-outlet.test');
    expect(outlet).toMatchObject({ technique: 'text-variant', distance: null });
    expect(outlet?.mentions).toEqual([
      { name: '华美', found: '华羙', distance: 1, count: 1, url: 'http://beauty-outlet.test/' },
    ]);
    const copycat = stored.find((f) => f.suspect_domain === 'copycat.test');
    expect(copycat).toMatchObject({ technique: 'content-copy', simhash_distance: 0, simhash_similarity: 1 });
    expect(copycat?.near_duplicate_pages).toBe(copies.length);
  });

  it('refuses a malformed brand list with a clear error and writes nothing', async () => {
    const before = await engine.count(findingsIndex);
    await expect(
      runLookalikeWatch(engine, { prefix, brands: [{ id: 'Bad Id', names: [], domains: [] }] }),
    ).rejects.toMatchObject({
      code: 'LOOKALIKE_BAD_BRAND',
    });
    await expect(
      runLookalikeWatch(engine, { prefix, brands: [{ id: 'x', names: [], domains: ['localhost'] }] }),
    ).rejects.toMatchObject({
      code: 'LOOKALIKE_BAD_DOMAIN',
    });
    expect(await engine.count(findingsIndex)).toBe(before);
  });
});
