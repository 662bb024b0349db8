import type { AdTruth } from '../types.js';
import { demoUrl } from '../urls.js';
import { AD_NETWORK_HOST } from '../vocab/ads.js';
import { clickUrl } from './ads.js';
import { demoHref, esc, type RenderContext } from './html.js';

/** The document inside an ad-network iframe: the creative, its label and a click-tracked link. */
export function creativeDocument(ctx: RenderContext, ad: AdTruth): string {
  const label = ad.lang === 'en' ? 'Ad' : '广告';
  return [
    '<!DOCTYPE html>',
    `<html lang="${ad.lang}"><head><meta charset="utf-8"><title>${label}</title></head>`,
    '<body style="margin:0">',
    `<div class="adnet-creative" data-creative="${ad.id}">`,
    `<a href="${esc(clickUrl(ctx, ad))}" target="_blank" rel="sponsored">`,
    `<img src="${esc(demoHref(ctx, ad.image_src))}" alt="${esc(ad.image_alt)}" width="300" height="200">`,
    `<div class="headline">${esc(ad.text)}</div></a>`,
    `<span class="adnet-badge">${label}</span>`,
    `<a class="adchoices" href="${demoUrl(AD_NETWORK_HOST, '/about', ctx.port)}" target="_blank">AdChoices</a>`,
    '</div>',
    '</body></html>',
    '',
  ].join('\n');
}

/** The network's loader script: fills registered slots through /serve (never run by the crawler). */
export function adnetScript(ctx: RenderContext): string {
  const serve = demoUrl(AD_NETWORK_HOST, '/serve', ctx.port);
  return `(function () {
  var slots = (window.adnetSlots = window.adnetSlots || []);
  function fill(slot) {
    var el = document.getElementById(slot.container);
    if (!el) return;
    var frame = document.createElement('iframe');
    frame.src = '${serve}?slot=' + encodeURIComponent(slot.id) + '&pub=' + encodeURIComponent(location.host);
    frame.width = '300';
    frame.height = '250';
    frame.frameBorder = '0';
    el.appendChild(frame);
  }
  slots.forEach(fill);
  slots.push = function (slot) { fill(slot); return Array.prototype.push.call(slots, slot); };
})();
`;
}
