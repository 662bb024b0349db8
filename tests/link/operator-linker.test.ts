import { OperatorIndex } from '../../indexer/link/operator-index.js';
import { linkIdentity } from '../../indexer/link/operator-linker.js';
import type { LinkableOperator } from '../../indexer/link/link.types.js';

const mall: LinkableOperator = {
  id: 'op-mall',
  type: 'platform',
  uscc: '91330102MANL25KK3H',
  licence_numbers: ['浙B2-20083950'],
  icp_numbers: ['浙ICP备37297613号'],
  domains: ['mall.test'],
  jurisdiction: { city: '330100', county: '330102' },
};
const pathShop: LinkableOperator = {
  id: 'op-shop-03',
  type: 'third_party_shop',
  uscc: '913301081760457636',
  shop_urls: ['http://mall.test/store/shop-03'],
  platform_id: 'op-mall',
  jurisdiction: { city: '330100', county: '330108' },
};
const selfRun: LinkableOperator = {
  id: 'op-tea',
  type: 'self_run_site',
  uscc: '91330106MAWCAC7WX2',
  licence_numbers: ['JY13301117424661'],
  icp_numbers: ['浙ICP证934754号'],
  domains: ['www.tea-house.com.cn'],
  jurisdiction: { city: '330100', county: '330106', station: '330106-01', grid: '330106-01-g01' },
};
const subdomainShop: LinkableOperator = {
  id: 'op-shop-20',
  type: 'third_party_shop',
  icp_numbers: ['浙ICP备22222222号'],
  domains: ['shop-20.mall.test'],
  platform_id: 'op-mall',
};
const noSite: LinkableOperator = { id: 'op-nosite', uscc: '91330105318263783R', domains: [], shop_urls: [] };

const index = new OperatorIndex([mall, pathShop, subdomainShop, selfRun, noSite]);

describe('operator linker', () => {
  it('when the USCC says one operator and the domain another, the USCC wins and the conflict is reported', () => {
    const link = linkIdentity(index, {
      url: 'http://mall.test/about',
      host: 'mall.test',
      identifiers: { uscc: ['91330106MAWCAC7WX2'] },
    });
    expect(link.operator_id).toBe('op-tea');
    expect(link.confidence).toBe(1);
    expect(link.reason).toBe('uscc:91330106MAWCAC7WX2; conflict domain:op-mall');
    expect(link.jurisdiction).toEqual(selfRun.jurisdiction);
  });

  it('links by licence number and by ICP filing at 0.9, matching the site-numbered ICP form too', () => {
    const byLicence = linkIdentity(index, {
      host: 'elsewhere.test',
      identifiers: { licence: ['JY13301117424661'] },
    });
    expect(byLicence).toMatchObject({ operator_id: null });
    const onOwnHost = linkIdentity(index, {
      host: 'shop.tea-house.com.cn',
      identifiers: { licence: ['JY13301117424661'] },
    });
    expect(onOwnHost).toMatchObject({
      operator_id: 'op-tea',
      confidence: 0.9,
      reason: 'licence:JY13301117424661',
    });
    // The page shows `浙ICP备37297613号-3` (site 3 of the filing), normalised by extract; the registry holds the entity's base form.
    const byIcp = linkIdentity(index, { host: 'mall.test', identifiers: { icp: ['浙ICP备37297613号3'] } });
    expect(byIcp).toMatchObject({ operator_id: 'op-mall', confidence: 0.9 });
    expect(byIcp.reason).toMatch(/^icp:/);
  });

  it('links an operator without a registered site by its identifiers wherever they appear', () => {
    const link = linkIdentity(index, {
      host: 'unknown-site.test',
      identifiers: { uscc: ['91330105318263783R'] },
    });
    expect(link).toMatchObject({ operator_id: 'op-nosite', confidence: 1 });
  });

  it('links by exact domain (ignoring www.) at 0.8 and by registered domain at 0.6', () => {
    expect(linkIdentity(index, { host: 'tea-house.com.cn' })).toMatchObject({
      operator_id: 'op-tea',
      confidence: 0.8,
    });
    expect(linkIdentity(index, { host: 'WWW.Tea-House.com.cn.' })).toMatchObject({
      operator_id: 'op-tea',
      confidence: 0.8,
    });
    const sub = linkIdentity(index, { host: 'm.tea-house.com.cn' });
    expect(sub).toMatchObject({
      operator_id: 'op-tea',
      confidence: 0.6,
      reason: 'registered_domain:tea-house.com.cn',
    });
    // `com.cn` is a public suffix: another `.com.cn` site is not the tea house's.
    expect(linkIdentity(index, { host: 'other.com.cn' }).operator_id).toBeNull();
  });

  it('links a shop without identifiers on a platform by its shop URL, not to the platform', () => {
    const link = linkIdentity(index, {
      url: 'http://mall.test/store/shop-03/product/7',
      host: 'mall.test',
      // The platform's own ICP and licence are printed on every shop page.
      identifiers: { icp: ['浙ICP备37297613号3'], licence: ['浙B220083950'] },
    });
    expect(link).toMatchObject({ operator_id: 'op-shop-03', confidence: 0.9 });
    expect(link.reason).toBe('shop_url:mall.test/store/shop-03; conflict licence:op-mall');
    expect(
      linkIdentity(index, { url: 'http://mall.test/store/shop-030', host: 'mall.test' }).operator_id,
    ).toBe('op-mall');
  });

  it("on a shop's own host, the platform's identifiers printed there do not outrank the shop's domain", () => {
    const link = linkIdentity(index, {
      url: 'http://shop-20.mall.test/product/1',
      host: 'shop-20.mall.test',
      identifiers: { icp: ['浙ICP备37297613号3'], licence: ['浙B220083950'] },
    });
    expect(link).toMatchObject({
      operator_id: 'op-shop-20',
      confidence: 0.8,
      reason: 'domain:shop-20.mall.test',
    });
    const platformPage = linkIdentity(index, {
      url: 'http://mall.test/',
      host: 'mall.test',
      identifiers: { licence: ['浙B220083950'] },
    });
    expect(platformPage).toMatchObject({ operator_id: 'op-mall', confidence: 0.9 });
  });

  it('does not link an operator whose identity is shown on a host nobody registered', () => {
    const link = linkIdentity(index, {
      url: 'http://xn--tea-huse-0ve.test/',
      host: 'xn--tea-huse-0ve.test',
      identifiers: { uscc: ['91330106MAWCAC7WX2'] },
    });
    expect(link.operator_id).toBeNull();
    expect(link.confidence).toBe(0);
    expect(link.reason).toBe('unregistered_host; claims uscc:op-tea');
  });

  it('when nothing matches, says so', () => {
    expect(
      linkIdentity(index, {
        host: 'blog.example.org',
        identifiers: { uscc_invalid: ['91330106MAWD8LHN4X'] },
      }),
    ).toEqual({
      operator_id: null,
      confidence: 0,
      reason: 'no_match',
      jurisdiction: {},
      licence_on_file: false,
    });
  });

  it('says whether the registry holds a valid USCC, a licence or an ICP number of the linked operator', () => {
    const unlicensed: LinkableOperator = { id: 'op-bare', domains: ['bare.test'], icp_numbers: [] };
    const badUscc: LinkableOperator = {
      id: 'op-bad-uscc',
      uscc: '91330106MAWD8LHN4X',
      uscc_valid: false,
      domains: ['bad-uscc.test'],
    };
    const registry = new OperatorIndex([mall, subdomainShop, selfRun, unlicensed, badUscc]);
    const onFile = (host: string): boolean => linkIdentity(registry, { host }).licence_on_file;
    expect(onFile('www.tea-house.com.cn')).toBe(true);
    expect(onFile('shop-20.mall.test')).toBe(true);
    expect(onFile('bare.test')).toBe(false);
    expect(onFile('bad-uscc.test')).toBe(false);
    expect(onFile('unknown.test')).toBe(false);
  });

  it('two operators under one registered domain: a third host there links to neither', () => {
    const shared = new OperatorIndex([
      { id: 'a', domains: ['a.hosting.test'] },
      { id: 'b', domains: ['b.hosting.test'] },
    ]);
    expect(linkIdentity(shared, { host: 'a.hosting.test' }).operator_id).toBe('a');
    expect(linkIdentity(shared, { host: 'c.hosting.test' }).operator_id).toBeNull();
  });
});
