/**
 * Demo pages as the pages index holds them: each ground-truth page rendered by the demo's own
 * renderer and run through the extract stage, so titles and texts are exactly what a crawl stores.
 */
import { generateDemoWeb, type DemoWeb, type SiteTruth } from '../../demo/index.js';
import { renderPage } from '../../demo/render/page.js';
import { indexWeb } from '../../demo/web-index.js';
import { extractPage, registeredDomain } from '../../indexer/extract/index.js';

export interface DemoPageDoc {
  id: string;
  url: string;
  host: string;
  registered_domain: string;
  title: string;
  text: string;
}

/** A small demo web: the brand, its four lookalikes, a few shops, the mall and the service provider. */
export function smallDemoWeb(): DemoWeb {
  return generateDemoWeb({ seed: 7, sites: 6, pages: 8, ads: 10 });
}

const CRAWLED: ReadonlySet<SiteTruth['type']> = new Set([
  'self_run',
  'platform_shop',
  'platform',
  'brand',
  'lookalike',
  'service_provider',
  'advertiser',
]);

export function demoPageDocs(web: DemoWeb): DemoPageDoc[] {
  const index = indexWeb(web.truth);
  const docs: DemoPageDoc[] = [];
  for (const page of web.truth.pages) {
    const site = index.sitesById.get(page.site);
    if (!site || !CRAWLED.has(site.type) || page.disallowed) continue;
    const url = `http://${page.host}${page.path}`;
    const html = renderPage({ index, port: 80, origin: `http://${page.host}` }, site, page);
    const extracted = extractPage(html, url, { classifyAds: false });
    docs.push({
      id: `${page.host}${page.path}`,
      url,
      host: page.host,
      registered_domain: registeredDomain(page.host),
      title: extracted.title,
      text: extracted.text,
    });
  }
  return docs;
}
