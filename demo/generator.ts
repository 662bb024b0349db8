import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { buildCreatives, creativePools } from './creatives.js';
import { buildNegatives } from './negatives.js';
import type { PageContext } from './page-parts.js';
import { markDisallowed } from './robots.js';
import { buildLookalikePages, buildShopPages, SHOP_FIXED_PAGES } from './shop-pages.js';
import { buildAdvertiserPages, buildLabPages, buildMallPages, buildServicePages } from './site-pages.js';
import { BRAND_HOST, buildBrandSites, buildPlatformSites, buildShops } from './sites.js';
import { labEndpoints, shopEndpoints } from './specials.js';
import type {
  AdTruth,
  GroundTruth,
  GroundTruthSummary,
  PageTruth,
  SiteTruth,
  ViolationType,
} from './types.js';

/** Options of the demo web generator. */
export interface DemoWebOptions {
  /** Seed of every random choice: same seed, same web. @default 42 */
  seed?: number;
  /** Number of shops (self-run and platform shops); the fixed sites come on top. @default 12 */
  sites?: number;
  /** Pages per shop (the brand and each lookalike have as many). Minimum 6. @default 30 */
  pages?: number;
  /** Number of ad creatives, reused across pages. Minimum 10. @default 40 */
  ads?: number;
}

/** A generated demo web: the ground truth (which is also the model the server renders). */
export interface DemoWeb {
  truth: GroundTruth;
}

const optionsSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  sites: z.number().int().min(1).max(500).default(12),
  pages: z
    .number()
    .int()
    .min(SHOP_FIXED_PAGES + 2)
    .max(5000)
    .default(30),
  ads: z.number().int().min(10).max(2000).default(40),
});

export function parseDemoWebOptions(options: DemoWebOptions): Required<DemoWebOptions> {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(
      `Bad demo web options: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
      'DEMO_OPTIONS_INVALID',
    );
  }
  return result.data;
}

function summarize(truth: Omit<GroundTruth, 'summary'>): GroundTruthSummary {
  const byViolation: Record<ViolationType, number> = {
    ad_law_absolute: 0,
    false_health_claim: 0,
    missing_licence: 0,
    misleading_price: 0,
  };
  for (const page of truth.pages) for (const v of page.violations) byViolation[v.type] += 1;
  return {
    sites: truth.sites.length,
    pages: truth.pages.length,
    ads: truth.ads.length,
    pages_with_violations: truth.pages.filter((p) => p.violations.length > 0).length,
    by_violation: byViolation,
    ads_with_violations: truth.ads.filter((a) => a.violations.length > 0).length,
    disallowed_pages: truth.pages.filter((p) => p.disallowed).length,
  };
}

function buildAllPages(ctx: PageContext, sites: SiteTruth[], ads: AdTruth[]): Map<string, PageTruth[]> {
  const bySite = new Map<string, PageTruth[]>();
  let brandPages: PageTruth[] = [];
  for (const site of sites) {
    let pages: PageTruth[];
    if (site.type === 'self_run' || site.type === 'platform_shop') pages = buildShopPages(ctx, site);
    else if (site.type === 'brand') pages = brandPages = buildShopPages(ctx, site);
    else if (site.type === 'lookalike') pages = buildLookalikePages(ctx, site, brandPages);
    else if (site.type === 'platform') pages = buildMallPages(ctx, site);
    else if (site.type === 'service_provider') pages = buildServicePages(ctx, site);
    else if (site.type === 'advertiser') pages = buildAdvertiserPages(ctx, site, ads);
    else pages = buildLabPages(ctx, site);
    site.page_count = pages.length;
    bySite.set(site.id, pages);
  }
  return bySite;
}

/** Generates the whole demo web from a seed; deterministic, no I/O. */
export function generateDemoWeb(options: DemoWebOptions = {}): DemoWeb {
  const opts = parseDemoWebOptions(options);
  const shops = buildShops(opts.seed, opts.sites);
  const [mall, ...others] = buildPlatformSites(opts.seed);
  if (!mall) throw new Error('platform sites missing the marketplace');
  // Brand before lookalikes: lookalike pages copy the brand's.
  const sites = [mall, ...shops, ...buildBrandSites(opts.seed), ...others];
  const byId = new Map(sites.map((s) => [s.id, s]));
  const byHost = new Map(sites.filter((s) => s.base_path === '').map((s) => [s.host, s]));
  const platformOf = (site: SiteTruth): SiteTruth | null =>
    site.platform_host ? (byHost.get(site.platform_host) ?? null) : null;
  const ads = buildCreatives(opts.seed, opts.ads);
  const ctx: PageContext = {
    seed: opts.seed,
    pagesPerSite: opts.pages,
    pools: creativePools(ads),
    platformOf,
  };
  const pagesBySite = buildAllPages(ctx, sites, ads);
  const pages = sites.flatMap((s) => pagesBySite.get(s.id) ?? []);
  markDisallowed(pages, (page) => {
    const site = byId.get(page.site);
    return site?.robots ? site : site ? platformOf(site) : null;
  });
  const shown = new Map<string, number>();
  for (const page of pages) for (const id of page.ads) shown.set(id, (shown.get(id) ?? 0) + 1);
  for (const ad of ads) ad.shown_on = shown.get(ad.id) ?? 0;
  const partial: Omit<GroundTruth, 'summary'> = {
    schema_version: 1,
    seed: opts.seed,
    options: { sites: opts.sites, pages: opts.pages, ads: opts.ads },
    brand_host: BRAND_HOST,
    sites,
    pages,
    ads,
    negatives: buildNegatives(opts.seed, sites, pagesBySite, platformOf),
    special_endpoints: [...labEndpoints(), ...shopEndpoints(shops)],
  };
  return { truth: { ...partial, summary: summarize(partial) } };
}
