import { currencyOf, priceTruth, shopPrice } from './money.js';
import { basePage, type PageContext } from './page-parts.js';
import { Rng } from './prng.js';
import type { Lang, PageTruth, SiteTruth, ViolationTruth, ViolationType } from './types.js';
import { ABSOLUTE_CLAIMS, HEALTH_CLAIMS, LOWEST_PRICE_CLAIM } from './vocab/claims.js';
import { LABELS } from './vocab/labels.js';
import {
  HEALTH_THEMES,
  PRODUCT_BRANDS,
  themeWords,
  type CategoryWord,
  type ThemeWords,
} from './vocab/themes.js';

/** Shares of product pages carrying each seeded violation (the brand's own pages carry none). */
export const VIOLATION_SHARES = { absolute: 0.12, health: 0.15, misleading: 0.07 } as const;
/** Fixed pages of every shop; categories and products fill the rest of `pages`. */
export const SHOP_FIXED_PAGES = 4;

interface ViolationDraw {
  claim: string | null;
  violations: ViolationTruth[];
  original: number | null;
}

function claimSeparator(lang: Lang): string {
  return lang === 'en' ? '. ' : '，';
}

function drawViolations(rng: Rng, site: SiteTruth, value: number): ViolationDraw {
  const lang = site.lang;
  const parts: string[] = [];
  const found = new Map<ViolationType, string[]>();
  const add = (type: ViolationType, term: string | null, phrase: string | null): void => {
    const terms = found.get(type) ?? [];
    if (term && !terms.includes(term)) terms.push(term);
    found.set(type, terms);
    if (phrase) parts.push(phrase);
  };
  const seeded = site.type !== 'brand';
  if (seeded && rng.chance(VIOLATION_SHARES.absolute)) {
    for (const claim of rng.sample(ABSOLUTE_CLAIMS[lang], rng.int(1, 2))) {
      add('ad_law_absolute', claim.term, rng.pick(claim.phrases));
    }
  }
  if (seeded && site.theme && HEALTH_THEMES.has(site.theme) && rng.chance(VIOLATION_SHARES.health)) {
    const claim = rng.pick(HEALTH_CLAIMS[lang]);
    add('false_health_claim', claim.term, rng.pick(claim.phrases));
  }
  let original: number | null = null;
  if (seeded && rng.chance(VIOLATION_SHARES.misleading)) {
    original = Math.round(value * rng.int(5, 10));
    const lowest = LOWEST_PRICE_CLAIM[lang];
    if (rng.chance(0.5)) {
      add('misleading_price', lowest.phrase, lowest.phrase);
      if (lowest.absoluteTerm) add('ad_law_absolute', lowest.absoluteTerm, null);
    } else {
      add('misleading_price', null, null);
    }
  } else if (rng.chance(0.3)) {
    original = Math.round(value * (1.2 + rng.float() * 0.3));
  }
  const violations = [...found].map(([type, terms]) => ({ type, terms }));
  return { claim: parts.length > 0 ? parts.join(claimSeparator(lang)) : null, violations, original };
}

function productName(rng: Rng, lang: Lang, words: ThemeWords, category: CategoryWord): string {
  const brand = rng.pick(PRODUCT_BRANDS[lang]);
  const modifier = rng.pick(words.modifiers);
  const spec = rng.pick(words.specs);
  if (lang === 'en') return `${brand} ${modifier} ${category.name}, ${spec}`;
  return `${brand}${modifier}${category.name} ${spec}`;
}

function productPage(
  ctx: PageContext,
  site: SiteTruth,
  no: number,
  category: CategoryWord,
  words: ThemeWords,
) {
  const rng = Rng.derive(ctx.seed, 'product', site.id, no);
  const name = productName(rng, site.lang, words, category);
  const value = shopPrice(rng.int(words.price[0], words.price[1]), rng.float(), currencyOf(site).currency);
  const draw = drawViolations(rng, site, value);
  return basePage(ctx, site, {
    relPath: `/product/${no}`,
    kind: 'product',
    title: `${name} - ${site.name}`,
    product: { no, name, category: category.slug },
    claim: draw.claim,
    violations: draw.violations,
    prices: [priceTruth(value, draw.original, site)],
  });
}

/** Category pages list their products' prices; filled once the products exist. */
export function fillCategoryPrices(site: SiteTruth, pages: PageTruth[]): void {
  for (const page of pages) {
    if (page.kind !== 'category') continue;
    page.prices = pages
      .filter((p) => p.kind === 'product' && p.product?.category === page.category)
      .map((p) => priceTruth(p.prices[0]?.value ?? 0, null, site));
  }
}

/** Home, about, cart, admin login, `round(pages / 20)` categories (1–10), products for the rest. */
export function buildShopPages(ctx: PageContext, site: SiteTruth): PageTruth[] {
  if (!site.theme) throw new RangeError(`Shop ${site.id} has no theme`);
  const words = themeWords(site.lang, site.theme);
  const labels = LABELS[site.lang];
  const rng = Rng.derive(ctx.seed, 'catalog', site.id);
  const nCategories = Math.min(words.categories.length, Math.max(1, Math.round(ctx.pagesPerSite / 20)));
  const categories = rng.sample(words.categories, nCategories);
  const pages: PageTruth[] = [
    basePage(ctx, site, { relPath: '/', kind: 'home', title: site.name }),
    basePage(ctx, site, { relPath: '/about', kind: 'about', title: `${labels.about} - ${site.name}` }),
    basePage(ctx, site, { relPath: '/cart', kind: 'cart', title: `${labels.cart} - ${site.name}` }),
    basePage(ctx, site, {
      relPath: '/admin/login',
      kind: 'admin',
      title: `${labels.merchantLogin} - ${site.name}`,
    }),
  ];
  for (const category of categories) {
    pages.push(
      basePage(ctx, site, {
        relPath: `/category/${category.slug}`,
        kind: 'category',
        title: `${category.name} - ${site.name}`,
        category: category.slug,
      }),
    );
  }
  const category0: CategoryWord = categories[0] ?? { slug: 'all', name: labels.categories };
  const nProducts = ctx.pagesPerSite - SHOP_FIXED_PAGES - nCategories;
  for (let no = 1; no <= nProducts; no++) {
    pages.push(productPage(ctx, site, no, categories[(no - 1) % nCategories] ?? category0, words));
  }
  fillCategoryPrices(site, pages);
  return pages;
}

/**
 * A lookalike copies the brand's pages (same names, same text) under its own host and
 * operator, with prices cut; half its products show the brand's price as a fake 原价.
 */
export function buildLookalikePages(ctx: PageContext, site: SiteTruth, brandPages: PageTruth[]): PageTruth[] {
  const pages = brandPages.map((brandPage) => {
    const relPath = brandPage.path;
    const common = {
      relPath,
      kind: brandPage.kind,
      category: brandPage.category,
      product: brandPage.product,
    };
    const title = brandPage.title.replace(/ - [^-]+$/, ` - ${site.name}`);
    if (brandPage.kind !== 'product')
      return basePage(ctx, site, { ...common, title: brandPage.kind === 'home' ? site.name : title });
    const rng = Rng.derive(ctx.seed, 'lookalike', site.id, relPath);
    const brandValue = brandPage.prices[0]?.value ?? 0;
    const fake = rng.chance(0.5);
    const value = Math.max(1, Math.round(brandValue * (fake ? 0.2 : 0.6)));
    const violations: ViolationTruth[] = brandPage.violations.map((v) => ({ ...v, terms: [...v.terms] }));
    if (fake) violations.push({ type: 'misleading_price', terms: [] });
    return basePage(ctx, site, {
      ...common,
      title,
      claim: brandPage.claim,
      violations,
      prices: [priceTruth(value, fake ? brandValue : null, site)],
    });
  });
  fillCategoryPrices(site, pages);
  return pages;
}
