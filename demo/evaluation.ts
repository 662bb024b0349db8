/**
 * Scores what Argus indexed against the demo web's ground truth: ad detection and identifier
 * extraction, as precision and recall. Used by the pipeline tests and `npm run bench:crawl`.
 */
import type { GroundTruth, IdentifierType } from './types.js';

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

/** An indexed ad document, as far as scoring needs it. */
export interface IndexedAd {
  id: string;
  landing_url?: string;
  creative_text?: string;
}

/** An indexed page document, as far as scoring needs it. */
export interface IndexedPage {
  url: string;
  identifiers?: Partial<Record<'uscc' | 'uscc_invalid' | 'icp' | 'licence' | 'phones' | 'emails', string[]>>;
}

function score(tp: number, fp: number, fn: number): Score {
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}

/** `host/path` without port, scheme or query: how an ad's landing page is recognised. */
function landingKey(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

function pageKey(url: string): string | undefined {
  return landingKey(url);
}

/**
 * Ads, per distinct creative: the truth is every creative shown on at least one page that was indexed;
 * an indexed ad is right when its landing page is one of theirs. A detected non-ad (a friend link, a
 * licence badge) or an ad whose landing page was not resolved counts against precision.
 */
export function scoreAds(
  truth: GroundTruth,
  indexedPages: readonly IndexedPage[],
  ads: readonly IndexedAd[],
): Score {
  const crawled = new Set(indexedPages.map((p) => pageKey(p.url)));
  const shownIds = new Set(
    truth.pages.filter((p) => crawled.has(`${p.host}${p.path}`)).flatMap((p) => p.ads),
  );
  const expected = new Set(
    truth.ads.filter((a) => shownIds.has(a.id)).map((a) => `${a.landing_host}${a.landing_path}`),
  );
  const found = new Set<string>();
  let falsePositives = 0;
  for (const ad of ads) {
    const key = ad.landing_url ? landingKey(ad.landing_url) : undefined;
    if (key && expected.has(key)) found.add(key);
    else falsePositives += 1;
  }
  return score(found.size, falsePositives, expected.size - found.size);
}

const IDENTIFIER_FIELDS: Partial<
  Record<IdentifierType, ReadonlyArray<keyof NonNullable<IndexedPage['identifiers']>>>
> = {
  uscc: ['uscc', 'uscc_invalid'],
  icp: ['icp'],
  licence: ['licence'],
  phone: ['phones'],
  email: ['emails'],
};

/**
 * Upper case without spaces, dashes, dots or brackets, traditional 備/號 read as 备/号 (a zh-TW
 * site's ICP filing): the identifier normalizer's idea of equal.
 */
export function normaliseIdentifier(value: string): string {
  return value
    .toUpperCase()
    .replace(/[\s\-–—()（）[\]【】.]/g, '')
    .replace(/備/g, '备')
    .replace(/號/g, '号');
}

/**
 * A phone in its national form, as extraction stores it: digits only, and `+86 571 8123 4567` (or
 * 0086…) is the landline 057181234567, `+86 138…` the mobile 138….
 */
export function normalisePhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const international = /^\s*(?:\+|00)86/.test(value);
  if (!international) return digits;
  const national = digits.slice(digits.startsWith('0086') ? 4 : 2);
  return /^1\d{10}$/.test(national) ? national : `0${national}`;
}

/** Identifiers per page and kind (USCC valid or not, ICP, licence numbers, phones, emails). */
export function scoreIdentifiers(
  truth: GroundTruth,
  indexedPages: readonly IndexedPage[],
): Score & { byType: Record<string, Score> } {
  const truthByPage = new Map(truth.pages.map((p) => [`${p.host}${p.path}`, p]));
  const counts = new Map<string, [number, number, number]>();
  for (const page of indexedPages) {
    const key = pageKey(page.url);
    const truthPage = key ? truthByPage.get(key) : undefined;
    if (!truthPage) continue;
    for (const [type, fields] of Object.entries(IDENTIFIER_FIELDS)) {
      const normalise = type === 'phone' ? normalisePhone : normaliseIdentifier;
      const expected = new Set(
        truthPage.identifiers.filter((i) => i.type === type).map((i) => normalise(i.value)),
      );
      const found = new Set(fields.flatMap((f) => page.identifiers?.[f] ?? []).map(normalise));
      const tp = [...found].filter((v) => expected.has(v)).length;
      const c = counts.get(type) ?? [0, 0, 0];
      counts.set(type, [c[0] + tp, c[1] + found.size - tp, c[2] + expected.size - tp]);
    }
  }
  const byType = Object.fromEntries([...counts].map(([type, [tp, fp, fn]]) => [type, score(tp, fp, fn)]));
  const total = [...counts.values()].reduce((a, c) => [a[0] + c[0], a[1] + c[1], a[2] + c[2]], [0, 0, 0]);
  return { ...score(total[0], total[1], total[2]), byType };
}
