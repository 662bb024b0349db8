import { ICP_RECORD_URL } from '../negatives.js';
import type { IdentifierTruth, PageTruth, SiteTruth } from '../types.js';
import { portFreeUrl } from '../urls.js';
import { LABELS } from '../vocab/labels.js';
import { themeWords } from '../vocab/themes.js';
import { platformOf } from '../web-index.js';
import { colon, demoHref, esc, siteHref, type RenderContext } from './html.js';

/** Categories a shop actually has pages for, in page order. */
export function shopCategories(ctx: RenderContext, site: SiteTruth): Array<{ slug: string; name: string }> {
  const pages = ctx.index.pagesBySite.get(site.id) ?? [];
  const words = site.theme ? themeWords(site.lang, site.theme).categories : [];
  return pages
    .filter((p) => p.kind === 'category' && p.category)
    .map((p) => ({
      slug: p.category ?? '',
      name: words.find((w) => w.slug === p.category)?.name ?? p.category ?? '',
    }));
}

function platformBar(ctx: RenderContext, site: SiteTruth): string {
  const platform = platformOf(ctx.index, site);
  if (!platform) return '';
  const home = demoHref(ctx, portFreeUrl(platform.host, '/'));
  const shops = demoHref(ctx, portFreeUrl(platform.host, '/shops'));
  return `<div class="platform-bar"><a href="${home}">${esc(platform.name)}</a> | <a href="${shops}">店铺大全</a></div>`;
}

export function siteHeader(ctx: RenderContext, site: SiteTruth): string {
  const labels = LABELS[site.lang];
  const nav = shopCategories(ctx, site)
    .map((c) => `<li><a href="${esc(siteHref(ctx, site, `/category/${c.slug}`))}">${esc(c.name)}</a></li>`)
    .join('');
  return [
    platformBar(ctx, site),
    '<header class="site-header">',
    `<a class="logo" href="${esc(siteHref(ctx, site, '/'))}">${esc(site.name)}</a>`,
    `<form class="search" action="${esc(siteHref(ctx, site, '/search'))}" method="get"><input name="q" placeholder="${esc(labels.search)}"><button>${esc(labels.search)}</button></form>`,
    `<nav class="main-nav"><ul><li><a href="${esc(siteHref(ctx, site, '/'))}">${esc(labels.home)}</a></li>${nav}<li><a href="${esc(siteHref(ctx, site, '/about'))}">${esc(labels.about)}</a></li></ul></nav>`,
    `<a class="cart-link" href="${esc(siteHref(ctx, site, '/cart'))}" rel="nofollow">${esc(labels.cart)}</a>`,
    '</header>',
  ].join('\n');
}

/** One identifier as a footer or about page shows it. */
export function renderIdentifier(owner: SiteTruth, id: IdentifierTruth): string {
  const labels = LABELS[owner.lang];
  const sep = colon(owner);
  switch (id.type) {
    case 'uscc':
      return `<span class="uscc">${esc(labels.uscc)}${sep}${esc(id.value)}</span>`;
    case 'icp':
      return `<a class="icp" href="${ICP_RECORD_URL}" target="_blank" rel="noopener">${esc(id.value)}</a>`;
    case 'licence': {
      const label = owner.operator.licences.find((l) => l.number === id.value)?.label ?? '';
      return `<span class="licence">${esc(label)}${sep}${esc(id.value)}</span>`;
    }
    case 'phone':
      return `<span class="tel">${esc(labels.phone)}${sep}${esc(id.value)}</span>`;
    case 'email':
      return `<span class="mail">${esc(labels.email)}${sep}<a href="mailto:${esc(id.value)}">${esc(id.value)}</a></span>`;
    case 'badge':
      return `<a class="license-badge" href="${esc(id.value)}" target="_blank" rel="noopener"><img src="/static/dzyz.png" alt="${esc(labels.icpBadgeAlt)}" width="80" height="30"></a>`;
  }
}

function ownerBlock(page: PageTruth, owner: SiteTruth): string {
  const ids = page.identifiers.filter((i) => i.owner === owner.id);
  const items = ids.map((id) => `<li>${renderIdentifier(owner, id)}</li>`).join('');
  const company = ids.some((i) => i.type === 'uscc' || i.type === 'icp')
    ? `<li>${esc(owner.operator.name)}</li>`
    : '';
  return `<ul class="footer-info" data-owner="${esc(owner.id)}">${company}${items}</ul>`;
}

function friendLinks(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const links = (ctx.index.negativesBySite.get(site.id) ?? []).filter(
    (n) => n.kind === 'friend_link' && n.page_kinds.includes(page.kind),
  );
  if (links.length === 0) return '';
  const items = links.map(
    (n) => `<a href="${esc(demoHref(ctx, n.href))}" target="_blank">${esc(n.text)}</a>`,
  );
  return `<div class="friend-links"><span>${esc(LABELS[site.lang].friendLinks)}${colon(site)}</span>${items.join(' ')}</div>`;
}

export function siteFooter(ctx: RenderContext, site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const platform = platformOf(ctx.index, site);
  const year = 2024;
  const own = page.kind === 'about' ? '' : ownerBlock(page, site);
  return [
    '<footer class="site-footer">',
    friendLinks(ctx, site, page),
    own,
    platform ? ownerBlock(page, platform) : '',
    `<p class="copyright">${year} ${esc(site.name)} ${esc(labels.rightsReserved)} · <a href="${esc(siteHref(ctx, site, '/admin/login'))}" rel="nofollow">${esc(labels.merchantLogin)}</a></p>`,
    '</footer>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The about page's company block: every identifier the operator has. */
export function companyBlock(site: SiteTruth, page: PageTruth): string {
  const labels = LABELS[site.lang];
  const ids = page.identifiers.filter((i) => i.owner === site.id);
  const rows = ids.map((id) => `<li>${renderIdentifier(site, id)}</li>`).join('\n');
  const address = site.operator.address
    ? `<li>${esc(labels.address)}${colon(site)}${esc(site.operator.address)}</li>`
    : '';
  return [
    `<section class="company-info"><h2>${esc(labels.companyInfo)}</h2><ul>`,
    `<li class="company-name">${esc(site.operator.name)}</li>`,
    address,
    rows,
    '</ul></section>',
  ].join('\n');
}
