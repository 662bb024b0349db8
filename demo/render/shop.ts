import { formatPrice, machinePrice } from '../money.js';
import type { PageTruth, PriceTruth, SiteTruth } from '../types.js';
import { LABELS } from '../vocab/labels.js';
import { pageAds, renderAds, sponsoredListing } from './ads.js';
import { companyBlock, shopCategories, siteFooter, siteHeader } from './chrome.js';
import { productDescription } from './describe.js';
import { demoHref, esc, htmlDocument, jsonLd, siteHref, type RenderContext } from './html.js';

/** Original-to-price ratio from which a struck-through 原价 is a fake discount. */
export const FAKE_DISCOUNT_RATIO = 4;

function layout(
  ctx: RenderContext,
  site: SiteTruth,
  page: PageTruth,
  main: string,
  extra: { head?: string; side?: string; description?: string } = {},
): string {
  const body = [
    siteHeader(ctx, site),
    `<div class="container"><main class="content">${main}</main>`,
    `<aside class="sidebar">${extra.side ?? ''}</aside></div>`,
    siteFooter(ctx, site, page),
    renderAds(ctx, site, page, ['popup'], 'popup'),
  ].join('\n');
  return htmlDocument(ctx, {
    site,
    page,
    description: extra.description ?? page.title,
    head: extra.head,
    body,
  });
}

function productCard(ctx: RenderContext, site: SiteTruth, product: PageTruth): string {
  const price = product.prices[0];
  const href = esc(siteHref(ctx, site, product.path.slice(site.base_path.length)));
  return `<li class="product-item"><a href="${href}"><img src="/img/p/${product.product?.no ?? 0}.png" alt="${esc(product.product?.name ?? '')}"><span class="name">${esc(product.product?.name ?? '')}</span></a><span class="price">${esc(price ? formatPrice(price.value, site) : '')}</span></li>`;
}

function priceBox(site: SiteTruth, price: PriceTruth): string {
  const labels = LABELS[site.lang];
  const micro = site.markup.microdata;
  const offer = micro ? ' itemprop="offers" itemscope itemtype="https://schema.org/Offer"' : '';
  const amount = micro ? ` itemprop="price" content="${machinePrice(price.value, price.currency)}"` : '';
  const parts = [`<div class="price-box"${offer}>`];
  if (micro) parts.push(`<meta itemprop="priceCurrency" content="${price.currency}">`);
  parts.push(`<span class="price"${amount}>${esc(price.display)}</span>`);
  if (price.original !== null) {
    parts.push(
      `<del class="price-original">${esc(labels.originalPrice)} ${esc(formatPrice(price.original, site))}</del>`,
    );
    if (price.original / price.value >= FAKE_DISCOUNT_RATIO)
      parts.push(`<span class="discount-tag">${esc(labels.discount)}</span>`);
  }
  if (micro) parts.push('<link itemprop="availability" href="https://schema.org/InStock">');
  parts.push('</div>');
  return parts.join('');
}

function productJsonLd(ctx: RenderContext, site: SiteTruth, page: PageTruth, description: string): string {
  const price = page.prices[0];
  if (!site.markup.jsonld || !price || !page.product) return '';
  return jsonLd({
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: page.product.name,
    sku: `${site.id}-${page.product.no}`,
    image: `${ctx.origin}/img/p/${page.product.no}.png`,
    description,
    offers: {
      '@type': 'Offer',
      price: machinePrice(price.value, price.currency),
      priceCurrency: price.currency,
      availability: 'https://schema.org/InStock',
      url: `${ctx.origin}${page.path}`,
    },
  });
}

function shareLinks(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const shares = (ctx.index.negativesBySite.get(site.id) ?? []).filter((n) => n.kind === 'social_share');
  const url = encodeURIComponent(`${ctx.origin}${page.path}`);
  const links = shares.map(
    (s) =>
      `<a class="share-btn" href="${esc(`${s.href}?url=${url}`)}" target="_blank" rel="noopener">${esc(s.text)}</a>`,
  );
  return `<div class="share"><span>${esc(LABELS[site.lang].share)}</span> ${links.join(' ')}</div>`;
}

export function renderProduct(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const product = page.product;
  const price = page.prices[0];
  if (!product || !price) throw new Error(`product page without product: ${page.path}`);
  const copy = productDescription(ctx.index.truth.seed, site, page);
  const micro = site.markup.microdata;
  const related = (ctx.index.productsByCategory.get(`${site.id}|${product.category}`) ?? [])
    .filter((p) => p !== page)
    .slice(0, 4);
  const main = [
    `<div class="product"${micro ? ' itemscope itemtype="https://schema.org/Product"' : ''}>`,
    `<h1${micro ? ' itemprop="name"' : ''}>${esc(product.name)}</h1>`,
    `<img class="main-img" src="/img/p/${product.no}.png" alt="${esc(product.name)}"${micro ? ' itemprop="image"' : ''}>`,
    priceBox(site, price),
    page.claim ? `<p class="selling-point">${esc(page.claim)}</p>` : '',
    `<a class="btn-cart" href="${esc(siteHref(ctx, site, `/cart?add=${product.no}`))}" rel="nofollow">${esc(labels.addToCart)}</a>`,
    `<section class="details"><h2>${esc(labels.details)}</h2><div${micro ? ' itemprop="description"' : ''}>${copy.map((c) => `<p>${esc(c)}</p>`).join('')}</div></section>`,
    '</div>',
    shareLinks(ctx, site, page),
    `<section class="related"><h2>${esc(labels.related)}</h2><ul class="product-list">${related.map((p) => productCard(ctx, site, p)).join('')}</ul></section>`,
  ].join('\n');
  const side = renderAds(ctx, site, page, ['banner', 'iframe', 'script'], 'sidebar');
  const head = productJsonLd(ctx, site, page, copy.join(''));
  return layout(ctx, site, page, main, {
    head,
    side,
    description: [page.claim, copy[0]].filter(Boolean).join(' '),
  });
}

export function renderCategory(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const products = ctx.index.productsByCategory.get(`${site.id}|${page.category ?? ''}`) ?? [];
  const items = products.map((p) => productCard(ctx, site, p));
  pageAds(ctx, page, 'sponsored_listing').forEach((ad, i) => {
    const position = Math.min(items.length, 1 + i * 4);
    items.splice(position, 0, sponsoredListing(ctx, site, ad, position));
  });
  const base = siteHref(ctx, site, `/category/${page.category ?? ''}`);
  const name = shopCategories(ctx, site).find((c) => c.slug === page.category)?.name ?? '';
  const main = [
    `<h1>${esc(name)}</h1>`,
    `<div class="sort"><a href="${esc(`${base}?sort=price`)}">${esc(labels.sortPrice)}</a> <a href="${esc(`${base}?sort=sales`)}">${esc(labels.sortSales)}</a></div>`,
    `<ul class="product-list">${items.join('\n')}</ul>`,
  ].join('\n');
  return layout(ctx, site, page, main, { side: renderAds(ctx, site, page, ['iframe'], 'sidebar') });
}

function promoBanner(ctx: RenderContext, site: SiteTruth): string {
  const promo = (ctx.index.negativesBySite.get(site.id) ?? []).find((n) => n.kind === 'onsite_promo');
  if (!promo) return '';
  return `<div class="promo-banner"><a href="${esc(demoHref(ctx, promo.href))}"><img src="/static/promo.png" alt="${esc(promo.text)}"><span>${esc(promo.text)}</span></a></div>`;
}

function specialLinks(ctx: RenderContext, site: SiteTruth): string {
  const endpoints = ctx.index.endpointsBySite.get(site.id) ?? [];
  const texts =
    site.lang === 'en'
      ? ['Flash sale', 'Stock status', 'Last season', 'Archive']
      : ['限时抢购', '库存查询', '往期活动', '历史商品'];
  const links = endpoints.map(
    (e, i) => `<a href="${esc(`${ctx.origin}${e.path}`)}">${esc(texts[i % texts.length] ?? '')}</a>`,
  );
  return links.length > 0 ? `<div class="events">${links.join(' ')}</div>` : '';
}

export function renderShopHome(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const products = (ctx.index.pagesBySite.get(site.id) ?? []).filter((p) => p.kind === 'product').slice(0, 8);
  const main = [
    renderAds(ctx, site, page, ['banner'], 'home-top'),
    promoBanner(ctx, site),
    specialLinks(ctx, site),
    `<section class="featured"><h2>${esc(labels.featured)}</h2><ul class="product-list">${products.map((p) => productCard(ctx, site, p)).join('\n')}</ul></section>`,
  ].join('\n');
  return layout(ctx, site, page, main, { side: renderAds(ctx, site, page, ['script'], 'home-side') });
}

export function renderShopAbout(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  return layout(
    ctx,
    site,
    page,
    `<h1>${esc(labels.about)}</h1><p>${esc(labels.aboutIntro)}</p>\n${companyBlock(site, page)}`,
  );
}

export function renderCart(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  return layout(
    ctx,
    site,
    page,
    `<h1>${esc(labels.cart)}</h1><p>${esc(labels.cartEmpty)}</p><a href="${esc(siteHref(ctx, site, '/'))}">${esc(labels.home)}</a>`,
  );
}

export function renderAdmin(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const form = `<form method="post" action="${esc(siteHref(ctx, site, '/admin/login'))}"><input name="user"><input name="password" type="password"><button>${esc(labels.signIn)}</button></form>`;
  return layout(ctx, site, page, `<h1>${esc(labels.merchantLogin)}</h1>${form}`);
}
