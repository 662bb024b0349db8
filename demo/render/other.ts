import { SERVICE_PLANS } from '../site-pages.js';
import type { PageTruth, SiteTruth } from '../types.js';
import { portFreeUrl } from '../urls.js';
import { renderAds, sponsoredListing, pageAds } from './ads.js';
import { companyBlock, siteFooter } from './chrome.js';
import { demoHref, esc, htmlDocument, siteHref, type RenderContext } from './html.js';

function simpleLayout(ctx: RenderContext, site: SiteTruth, page: PageTruth, main: string): string {
  const nav = (ctx.index.pagesBySite.get(site.id) ?? [])
    .filter((p) => p.kind !== 'landing')
    .map(
      (p) => `<a href="${esc(siteHref(ctx, site, p.path))}">${esc(p.title.split(' - ')[0] ?? p.title)}</a>`,
    )
    .join(' | ');
  const body = [
    `<header class="site-header"><a class="logo" href="/">${esc(site.name)}</a><nav>${nav}</nav></header>`,
    `<main class="content">${main}</main>`,
    siteFooter(ctx, site, page),
  ].join('\n');
  return htmlDocument(ctx, { site, page, description: page.title, body });
}

function shopList(ctx: RenderContext, mall: SiteTruth): string {
  const shops = ctx.index.truth.sites.filter((s) => s.platform_host === mall.host);
  return shops
    .map(
      (shop) =>
        `<li class="shop-item"><a href="${esc(demoHref(ctx, portFreeUrl(shop.host, `${shop.base_path}/`)))}">${esc(shop.name)}</a></li>`,
    )
    .join('\n');
}

export function renderMallPage(ctx: RenderContext, mall: SiteTruth, page: PageTruth): string {
  if (page.kind === 'about')
    return simpleLayout(
      ctx,
      mall,
      page,
      `<h1>关于我们</h1><p>好物商城是面向中小商家的综合电商平台。</p>\n${companyBlock(mall, page)}`,
    );
  if (page.kind === 'rules') {
    return simpleLayout(
      ctx,
      mall,
      page,
      '<h1>平台规则</h1><p>入驻商家须在店铺首页显著位置公示营业执照信息、行政许可信息。</p><p>禁止发布虚假宣传、违禁商品信息。</p>',
    );
  }
  const items = shopList(ctx, mall).split('\n');
  pageAds(ctx, page, 'sponsored_listing').forEach((ad, i) =>
    items.splice(Math.min(items.length, 2 + i * 3), 0, sponsoredListing(ctx, mall, ad, i)),
  );
  const promo = (ctx.index.negativesBySite.get(mall.id) ?? []).find((n) => n.kind === 'onsite_promo');
  const main = [
    renderAds(ctx, mall, page, ['banner'], page.kind === 'home' ? 'home-top' : 'list-top'),
    promo
      ? `<div class="promo-banner"><a href="${esc(demoHref(ctx, promo.href))}">${esc(promo.text)}</a></div>`
      : '',
    `<h1>${page.kind === 'home' ? '推荐店铺' : '店铺大全'}</h1>`,
    `<ul class="shop-list">${items.join('\n')}</ul>`,
  ].join('\n');
  return simpleLayout(ctx, mall, page, main);
}

export function renderServicePage(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  let main: string;
  if (page.kind === 'about')
    main = `<h1>关于我们</h1><p>我们为电商企业提供建站、支付对接与物流管理服务。</p>\n${companyBlock(site, page)}`;
  else if (page.path === '/pricing') {
    const rows = SERVICE_PLANS.map(
      (plan, i) =>
        `<tr><td>${esc(plan.name)}</td><td class="price">${esc(page.prices[i]?.display ?? '')}/年</td></tr>`,
    );
    main = `<h1>价格方案</h1><table class="plans">${rows.join('')}</table>`;
  } else if (page.path === '/services')
    main = '<h1>产品与服务</h1><ul><li>店铺建站</li><li>支付对接</li><li>物流管理</li><li>数据报表</li></ul>';
  else if (page.path === '/cases') main = '<h1>客户案例</h1><p>已服务三千余家电商企业。</p>';
  else main = `<h1>${esc(site.name)}</h1><p>一站式电商SaaS服务，助力商家轻松开店。</p>`;
  return simpleLayout(ctx, site, page, main);
}

export function renderAdvertiserPage(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const cta = site.lang === 'en' ? 'Learn more' : '立即咨询';
  const main =
    page.kind === 'landing'
      ? `<h1>${esc(page.claim ?? site.name)}</h1><p><a class="cta" href="/">${cta}</a></p>`
      : `<h1>${esc(site.name)}</h1><p>${site.lang === 'en' ? 'Welcome.' : '欢迎访问。'}</p>`;
  return simpleLayout(ctx, site, page, main);
}

export function renderLabIndex(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const items = ctx.index.truth.special_endpoints
    .filter((e) => e.site === site.id)
    .map((e) => `<li><a href="${esc(e.path)}">${esc(e.path)}</a> ${esc(e.description)}</li>`);
  return simpleLayout(ctx, site, page, `<h1>Special endpoints</h1><ul>${items.join('\n')}</ul>`);
}
