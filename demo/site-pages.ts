import { priceTruth } from './money.js';
import { basePage, type PageContext } from './page-parts.js';
import type { AdTruth, PageTruth, SiteTruth } from './types.js';

/** The marketplace's own pages; its shops' pages are built as shops under `/store/<id>`. */
export function buildMallPages(ctx: PageContext, mall: SiteTruth): PageTruth[] {
  return [
    basePage(ctx, mall, { relPath: '/', kind: 'home', title: `${mall.name} - 品质生活 一站购齐` }),
    basePage(ctx, mall, { relPath: '/about', kind: 'about', title: `关于我们 - ${mall.name}` }),
    basePage(ctx, mall, { relPath: '/shops', kind: 'directory', title: `店铺大全 - ${mall.name}` }),
    basePage(ctx, mall, { relPath: '/rules', kind: 'rules', title: `平台规则 - ${mall.name}` }),
  ];
}

/** Service plans of the SaaS provider (prices on a service page, no products). */
export const SERVICE_PLANS = [
  { name: '基础版', value: 1999 },
  { name: '专业版', value: 4999 },
  { name: '旗舰版', value: 9999 },
] as const;

export function buildServicePages(ctx: PageContext, site: SiteTruth): PageTruth[] {
  return [
    basePage(ctx, site, { relPath: '/', kind: 'home', title: site.name }),
    basePage(ctx, site, { relPath: '/about', kind: 'about', title: `关于我们 - ${site.name}` }),
    basePage(ctx, site, { relPath: '/services', kind: 'service', title: `产品与服务 - ${site.name}` }),
    basePage(ctx, site, {
      relPath: '/pricing',
      kind: 'service',
      title: `价格方案 - ${site.name}`,
      prices: SERVICE_PLANS.map((plan) => priceTruth(plan.value, null, site)),
    }),
    basePage(ctx, site, { relPath: '/cases', kind: 'service', title: `客户案例 - ${site.name}` }),
  ];
}

/** An advertiser's home and one landing page per creative pointing at it. */
export function buildAdvertiserPages(
  ctx: PageContext,
  site: SiteTruth,
  ads: readonly AdTruth[],
): PageTruth[] {
  const pages = [basePage(ctx, site, { relPath: '/', kind: 'home', title: site.name })];
  for (const ad of ads) {
    if (ad.landing_host !== site.host) continue;
    pages.push(
      basePage(ctx, site, {
        relPath: ad.landing_path,
        kind: 'landing',
        title: `${ad.image_alt} - ${site.name}`,
        claim: ad.text,
        violations: ad.violations.map((v) => ({ ...v, terms: [...v.terms] })),
      }),
    );
  }
  return pages;
}

export function buildLabPages(ctx: PageContext, site: SiteTruth): PageTruth[] {
  return [basePage(ctx, site, { relPath: '/', kind: 'index', title: 'Argus demo lab: special endpoints' })];
}
