import { Rng } from './prng.js';
import type {
  AdTruth,
  IdentifierTruth,
  IdentifierType,
  PageKind,
  PageTruth,
  SiteTruth,
  SlotKind,
  ViolationTruth,
} from './types.js';

/** What page builders share: the seed, the creative pools and the site's platform. */
export interface PageContext {
  seed: number;
  pagesPerSite: number;
  pools: ReadonlyMap<string, AdTruth[]>;
  platformOf(site: SiteTruth): SiteTruth | null;
}

const ALL_IDENTIFIERS: IdentifierType[] = ['uscc', 'icp', 'licence', 'phone', 'email', 'badge'];

/** Slots each page kind offers, in page order; the site's `ad_slots` decide which are used. */
const SLOTS_BY_KIND: Partial<Record<PageKind, SlotKind[]>> = {
  home: ['banner', 'popup', 'script'],
  category: ['sponsored_listing', 'sponsored_listing', 'iframe'],
  product: ['banner', 'iframe', 'script'],
  directory: ['banner', 'sponsored_listing'],
};

/** Kinds of page that show prices (a missing licence matters there). */
export const PRICED_KINDS: ReadonlySet<PageKind> = new Set(['home', 'category', 'product']);

function operatorIdentifiers(site: SiteTruth, types: readonly IdentifierType[]): IdentifierTruth[] {
  const op = site.operator;
  const out: IdentifierTruth[] = [];
  const add = (type: IdentifierType, value: string | null): void => {
    if (value) out.push({ type, value, owner: site.id });
  };
  for (const type of types) {
    if (type === 'uscc' && op.uscc)
      out.push({ type, value: op.uscc, owner: site.id, valid: op.uscc_valid === true });
    if (type === 'icp') add(type, op.icp);
    if (type === 'licence') for (const licence of op.licences) add(type, licence.number);
    if (type === 'phone') add(type, op.phone);
    if (type === 'email') add(type, op.email);
    if (type === 'badge') add(type, op.badge_url);
  }
  return out;
}

/** Identifiers a page shows: the footer's, everything on the about page, plus the platform's footer. */
export function pageIdentifiers(
  site: SiteTruth,
  kind: PageKind,
  platform: SiteTruth | null,
): IdentifierTruth[] {
  const own = operatorIdentifiers(site, kind === 'about' ? ALL_IDENTIFIERS : site.footer_shows);
  return platform ? [...own, ...operatorIdentifiers(platform, platform.footer_shows)] : own;
}

/** Creatives for a page's slots, drawn per page so the same page always shows the same ads. */
export function pickAds(ctx: PageContext, site: SiteTruth, kind: PageKind, path: string): string[] {
  const rng = Rng.derive(ctx.seed, 'ads', site.host, path);
  const chosen: string[] = [];
  for (const slot of SLOTS_BY_KIND[kind] ?? []) {
    if (!site.ad_slots.includes(slot) || !rng.chance(0.85)) continue;
    const lang = site.lang === 'zh-TW' ? 'zh-CN' : site.lang;
    const pool = (ctx.pools.get(`${lang}|${slot}`) ?? []).filter((ad) => !chosen.includes(ad.id));
    if (pool.length > 0) chosen.push(rng.pick(pool).id);
  }
  return chosen;
}

/** Path of a site page: the base path (path-hosted shops) plus the page path. */
export function sitePath(site: SiteTruth, path: string): string {
  return `${site.base_path}${path}`;
}

/** A page record with identifiers, ads and the site-level missing-licence violation filled in. */
export function basePage(
  ctx: PageContext,
  site: SiteTruth,
  fields: Pick<PageTruth, 'kind' | 'title'> & Partial<PageTruth> & { relPath: string },
): PageTruth {
  const path = sitePath(site, fields.relPath);
  const violations: ViolationTruth[] = [...(fields.violations ?? [])];
  if (site.violations.includes('missing_licence') && PRICED_KINDS.has(fields.kind)) {
    violations.push({ type: 'missing_licence', terms: [] });
  }
  return {
    host: site.host,
    path,
    site: site.id,
    kind: fields.kind,
    title: fields.title,
    product: fields.product ?? null,
    category: fields.category ?? null,
    claim: fields.claim ?? null,
    violations,
    identifiers: pageIdentifiers(site, fields.kind, ctx.platformOf(site)),
    prices: fields.prices ?? [],
    ads: pickAds(ctx, site, fields.kind, path),
    disallowed: false,
  };
}
