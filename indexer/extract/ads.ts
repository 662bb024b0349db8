/**
 * Ads on a page: candidates are links, iframes and slot images; each is scored by the documented
 * rules of ad-rules.ts, grouped per ad slot and landing URL, and classified into a category.
 */
import { createHash } from 'node:crypto';
import {
  type Creative,
  type CreativeContext,
  frameCreative,
  imageCreative,
  linkCreative,
  unitText,
} from './ad-creatives.js';
import { classifyAd } from './ad-classifier.js';
import { AD_THRESHOLD, type AdSignal, onSiteSignals, scoreOf } from './ad-rules.js';
import { findAdScopes } from './ad-scopes.js';
import { type AnyNode, type Element, ancestors, collapseWhitespace, findAll } from './dom.js';
import type { AdSlot, ExtractedAd } from './types.js';
import { hostOf, registeredDomain } from './url.js';

/** Options of `detectAds`. */
export interface AdOptions {
  pageUrl: string;
  baseUrl: string;
  /** Classify creatives (trains the classifier on first use). @default true */
  classify?: boolean;
  /** Most candidate creatives examined; the rest of a huge page is ignored. @default 5000 */
  maxCandidates?: number;
}

export interface AdDetection {
  ads: ExtractedAd[];
  /** Ad slots, to leave out of the page's main text (so ad rotation does not change its hash). */
  adElements: Set<Element>;
  /** Networks the page loads, with or without a creative in the HTML. */
  networks: string[];
}

const volatileParams =
  /^(utm_.*|spm|scm|gclid|fbclid|msclkid|from|ref|ref_url|referrer|source|_t|t|ts|timestamp|rnd|random|rand|cb|cachebuster|correlator|ord|pvid|clickid|click_id|page|pageurl|pos|position)$/i;

/** Parameters of a creative's source (iframe, image) that describe the page showing it, not the creative. */
const placementParams =
  /^(pub|publisher|pubid|site|host|domain|url|u|page_url|slot|slotname|slot_id|slotid|placement|w|h|size|format)$/i;

/**
 * URL without tracking and cache-busting parameters (and, for a creative source, placement
 * parameters), sorted, so one creative has one id across pages.
 */
export function stableUrl(url: string | null, source = false): string {
  if (url === null) return '';
  try {
    const parsed = new URL(url);
    const kept = [...parsed.searchParams].filter(
      ([name]) => !volatileParams.test(name) && !(source && placementParams.test(name)),
    );
    kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    parsed.search = new URLSearchParams(kept).toString();
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url;
  }
}

/** sha256 (hex, first 32) of normalised creative text + creative source + landing URL. */
export function adId(creativeText: string, source: string | null, landingUrl: string | null): string {
  const text = collapseWhitespace(creativeText.normalize('NFKC').toLowerCase());
  const material = `${text}\n${stableUrl(source, true)}\n${stableUrl(landingUrl)}`;
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

function candidates(root: AnyNode, ctx: CreativeContext, max: number): Creative[] {
  const found: Creative[] = [];
  const elements = findAll(root, (el) => {
    if ((el.name === 'a' || el.name === 'area') && el.attribs.href !== undefined) return true;
    if (el.name === 'iframe') return true;
    return el.name === 'img' && !ancestors(el, 8).some((up) => up.name === 'a');
  });
  for (const el of elements.slice(0, max)) {
    const creative =
      el.name === 'iframe'
        ? frameCreative(el, ctx)
        : el.name === 'img'
          ? imageCreative(el, ctx)
          : linkCreative(el, ctx);
    if (creative) found.push(creative);
  }
  return found;
}

/** Merges the creatives of one slot that share a landing (an image link and a title link are one ad). */
function groupBySlot(creatives: Creative[]): Creative[][] {
  const slots = new Map<Element, Map<string, Creative[]>>();
  for (const creative of creatives) {
    const key = creative.landingUrl ?? creative.frameSrc ?? creative.imageSrc ?? '';
    const slot = slots.get(creative.unit) ?? new Map<string, Creative[]>();
    slot.set(key, [...(slot.get(key) ?? []), creative]);
    slots.set(creative.unit, slot);
  }
  const groups: Creative[][] = [];
  for (const slot of slots.values()) {
    const linked = [...slot.values()].filter((group) => group.some((c) => c.kind !== 'image'));
    // Images without a link in a slot that has linked creatives are part of those creatives.
    groups.push(...(linked.length > 0 ? linked : [...slot.values()]));
  }
  return groups;
}

function merge(group: Creative[]): Creative {
  const first = group[0] as Creative;
  const signals = new Set<AdSignal>();
  const texts: string[] = [];
  for (const creative of group) {
    for (const signal of creative.signals) signals.add(signal);
    if (creative.text !== '' && !texts.includes(creative.text)) texts.push(creative.text);
  }
  const pick = <K extends keyof Creative>(key: K): Creative[K] =>
    group.find((creative) => creative[key] !== null)?.[key] ?? first[key];
  return {
    ...first,
    signals,
    text: texts.join(' '),
    network: pick('network'),
    imageSrc: pick('imageSrc'),
    imageAlt: pick('imageAlt'),
    frameSrc: pick('frameSrc'),
    clickUrl: pick('clickUrl'),
  };
}

function slotOf(creative: Creative): AdSlot {
  if (creative.kind === 'iframe') return 'iframe';
  if (creative.signals.has('popup')) return 'popup';
  if (creative.signals.has('rel-sponsored') || creative.signals.has('sponsored-label')) return 'sponsored';
  return creative.imageSrc !== null ? 'banner' : 'text';
}

function isAd(creative: Creative, pageDomain: string): boolean {
  const onSite = creative.landingDomain === null || creative.landingDomain === pageDomain;
  if (onSite && creative.kind !== 'iframe' && !onSiteSignals.some((signal) => creative.signals.has(signal))) {
    return false;
  }
  return scoreOf(creative.signals) >= AD_THRESHOLD;
}

function toAd(creative: Creative, text: string, classify: boolean): ExtractedAd {
  const signals = [...creative.signals].sort();
  const category = classify
    ? classifyAd(`${text} ${creative.imageAlt ?? ''}`)
    : { category: 'other' as const, confidence: 0 };
  const ad: ExtractedAd = {
    id: adId(text, creative.imageSrc ?? creative.frameSrc, creative.landingUrl),
    creativeText: text,
    imageAlt: creative.imageAlt,
    imageSrc: creative.imageSrc,
    frameSrc: creative.frameSrc,
    landingUrl: creative.landingUrl,
    clickUrl: creative.clickUrl,
    landingDomain: creative.landingDomain,
    slot: slotOf(creative),
    signals,
    score: scoreOf(creative.signals),
    category: category.category,
    categoryConfidence: category.confidence,
  };
  if (creative.network !== null) ad.adNetwork = creative.network;
  return ad;
}

/** Finds the ads of a parsed page. Pure: no network, no clock. */
export function detectAds(root: AnyNode, options: AdOptions): AdDetection {
  const pageDomain = registeredDomain(hostOf(options.pageUrl));
  const scopes = findAdScopes(root, options.baseUrl);
  const ctx: CreativeContext = { baseUrl: options.baseUrl, pageDomain, scopes };
  const groups = groupBySlot(candidates(root, ctx, options.maxCandidates ?? 5000));
  const perUnit = new Map<Element, number>();
  for (const group of groups)
    perUnit.set((group[0] as Creative).unit, (perUnit.get((group[0] as Creative).unit) ?? 0) + 1);

  const ads = new Map<string, ExtractedAd>();
  const adElements = new Set<Element>();
  const networks = new Set(scopes.pageNetworks);
  for (const group of groups) {
    const creative = merge(group);
    if (!isAd(creative, pageDomain)) continue;
    const alone = perUnit.get(creative.unit) === 1 && creative.unit.name !== 'a';
    const slotText = alone ? unitText(creative.unit, scopes) : '';
    const text = slotText || creative.text;
    const ad = toAd(creative, text, options.classify ?? true);
    if (!ads.has(ad.id)) ads.set(ad.id, ad);
    adElements.add(creative.unit);
    if (ad.adNetwork !== undefined) networks.add(ad.adNetwork);
  }
  return { ads: [...ads.values()], adElements, networks: [...networks].sort() };
}
