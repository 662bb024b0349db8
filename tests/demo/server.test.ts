import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import robotsParserCjs from 'robots-parser';
import {
  allTerms,
  decoderName,
  demoUrl,
  generateDemoWeb,
  startDemoServer,
  withPort,
  type DemoServer,
  type PageTruth,
  type SiteTruth,
} from '../../demo/index.js';
import { decoded, demoGet } from './demo-http.js';

// robots-parser is CommonJS typed as an ES default export; Node's ESM loader hands us module.exports.
const robotsParser = robotsParserCjs as unknown as typeof robotsParserCjs.default;
const web = generateDemoWeb({ seed: 42 });
const truth = web.truth;
let server: DemoServer;
const site = (id: string): SiteTruth => {
  const found = truth.sites.find((s) => s.id === id);
  if (!found) throw new Error(`no site ${id}`);
  return found;
};
const url = (host: string, path: string) => demoUrl(host, path, server.port);
const pageText = async (page: PageTruth): Promise<string> => {
  const res = await demoGet(server, url(page.host, page.path), {
    headers: { 'accept-encoding': 'gzip, br' },
  });
  expect(res.status).toBe(200);
  return iconv.decode(decoded(res), decoderName(site(page.site)));
};

beforeAll(async () => {
  server = await startDemoServer(web);
});
afterAll(async () => {
  await server.close();
});

describe('demo server routing', () => {
  it('routes by Host: the same path on two hosts serves two different sites', async () => {
    const a = await pageText(truth.pages.find((p) => p.site === 'shop-00' && p.kind === 'home') as PageTruth);
    const b = await pageText(truth.pages.find((p) => p.site === 'shop-05' && p.kind === 'home') as PageTruth);
    expect(a).toContain(`<title>${site('shop-00').name}</title>`);
    expect(b).toContain(`<title>${site('shop-05').name}</title>`);
  });

  it('serves platform shops under a mall path and on a mall subdomain', async () => {
    const pathShop = truth.sites.find((s) => s.type === 'platform_shop' && s.base_path !== '') as SiteTruth;
    const subShop = truth.sites.find(
      (s) => s.type === 'platform_shop' && s.host.endsWith('.mall.test'),
    ) as SiteTruth;
    const home = await demoGet(server, url('mall.test', `${pathShop.base_path}/`));
    expect(home.body.toString()).toContain(`<title>${pathShop.name}</title>`);
    const bare = await demoGet(server, url('mall.test', pathShop.base_path));
    expect([bare.status, bare.headers.location]).toEqual([301, `${pathShop.base_path}/`]);
    const sub = await demoGet(server, url(subShop.host, '/'));
    expect(decoded(sub).toString()).toContain(`<title>${subShop.name}</title>`);
  });

  it('answers 421 for a host it does not serve and 404 for an unknown path', async () => {
    expect((await demoGet(server, `http://127.0.0.1:${server.port}/`)).status).toBe(421);
    expect((await demoGet(server, url('shop-00.test', '/no-such-page'))).status).toBe(404);
  });

  it('offers seeds that all answer 200 and resolve entries for every host', async () => {
    expect(server.resolveEntries()).toContain(`shop-00.test:${server.port}:127.0.0.1`);
    expect(server.resolveEntries()).toContain(`ads.adnet.test:${server.port}:127.0.0.1`);
    for (const seed of server.seeds()) expect((await demoGet(server, seed)).status).toBe(200);
    expect(server.seeds()).not.toContain(url('lab.test', '/'));
  });
});

describe('demo pages', () => {
  it('answers 200 for every page of the ground truth, with its title in the site encoding', async () => {
    for (const page of truth.pages) {
      const text = await pageText(page);
      expect(text).toContain(`<title>${page.title.replace(/&/g, '&amp;')}</title>`);
    }
  });

  it('serves a GBK page whose bytes decode with iconv-lite to the expected Chinese', async () => {
    const gbk = site('shop-01');
    const page = truth.pages.find((p) => p.site === gbk.id && p.kind === 'product') as PageTruth;
    const res = await demoGet(server, url(page.host, page.path));
    expect(res.headers['content-type']).toBe('text/html; charset=GBK');
    const text = iconv.decode(res.body, 'gbk');
    expect(text).toContain(page.product?.name);
    expect(text).toContain(page.prices[0]?.display);
    expect(page.prices[0]?.display.startsWith('￥')).toBe(true);
    expect(res.body.toString('utf8')).not.toContain(page.product?.name);
  });

  it('declares charsets in the header, in <meta charset>, in http-equiv or only by a BOM', async () => {
    const first = async (s: SiteTruth) =>
      demoGet(server, url(s.host, '/'), { headers: { 'accept-encoding': 'identity' } });
    const metaOnly = await first(site('shop-02'));
    expect(metaOnly.headers['content-type']).toBe('text/html');
    expect(iconv.decode(metaOnly.body, 'gbk')).toContain('<meta charset="gb2312">');
    const equiv = await first(site('shop-06'));
    expect(iconv.decode(equiv.body, 'gb18030')).toContain(
      '<meta http-equiv="Content-Type" content="text/html; charset=gb18030">',
    );
    const bom = await first(site('shop-08'));
    expect([...bom.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.headers['content-type']).toBe('text/html');
    const big5 = await first(site('shop-07'));
    expect(big5.headers['content-type']).toBe('text/html; charset=big5');
    expect(iconv.decode(big5.body, 'big5')).toContain(site('shop-07').name);
  });

  it('shows every price, identifier and claim term the ground truth lists, in text, JSON-LD and microdata', async () => {
    for (const page of truth.pages.filter((p) => ['product', 'about', 'category'].includes(p.kind))) {
      const s = site(page.site);
      const text = await pageText(page);
      for (const price of page.prices) expect(text).toContain(price.display);
      for (const id of page.identifiers) expect(text).toContain(id.value.replace(/&/g, '&amp;'));
      for (const v of page.violations) for (const term of v.terms) expect(text).toContain(term);
      const price = page.prices[0];
      if (page.kind !== 'product' || !price) continue;
      const machine = s.lang === 'zh-TW' ? String(price.value) : price.value.toFixed(2);
      if (s.markup.jsonld) expect(text).toContain(`"price":"${machine}","priceCurrency":"${price.currency}"`);
      if (s.markup.microdata) expect(text).toContain(`itemprop="price" content="${machine}"`);
    }
  });

  it('shows absolute and health terms only where the ground truth puts them (page claims and inline ads)', async () => {
    const terms = [...allTerms('ad_law_absolute'), ...allTerms('false_health_claim')];
    for (const page of truth.pages) {
      const text = await pageText(page);
      const inline = page.ads
        .map((id) => truth.ads.find((a) => a.id === id))
        .filter((a) => a && a.slot_kind !== 'iframe');
      const expected = new Set(
        [...page.violations, ...inline.flatMap((a) => a?.violations ?? [])].flatMap((v) => v.terms),
      );
      const found = terms.filter((t) => text.includes(t));
      expect({ page: page.path, host: page.host, found: found.filter((t) => !expected.has(t)) }).toEqual({
        page: page.path,
        host: page.host,
        found: [],
      });
    }
  });

  it('shows each page ad in its slot: inline links to the landing page, iframes and scripts through the network', async () => {
    for (const page of truth.pages.filter((p) => p.ads.length > 0)) {
      const text = await pageText(page);
      for (const id of page.ads) {
        const ad = truth.ads.find((a) => a.id === id);
        if (!ad) throw new Error(`unknown ad ${id}`);
        const landing = withPort(ad.landing_url, server.port).replace(/&/g, '&amp;');
        if (ad.slot_kind === 'iframe')
          expect(text).toContain(`${url('ads.adnet.test', `/creative/${id}`)}?pub=`);
        else if (ad.slot_kind === 'script') expect(text).toContain(`/click?ad=${id}&amp;url=`);
        else expect(text).toContain(`href="${landing}"`);
      }
    }
  });

  it('labels ads but not friend links, promotions or the government footer links', async () => {
    const home = truth.pages.find((p) => p.site === 'shop-00' && p.kind === 'home') as PageTruth;
    const text = await pageText(home);
    const friends = /<div class="friend-links">(.*?)<\/div>/.exec(text)?.[1] ?? '';
    expect(friends).toContain('href=');
    expect(friends).not.toMatch(/广告|推广|赞助|Sponsored|sponsored/);
    expect(text).toContain('href="https://beian.miit.gov.cn/"');
    const promo = /<div class="promo-banner">(.*?)<\/div>/.exec(text)?.[1] ?? '';
    expect(promo).toContain(url('shop-00.test', '/category/'));
  });

  it('answers 304 to a conditional request with the page ETag and compresses when asked', async () => {
    const page = truth.pages.find((p) => p.site === 'shop-00' && p.kind === 'product') as PageTruth;
    const first = await demoGet(server, url(page.host, page.path));
    const etag = first.headers.etag ?? '';
    expect(etag).not.toBe('');
    expect(
      (await demoGet(server, url(page.host, page.path), { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    const compressedSite = truth.sites.find(
      (s) => s.compression === 'gzip' && s.type === 'self_run',
    ) as SiteTruth;
    const zipped = await demoGet(server, url(compressedSite.host, '/'), {
      headers: { 'accept-encoding': 'gzip' },
    });
    const plain = await demoGet(server, url(compressedSite.host, '/'));
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(decoded(zipped).equals(plain.body)).toBe(true);
  });
});

describe('demo robots.txt and sitemaps', () => {
  it('serves robots.txt whose rules give the disallowed flags of the ground truth', async () => {
    for (const s of truth.sites.filter((x) => x.robots && x.base_path === '')) {
      const res = await demoGet(server, url(s.host, '/robots.txt'));
      const txt = res.body.toString();
      for (const rule of s.robots?.disallow ?? []) expect(txt).toContain(`Disallow: ${rule}\n`);
      expect(txt.includes('Crawl-delay: 1')).toBe(s.robots?.crawl_delay_s === 1);
      const robots = robotsParser(url(s.host, '/robots.txt'), txt);
      const governed = truth.pages.filter((p) => p.host === s.host);
      for (const p of governed)
        expect(robots.isDisallowed(url(p.host, p.path), 'ArgusBot')).toBe(p.disallowed);
    }
  });

  it('links disallowed paths from crawlable pages, so obedience can be tested', async () => {
    const home = await pageText(
      truth.pages.find((p) => p.site === 'shop-00' && p.kind === 'home') as PageTruth,
    );
    expect(home).toContain('href="/cart"');
    expect(home).toContain('href="/admin/login"');
  });

  it('lists exactly the allowed pages in sitemap.xml, and the mall splits them with a sitemap index', async () => {
    const shop = site('shop-00');
    const xml = (await demoGet(server, url(shop.host, '/sitemap.xml'))).body.toString();
    const locs = [...xml.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]);
    const expected = truth.pages
      .filter((p) => p.site === shop.id && !p.disallowed)
      .map((p) => url(p.host, p.path));
    expect(locs).toEqual(expected);
    const index = (await demoGet(server, url('mall.test', '/sitemap.xml'))).body.toString();
    expect(index).toContain('<sitemapindex');
    const storeMap = [...index.matchAll(/<loc>(.*?)<\/loc>/g)]
      .map((m) => m[1] ?? '')
      .find((l) => l.includes('store-'));
    const store = (await demoGet(server, storeMap ?? '')).body.toString();
    expect(store).toContain(url('mall.test', '/store/shop-03/product/1'));
    expect(store).not.toContain('/store/shop-03/cart');
  });
});
