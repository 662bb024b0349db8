import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirect, send, sendPng, sendText } from './http-send.js';
import { hashString } from './prng.js';
import { adnetScript, creativeDocument } from './render/adnet.js';
import { demoHref, type RenderContext } from './render/html.js';
import { demoUrl } from './urls.js';
import { AD_NETWORK_HOST } from './vocab/ads.js';

const HTML = { 'content-type': 'text/html; charset=utf-8' };

/**
 * The ad network: `/creative/<id>` (iframe documents), `/img/<id>.png`, `/js/adnet.js`,
 * `/click?ad=&url=` (302 to the landing page), `/serve?slot=` (302 to a creative), robots.txt.
 */
export function handleAdnet(req: IncomingMessage, res: ServerResponse, ctx: RenderContext, url: URL): void {
  const path = url.pathname;
  const creative = /^\/creative\/([\w-]+)$/.exec(path);
  if (creative) {
    const ad = ctx.index.adsById.get(creative[1] ?? '');
    if (ad) send(req, res, creativeDocument(ctx, ad), { headers: HTML, compress: 'gzip' });
    else sendText(req, res, 404, 'no such creative\n');
  } else if (/^\/img\/[\w-]+\.png$/.test(path)) {
    sendPng(req, res);
  } else if (path === '/js/adnet.js') {
    send(req, res, adnetScript(ctx), {
      headers: { 'content-type': 'application/javascript; charset=utf-8' },
      compress: 'gzip',
    });
  } else if (path === '/click') {
    const ad = ctx.index.adsById.get(url.searchParams.get('ad') ?? '');
    const target = url.searchParams.get('url') ?? (ad ? demoHref(ctx, ad.landing_url) : null);
    if (target) redirect(req, res, 302, target);
    else sendText(req, res, 400, 'click needs ?url= or a known ?ad=\n');
  } else if (path === '/serve') {
    const ads = ctx.index.truth.ads;
    const ad = ads[hashString(url.searchParams.get('slot') ?? '') % ads.length];
    if (ad) redirect(req, res, 302, demoUrl(AD_NETWORK_HOST, `/creative/${ad.id}`, ctx.port));
    else sendText(req, res, 404, 'no creatives\n');
  } else if (path === '/robots.txt') {
    send(req, res, 'User-agent: *\nDisallow:\n', {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  } else if (path === '/' || path === '/about') {
    send(
      req,
      res,
      '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>AdNet</title></head><body><h1>AdNet advertising network</h1></body></html>\n',
      { headers: HTML },
    );
  } else {
    sendText(req, res, 404, 'not found\n');
  }
}
