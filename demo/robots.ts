import robotsParserCjs from 'robots-parser';
import { hashString } from './prng.js';
import type { PageTruth, SiteTruth } from './types.js';

// robots-parser is CommonJS typed as an ES default export; Node's ESM loader hands us module.exports.
const robotsParser = robotsParserCjs as unknown as typeof robotsParserCjs.default;

/** Product token the ground truth's `disallowed` flags are computed for. */
export const ROBOTS_AGENT = 'ArgusBot';

/** robots.txt of a site; `origin` is `http://host[:port]` (Sitemap lines must be absolute). */
export function robotsTxt(site: SiteTruth, origin: string): string {
  const robots = site.robots;
  if (!robots) return '';
  const lines = [`# robots.txt for ${site.host}`, 'User-agent: BadBot', 'Disallow: /', '', 'User-agent: *'];
  for (const path of robots.disallow) lines.push(`Disallow: ${path}`);
  if (robots.disallow.length === 0) lines.push('Disallow:');
  if (robots.crawl_delay_s !== null) lines.push(`Crawl-delay: ${robots.crawl_delay_s}`);
  if (robots.sitemaps.length > 0) lines.push('');
  for (const path of robots.sitemaps) lines.push(`Sitemap: ${origin}${path}`);
  return `${lines.join('\n')}\n`;
}

/** Sets `disallowed` on every page from the robots.txt that governs its host. */
export function markDisallowed(
  pages: PageTruth[],
  robotsSiteOf: (page: PageTruth) => SiteTruth | null,
): void {
  const parsers = new Map<string, ReturnType<typeof robotsParser>>();
  for (const page of pages) {
    const site = robotsSiteOf(page);
    if (!site?.robots) continue;
    const origin = `http://${site.host}`;
    let parser = parsers.get(site.host);
    if (!parser) {
      parser = robotsParser(`${origin}/robots.txt`, robotsTxt(site, origin));
      parsers.set(site.host, parser);
    }
    page.disallowed = parser.isDisallowed(`${origin}${page.path}`, ROBOTS_AGENT) === true;
  }
}

/** A stable lastmod date per page, so sitemaps do not change between runs. */
export function lastModified(seed: number, host: string, path: string): Date {
  const days = hashString(`${seed}|${host}|${path}`) % 365;
  return new Date(Date.UTC(2024, 0, 1) + days * 86_400_000);
}

const xmlEscape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function sitemapXml(entries: Array<{ loc: string; lastmod: Date }>): string {
  const urls = entries.map(
    (e) =>
      `  <url><loc>${xmlEscape(e.loc)}</loc><lastmod>${e.lastmod.toISOString().slice(0, 10)}</lastmod></url>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
}

export function sitemapIndexXml(locs: string[]): string {
  const items = locs.map((loc) => `  <sitemap><loc>${xmlEscape(loc)}</loc></sitemap>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join('\n')}\n</sitemapindex>\n`;
}
