import { describe, expect, it } from '@jest/globals';
import { errorCode } from '../../core/errors.js';
import { allTerms, generateDemoWeb, stringifyGroundTruth, type GroundTruth } from '../../demo/index.js';
import { makeUscc } from '../../demo/uscc.js';
import { isValidUscc } from '../../indexer/extract/identifiers.js';
import { Rng } from '../../demo/prng.js';

const small = generateDemoWeb({ seed: 42 });
const byId = (truth: GroundTruth, id: string) => truth.sites.find((s) => s.id === id);

describe('generateDemoWeb', () => {
  it('gives the same ground truth for the same seed and a different one for another seed', () => {
    const again = generateDemoWeb({ seed: 42 });
    const other = generateDemoWeb({ seed: 43 });
    expect(stringifyGroundTruth(again.truth)).toBe(stringifyGroundTruth(small.truth));
    expect(stringifyGroundTruth(other.truth)).not.toBe(stringifyGroundTruth(small.truth));
    const titles = (t: GroundTruth) => t.pages.filter((p) => p.kind === 'product').map((p) => p.title);
    expect(titles(other.truth)).not.toEqual(titles(small.truth));
  });

  it('when options are bad, throws a validation error naming the option', () => {
    let caught: unknown;
    try {
      generateDemoWeb({ pages: 3 });
    } catch (error) {
      caught = error;
    }
    expect(errorCode(caught)).toBe('DEMO_OPTIONS_INVALID');
    expect((caught as Error).message).toContain('pages');
  });

  it('with ten or more shops, has every encoding, language and placement variant', () => {
    const sites = small.truth.sites;
    const has = (pred: (s: (typeof sites)[number]) => boolean) => sites.some(pred);
    expect(has((s) => s.encoding === 'gbk' && s.charset_declared === 'header')).toBe(true);
    expect(
      has((s) => s.encoding === 'gbk' && s.charset_declared === 'meta' && s.charset_label === 'gb2312'),
    ).toBe(true);
    expect(has((s) => s.encoding === 'gb18030' && s.charset_declared === 'http-equiv')).toBe(true);
    expect(has((s) => s.encoding === 'big5' && s.lang === 'zh-TW')).toBe(true);
    expect(has((s) => s.encoding === 'utf-8-bom' && s.charset_declared === 'bom')).toBe(true);
    expect(has((s) => s.lang === 'en' && s.type === 'self_run')).toBe(true);
    expect(has((s) => s.type === 'platform_shop' && s.base_path.startsWith('/store/'))).toBe(true);
    expect(has((s) => s.type === 'platform_shop' && s.host.endsWith('.mall.test'))).toBe(true);
    expect(has((s) => s.type === 'service_provider')).toBe(true);
    expect(
      has(
        (s) => s.type === 'self_run' && s.violations.includes('missing_licence') && s.operator.uscc === null,
      ),
    ).toBe(true);
  });

  it('has the brand and four lookalikes, one of them a punycode homoglyph', () => {
    const looks = small.truth.sites.filter((s) => s.type === 'lookalike');
    expect(looks.map((s) => s.lookalike_technique).sort()).toEqual([
      'homoglyph_punycode',
      'hyphen',
      'suffix',
      'typo_rn_m',
    ]);
    expect(looks.every((s) => s.lookalike_of === 'huamei.test')).toBe(true);
    const homoglyph = looks.find((s) => s.lookalike_technique === 'homoglyph_punycode');
    expect(homoglyph?.host).toMatch(/^xn--[a-z0-9-]+\.test$/);
    expect(homoglyph?.unicode_host).toBe('hu\u0430mei.test');
    const brandTitles = small.truth.pages
      .filter((p) => p.site === 'huamei' && p.product)
      .map((p) => p.product?.name);
    for (const look of looks) {
      const names = small.truth.pages
        .filter((p) => p.site === look.id && p.product)
        .map((p) => p.product?.name);
      expect(names).toEqual(brandTitles);
    }
  });

  it('gives each shop exactly the requested number of pages', () => {
    const web = generateDemoWeb({ seed: 7, sites: 15, pages: 47 });
    for (const site of web.truth.sites.filter((s) =>
      ['self_run', 'platform_shop', 'brand', 'lookalike'].includes(s.type),
    )) {
      expect(web.truth.pages.filter((p) => p.site === site.id)).toHaveLength(47);
      expect(site.page_count).toBe(47);
    }
    expect(web.truth.summary.pages).toBe(web.truth.pages.length);
  });

  it('seeds violations on a known share of product pages, terms drawn from the law lists', () => {
    const web = generateDemoWeb({ seed: 11, sites: 20, pages: 100 });
    const products = web.truth.pages.filter((p) => p.kind === 'product' && !['huamei'].includes(p.site));
    const share = (type: string) =>
      products.filter((p) => p.violations.some((v) => v.type === type)).length / products.length;
    expect(share('ad_law_absolute')).toBeGreaterThan(0.08);
    expect(share('ad_law_absolute')).toBeLessThan(0.25);
    expect(share('false_health_claim')).toBeGreaterThan(0.02);
    expect(share('misleading_price')).toBeGreaterThan(0.03);
    const absolute = new Set(allTerms('ad_law_absolute'));
    const health = new Set(allTerms('false_health_claim'));
    for (const page of products) {
      for (const v of page.violations) {
        if (v.type === 'ad_law_absolute') expect(v.terms.every((t) => absolute.has(t))).toBe(true);
        if (v.type === 'false_health_claim') expect(v.terms.every((t) => health.has(t))).toBe(true);
        for (const term of v.terms) expect(`${page.claim ?? ''}`).toContain(term);
      }
    }
  });

  it('marks misleading prices by a fake original at least four times the price, honest ones below twice', () => {
    for (const page of small.truth.pages.filter((p) => p.kind === 'product')) {
      const price = page.prices[0];
      const misleading = page.violations.some((v) => v.type === 'misleading_price');
      if (misleading) expect((price?.original ?? 0) / (price?.value ?? 1)).toBeGreaterThanOrEqual(4);
      else if (price?.original) expect(price.original / price.value).toBeLessThan(2);
    }
  });

  it('marks every page with prices of a missing-licence shop, and no page of a licensed one', () => {
    for (const page of small.truth.pages) {
      const site = byId(small.truth, page.site);
      const flagged = page.violations.some((v) => v.type === 'missing_licence');
      const expected =
        site?.violations.includes('missing_licence') === true &&
        ['home', 'category', 'product'].includes(page.kind);
      expect(flagged).toBe(expected);
      if (flagged)
        expect(page.identifiers.filter((i) => i.owner === page.site).map((i) => i.type)).not.toContain(
          'uscc',
        );
    }
  });

  it('reuses each creative across pages and lands on advertiser domains, never on the showing site', () => {
    const web = generateDemoWeb({ seed: 5, sites: 20, pages: 60 });
    const shopHosts = new Set(web.truth.sites.filter((s) => s.type !== 'advertiser').map((s) => s.host));
    const shown = web.truth.ads.map((a) => a.shown_on).sort((a, b) => a - b);
    expect(shown[Math.floor(shown.length / 2)]).toBeGreaterThanOrEqual(5);
    expect(shown.reduce((a, b) => a + b, 0)).toBe(web.truth.pages.reduce((n, p) => n + p.ads.length, 0));
    expect(new Set(web.truth.ads.map((a) => a.category))).toEqual(
      new Set(['medical', 'health_food', 'cosmetics', 'finance', 'education', 'other']),
    );
    for (const ad of web.truth.ads) {
      expect(shopHosts.has(ad.landing_host)).toBe(false);
      expect(ad.landing_url.startsWith(`http://${ad.landing_host}${ad.landing_path}`)).toBe(true);
    }
  });

  it('marks cart and admin pages disallowed by robots and leaves product pages allowed', () => {
    for (const page of small.truth.pages) {
      if (page.kind === 'cart' || page.kind === 'admin') expect(page.disallowed).toBe(true);
      if (page.kind === 'product') expect(page.disallowed).toBe(false);
    }
  });

  it('lists negatives of every kind, none pointing at an advertiser', () => {
    const kinds = new Set(small.truth.negatives.map((n) => n.kind));
    expect(kinds).toEqual(
      new Set(['onsite_promo', 'gov_link', 'licence_badge', 'friend_link', 'social_share']),
    );
    const advertisers = small.truth.sites.filter((s) => s.type === 'advertiser').map((s) => s.host);
    for (const negative of small.truth.negatives) {
      expect(advertisers.some((host) => negative.href.includes(host))).toBe(false);
    }
    expect(
      small.truth.negatives.some((n) => n.kind === 'gov_link' && n.href === 'https://beian.miit.gov.cn/'),
    ).toBe(true);
  });
});

describe('demo USCCs', () => {
  it('uses a check character that agrees with real registered codes', () => {
    for (const code of ['914403001922038216', '9144030071526726XG', '91330100716105852F']) {
      expect(isValidUscc(code)).toBe(true);
    }
    expect(isValidUscc('914403001922038217')).toBe(false);
    expect(isValidUscc('91440300192203821')).toBe(false);
    expect(isValidUscc('9144030019220382I6')).toBe(false);
  });

  it('makes codes whose check character is right or deliberately wrong, as asked', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      expect(isValidUscc(makeUscc(rng, '330106', true))).toBe(true);
      expect(isValidUscc(makeUscc(rng, '330106', false))).toBe(false);
    }
  });

  it('labels every operator USCC valid or invalid as its check character says, with some invalid', () => {
    const operators = small.truth.sites.map((s) => s.operator).filter((o) => o.uscc !== null);
    for (const op of operators) expect(isValidUscc(op.uscc ?? '')).toBe(op.uscc_valid);
    expect(operators.some((o) => o.uscc_valid === false)).toBe(true);
    for (const page of small.truth.pages) {
      for (const id of page.identifiers.filter((i) => i.type === 'uscc'))
        expect(isValidUscc(id.value)).toBe(id.valid);
    }
  });
});
