import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeHtml, htmlContentType } from './encode.js';
import { redirect, send, sendPng } from './http-send.js';
import { delay, flaky, type SpecialState } from './lab.routes.js';
import { hashString } from './prng.js';
import { esc, type RenderContext } from './render/html.js';
import { renderPage } from './render/page.js';
import { lastModified, robotsTxt, sitemapIndexXml, sitemapXml } from './robots.js';
import { FLAKY_FAILURES, SHOP_SLOW_MS } from './specials.js';
import type { PageTruth, SiteTruth } from './types.js';
import { pageKey } from './urls.js';
import { platformOf, siteForRequest } from './web-index.js';

const CSS =
  'body{font-family:sans-serif;margin:0}.container{display:flex}.content{flex:1}.sidebar{width:320px}\n';

function sendPage(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RenderContext,
  site: SiteTruth,
  page: PageTruth,
): void {
  const seed = ctx.index.truth.seed;
  const etag = `W/"${hashString(`${seed}|${ctx.port}|${page.host}|${page.path}`).toString(16)}"`;
  const modified = lastModified(seed, page.host, page.path);
  const headers = {
    'content-type': htmlContentType(site),
    etag,
    'last-modified': modified.toUTCString(),
    'cache-control': 'max-age=300',
  };
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  const noneMatch = req.headers['if-none-match'];
  const fresh = noneMatch
    ? noneMatch.split(',').some((tag) => tag.trim() === etag)
    : Number.isFinite(since) && since >= Math.floor(modified.getTime() / 1000) * 1000;
  if (fresh) {
    res.writeHead(304, { etag, 'last-modified': headers['last-modified'] });
    res.end();
    return;
  }
  send(req, res, encodeHtml(renderPage(ctx, site, page), site), { headers, compress: site.compression });
}

function sitemapBody(ctx: RenderContext, site: SiteTruth, path: string): string | null {
  const entries = (sites: SiteTruth[]) =>
    sites
      .flatMap((s) => ctx.index.pagesBySite.get(s.id) ?? [])
      .filter((p) => !p.disallowed)
      .map((p) => ({
        loc: `${ctx.origin}${p.path}`,
        lastmod: lastModified(ctx.index.truth.seed, p.host, p.path),
      }));
  if (site.sitemap === 'urlset') return path === '/sitemap.xml' ? sitemapXml(entries([site])) : null;
  if (site.sitemap !== 'index') return null;
  const stores = ctx.index.truth.sites.filter((s) => s.host === site.host && s.base_path !== '');
  if (path === '/sitemap.xml') {
    const paths = ['/sitemaps/main.xml', ...stores.map((s) => `/sitemaps/store-${s.id}.xml`)];
    return sitemapIndexXml(paths.map((p) => `${ctx.origin}${p}`));
  }
  if (path === '/sitemaps/main.xml') return sitemapXml(entries([site]));
  const store = stores.find((s) => path === `/sitemaps/store-${s.id}.xml`);
  return store ? sitemapXml(entries([store])) : null;
}

/** The shop's special endpoints (slow, flaky, redirect chain through `/promo/2020`). */
async function shopSpecial(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RenderContext,
  site: SiteTruth,
  path: string,
  state: SpecialState,
): Promise<boolean> {
  const endpoints = ctx.index.endpointsBySite.get(site.id) ?? [];
  const chain = endpoints.find((e) => e.behaviour === 'redirect_chain');
  if (chain && path === chain.path.replace(/2019$/, '2020')) {
    redirect(req, res, 302, `${site.base_path}/`);
    return true;
  }
  const endpoint = endpoints.find((e) => e.path === path);
  const home = ctx.index.pageByKey.get(pageKey(site.host, `${site.base_path}/`));
  if (endpoint?.behaviour === 'slow' && home) {
    if (await delay(state, res, SHOP_SLOW_MS)) sendPage(req, res, ctx, site, home);
  } else if (endpoint?.behaviour === 'flaky') {
    flaky(req, res, state, `${site.host}${path}`, FLAKY_FAILURES);
  } else if (endpoint?.behaviour === 'redirect_chain') {
    redirect(req, res, 301, path.replace(/2019$/, '2020'));
  } else {
    return false;
  }
  return true;
}

function notFound(req: IncomingMessage, res: ServerResponse, ctx: RenderContext, site: SiteTruth): void {
  const html = `<!DOCTYPE html>\n<html lang="${site.lang}"><head><meta charset="${site.charset_label}"><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p><a href="${ctx.origin}${site.base_path}/">${esc(site.name)}</a></p></body></html>\n`;
  send(req, res, encodeHtml(html, site), { status: 404, headers: { 'content-type': htmlContentType(site) } });
}

/** Serves a site host: robots.txt, sitemaps, static files, shop specials, pages and 404s. */
export async function handleSite(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RenderContext,
  url: URL,
  host: string,
  state: SpecialState,
): Promise<boolean> {
  const path = url.pathname;
  const site = siteForRequest(ctx.index, host, path);
  if (!site) return false;
  const owner = site.base_path === '' ? site : (platformOf(ctx.index, site) ?? site);
  const sitemap = path.startsWith('/sitemap') ? sitemapBody(ctx, owner, path) : null;
  const page = ctx.index.pageByKey.get(pageKey(host, path));
  if (path === '/robots.txt') {
    send(req, res, robotsTxt(owner, ctx.origin), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  } else if (sitemap !== null) {
    send(req, res, sitemap, {
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      compress: owner.compression,
    });
  } else if (path === '/static/site.css') {
    send(req, res, CSS, { headers: { 'content-type': 'text/css' } });
  } else if (/^\/(static|img)\/.+\.png$/.test(path)) {
    sendPng(req, res);
  } else if (site.base_path !== '' && path === site.base_path) {
    redirect(req, res, 301, `${path}/`);
  } else if (page) {
    sendPage(req, res, ctx, site, page);
  } else if (!(await shopSpecial(req, res, ctx, site, path, state))) {
    notFound(req, res, ctx, site);
  }
  return true;
}
