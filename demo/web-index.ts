import type { AdTruth, EndpointTruth, GroundTruth, NegativeTruth, PageTruth, SiteTruth } from './types.js';
import { pageKey } from './urls.js';

/** Look-ups the server and renderers need, built once from the ground truth. */
export interface WebIndex {
  truth: GroundTruth;
  sitesById: Map<string, SiteTruth>;
  /** Sites owning a whole host (base path ''). */
  siteByHost: Map<string, SiteTruth>;
  /** Shops under a platform path, by `host + base_path`. */
  siteByBase: Map<string, SiteTruth>;
  pageByKey: Map<string, PageTruth>;
  pagesBySite: Map<string, PageTruth[]>;
  productsByCategory: Map<string, PageTruth[]>;
  adsById: Map<string, AdTruth>;
  negativesBySite: Map<string, NegativeTruth[]>;
  endpointsBySite: Map<string, EndpointTruth[]>;
}

function group<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export function indexWeb(truth: GroundTruth): WebIndex {
  const products = truth.pages.filter((p) => p.kind === 'product' && p.product);
  return {
    truth,
    sitesById: new Map(truth.sites.map((s) => [s.id, s])),
    siteByHost: new Map(truth.sites.filter((s) => s.base_path === '').map((s) => [s.host, s])),
    siteByBase: new Map(
      truth.sites.filter((s) => s.base_path !== '').map((s) => [`${s.host}${s.base_path}`, s]),
    ),
    pageByKey: new Map(truth.pages.map((p) => [pageKey(p.host, p.path), p])),
    pagesBySite: group(truth.pages, (p) => p.site),
    productsByCategory: group(products, (p) => `${p.site}|${p.product?.category ?? ''}`),
    adsById: new Map(truth.ads.map((a) => [a.id, a])),
    negativesBySite: group(truth.negatives, (n) => n.site),
    endpointsBySite: group(truth.special_endpoints, (e) => e.site),
  };
}

/** The site a request path belongs to: a path-hosted shop when the path is under its base. */
export function siteForRequest(index: WebIndex, host: string, path: string): SiteTruth | undefined {
  const store = /^\/store\/[^/]+/.exec(path);
  if (store) {
    const shop = index.siteByBase.get(`${host}${store[0]}`);
    if (shop) return shop;
  }
  return index.siteByHost.get(host);
}

export function platformOf(index: WebIndex, site: SiteTruth): SiteTruth | null {
  return site.platform_host ? (index.siteByHost.get(site.platform_host) ?? null) : null;
}
