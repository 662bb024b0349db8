import type { PageTruth, SiteTruth } from '../types.js';
import { withPort } from '../urls.js';
import type { WebIndex } from '../web-index.js';

/** Per-request rendering context: the web, the server port and the request's origin. */
export interface RenderContext {
  index: WebIndex;
  port: number;
  /** `http://<Host header>`, for absolute links on the requested host. */
  origin: string;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** JSON-LD body that cannot close its `<script>` early. */
export function jsonLd(value: unknown): string {
  return `<script type="application/ld+json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

/** Link to a page of `site`: relative, or absolute on the request's origin for sites that write them so. */
export function siteHref(ctx: RenderContext, site: SiteTruth, relPath: string): string {
  const path = `${site.base_path}${relPath}`;
  return site.markup.absolute_links ? `${ctx.origin}${path}` : path;
}

/** A port-free ground-truth URL on a demo host, made reachable on this server. */
export function demoHref(ctx: RenderContext, portFree: string): string {
  return withPort(portFree, ctx.port);
}

/** Language-dependent colon between a label and its value. */
export function colon(site: SiteTruth): string {
  return site.lang === 'en' ? ': ' : '：';
}

function charsetMeta(site: SiteTruth): string {
  if (site.charset_declared === 'meta' || site.charset_declared === 'header+meta') {
    return `<meta charset="${site.charset_label}">`;
  }
  if (site.charset_declared === 'http-equiv') {
    return `<meta http-equiv="Content-Type" content="text/html; charset=${site.charset_label}">`;
  }
  return '';
}

/** Options of the document shell. */
export interface DocumentParts {
  site: SiteTruth;
  page: PageTruth;
  description: string;
  head?: string;
  body: string;
}

export function htmlDocument(ctx: RenderContext, parts: DocumentParts): string {
  const { site, page } = parts;
  return [
    '<!DOCTYPE html>',
    `<html lang="${site.lang}">`,
    '<head>',
    charsetMeta(site),
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(page.title)}</title>`,
    `<meta name="description" content="${esc(parts.description)}">`,
    `<link rel="canonical" href="${esc(`${ctx.origin}${page.path}`)}">`,
    '<link rel="stylesheet" href="/static/site.css">',
    parts.head ?? '',
    '</head>',
    `<body class="page-${page.kind}">`,
    parts.body,
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
