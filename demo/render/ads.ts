import { formatPrice } from '../money.js';
import { hashString } from '../prng.js';
import type { AdTruth, PageTruth, SiteTruth, SlotKind } from '../types.js';
import { demoUrl } from '../urls.js';
import { AD_NETWORK_HOST } from '../vocab/ads.js';
import { LABELS } from '../vocab/labels.js';
import { demoHref, esc, type RenderContext } from './html.js';

/** The creatives of a page that go in slots of the given kind. */
export function pageAds(ctx: RenderContext, page: PageTruth, kind: SlotKind): AdTruth[] {
  return page.ads
    .map((id) => ctx.index.adsById.get(id))
    .filter((ad): ad is AdTruth => ad?.slot_kind === kind);
}

/** Ad label a site uses (stable per site): 广告 / 推广 / 赞助 / Sponsored / Advertisement / Ad. */
export function adLabel(site: SiteTruth): string {
  const labels = LABELS[site.lang].adLabels;
  return labels[hashString(site.id) % labels.length] ?? labels[0] ?? 'Ad';
}

/** Click-tracking URL of the ad network, redirecting to the landing page. */
export function clickUrl(ctx: RenderContext, ad: AdTruth): string {
  const landing = demoHref(ctx, ad.landing_url);
  return `${demoUrl(AD_NETWORK_HOST, '/click', ctx.port)}?ad=${ad.id}&url=${encodeURIComponent(landing)}`;
}

function banner(ctx: RenderContext, site: SiteTruth, ad: AdTruth, slot: string): string {
  const landing = esc(demoHref(ctx, ad.landing_url));
  const img = `<img src="${esc(demoHref(ctx, ad.image_src))}" alt="${esc(ad.image_alt)}" width="728" height="90">`;
  const label = esc(adLabel(site));
  switch (hashString(site.id + slot) % 3) {
    case 0:
      return `<div class="ad-banner" data-ad-slot="${slot}"><span class="ad-label">${label}</span><a href="${landing}" target="_blank" rel="sponsored nofollow">${img}</a><p class="ad-text">${esc(ad.text)}</p></div>`;
    case 1:
      return `<div id="gg-${slot}" class="gg-box"><a href="${landing}" target="_blank" rel="nofollow">${img}<span>${esc(ad.text)}</span></a><em class="gg-tag">${label}</em></div>`;
    default:
      return `<aside class="advertisement" aria-label="${label}" data-ad-slot="${slot}"><div class="ad-label">${label}</div><a href="${landing}" target="_blank" rel="sponsored noopener">${img}</a><p>${esc(ad.text)}</p></aside>`;
  }
}

/** A sponsored entry styled like the product cards around it. */
export function sponsoredListing(ctx: RenderContext, site: SiteTruth, ad: AdTruth, position: number): string {
  const price = formatPrice(19 + (hashString(ad.id) % 180), site);
  return [
    `<li class="product-item is-sponsored" data-ad-slot="list-${position}">`,
    `<span class="tag-sponsored">${esc(LABELS[site.lang].sponsored)}</span>`,
    `<a href="${esc(demoHref(ctx, ad.landing_url))}" target="_blank" rel="sponsored nofollow">`,
    `<img src="${esc(demoHref(ctx, ad.image_src))}" alt="${esc(ad.image_alt)}">`,
    `<span class="name">${esc(ad.text)}</span><span class="price">${esc(price)}</span></a></li>`,
  ].join('');
}

function popup(ctx: RenderContext, site: SiteTruth, ad: AdTruth): string {
  return [
    `<div id="promo-modal" class="modal popup-ad" style="display:none" role="dialog" aria-hidden="true">`,
    `<div class="modal-body"><span class="ad-label">${esc(adLabel(site))}</span>`,
    `<a href="${esc(demoHref(ctx, ad.landing_url))}" target="_blank" rel="nofollow"><img src="${esc(demoHref(ctx, ad.image_src))}" alt="${esc(ad.image_alt)}" width="400" height="300"></a>`,
    `<button type="button" class="modal-close" aria-label="${esc(LABELS[site.lang].close)}">×</button></div></div>`,
    `<script>setTimeout(function(){var m=document.getElementById('promo-modal');if(m){m.style.display='block';}},3000);</script>`,
  ].join('\n');
}

function iframe(ctx: RenderContext, site: SiteTruth, ad: AdTruth, slot: string): string {
  const src = `${demoUrl(AD_NETWORK_HOST, `/creative/${ad.id}`, ctx.port)}?pub=${encodeURIComponent(site.host)}&slot=${slot}`;
  return `<div class="ad-slot ad-300x250" data-ad-slot="${slot}"><iframe src="${esc(src)}" width="300" height="250" frameborder="0" scrolling="no" title="advertisement"></iframe></div>`;
}

function scriptSlot(ctx: RenderContext, site: SiteTruth, ad: AdTruth, slot: string): string {
  const unit = 1_000_000 + (hashString(`${site.id}|${slot}`) % 8_999_999);
  const client = `pub-${(hashString(site.id) % 9_000_000_000) + 1_000_000_000}`;
  const js = demoUrl(AD_NETWORK_HOST, '/js/adnet.js', ctx.port);
  const fallback = `<noscript><a href="${esc(clickUrl(ctx, ad))}" target="_blank"><img src="${esc(demoHref(ctx, ad.image_src))}" alt="${esc(ad.image_alt)}">${esc(ad.text)}</a></noscript>`;
  if (site.lang === 'en') {
    return [
      `<ins class="adsbygoogle" style="display:block" data-ad-client="ca-${client}" data-ad-slot="${unit}" data-ad-format="auto"></ins>`,
      `<script async src="${js}?client=ca-${client}"></script>`,
      '<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>',
      fallback,
    ].join('\n');
  }
  return [
    `<div id="adnet_u${unit}" class="adnet-container"></div>`,
    `<script>(window.adnetSlots = window.adnetSlots || []).push({ id: "u${unit}", container: "adnet_u${unit}", size: "300,250" });</script>`,
    `<script async src="${js}"></script>`,
    fallback,
  ].join('\n');
}

/** Markup of every creative of `kinds` on the page, in page order. */
export function renderAds(
  ctx: RenderContext,
  site: SiteTruth,
  page: PageTruth,
  kinds: readonly SlotKind[],
  slot: string,
): string {
  const out: string[] = [];
  for (const id of page.ads) {
    const ad = ctx.index.adsById.get(id);
    if (!ad || !kinds.includes(ad.slot_kind)) continue;
    if (ad.slot_kind === 'banner') out.push(banner(ctx, site, ad, slot));
    if (ad.slot_kind === 'popup') out.push(popup(ctx, site, ad));
    if (ad.slot_kind === 'iframe') out.push(iframe(ctx, site, ad, slot));
    if (ad.slot_kind === 'script') out.push(scriptSlot(ctx, site, ad, slot));
  }
  return out.join('\n');
}
