/** Page-level facts: title, description, canonical URL, base URL, language, main and footer text. */
import { type ElementIndex, collapseWhitespace, metaContent, rawText, tagged } from './dom.js';
import type { PageLanguage } from './types.js';
import { resolveHttpUrl } from './url.js';
import { type TextBlock, joinBlocks } from './visible-text.js';

export interface DocumentFacts {
  title: string;
  description: string;
  canonicalUrl: string | null;
  /** URL relative links resolve against: `<base href>` if valid, else the page URL. */
  baseUrl: string;
  lang: PageLanguage;
  langSource: 'attribute' | 'detected';
  text: string;
  footerText: string;
  textTruncated: boolean;
}

/** Options of `documentFacts`. */
export interface DocumentOptions {
  maxTextChars: number;
  maxFooterChars: number;
  /** The walker stopped collecting main text early (so the text is cut even if short enough here). */
  walkerTruncated: boolean;
}

const maxTitleChars = 1000;
const maxDescriptionChars = 2000;

export function documentFacts(
  index: ElementIndex,
  url: string,
  blocks: readonly TextBlock[],
  options: DocumentOptions,
): DocumentFacts {
  const baseUrl = baseUrlOf(index, url);
  const main = joinBlocks(
    blocks.filter((block) => !block.footer),
    options.maxTextChars,
  );
  const footer = joinBlocks(
    blocks.filter((block) => block.footer),
    options.maxFooterChars,
  );
  const title = pageTitle(index);
  const language = pageLanguage(index, `${title}\n${main.text.slice(0, 20_000)}`);
  const canonical = tagged(index, 'link').find(
    (el) => el.attribs.href !== undefined && /(?:^|\s)canonical(?:\s|$)/i.test(el.attribs.rel ?? ''),
  );
  return {
    title,
    description: metaContent(index, ['description', 'og:description', 'twitter:description']).slice(
      0,
      maxDescriptionChars,
    ),
    canonicalUrl: resolveHttpUrl(canonical?.attribs.href, baseUrl),
    baseUrl,
    lang: language.lang,
    langSource: language.source,
    text: main.text,
    footerText: footer.text,
    textTruncated: main.truncated || options.walkerTruncated,
  };
}

/** `<base href>` resolved against the page URL, else the page URL. */
export function baseUrlOf(index: ElementIndex, url: string): string {
  const base = tagged(index, 'base').find((el) => el.attribs.href !== undefined);
  return resolveHttpUrl(base?.attribs.href, url) ?? url;
}

function pageTitle(index: ElementIndex): string {
  const first = (name: string): string => {
    const el = tagged(index, name)[0];
    return el === undefined ? '' : collapseWhitespace(rawText(el));
  };
  const title = first('title') || metaContent(index, ['og:title', 'twitter:title']) || first('h1');
  return title.slice(0, maxTitleChars);
}

/**
 * Language from `<html lang>` (primary subtag), else detected. An attribute of `en` on a page whose
 * text is plainly Chinese is a template default, not a statement: detection wins then.
 */
function pageLanguage(
  index: ElementIndex,
  sample: string,
): { lang: PageLanguage; source: 'attribute' | 'detected' } {
  const contentLanguage = tagged(index, 'meta').find(
    (el) => el.attribs['http-equiv']?.toLowerCase() === 'content-language',
  );
  const raw = tagged(index, 'html')[0]?.attribs.lang ?? contentLanguage?.attribs.content ?? '';
  const primary = /^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*\s*$/.exec(raw)?.[1]?.toLowerCase();
  const detected = detectLanguage(sample);
  if (primary === undefined) return { lang: detected.lang, source: 'detected' };
  const contradicts =
    detected.confident && detected.lang !== primary && (primary === 'en' || primary === 'zh');
  return contradicts ? { lang: detected.lang, source: 'detected' } : { lang: primary, source: 'attribute' };
}

/**
 * `zh` when Han characters make up at least a fifth of Han + Latin letters (a Han character carries
 * about a word, a Latin word about five letters), `en` when Latin letters dominate, else `other`
 * (kana, Hangul, Cyrillic… or too little text). Confident when enough text was seen (20 Han
 * characters or 60 letters).
 */
export function detectLanguage(text: string): { lang: 'zh' | 'en' | 'other'; confident: boolean } {
  // Whole-text counts (one regex pass each) instead of a test per letter: pages run to many KB.
  const letters = countOf(text, /\p{L}/gu);
  const han = countOf(text, /(?=\p{L})\p{Script=Han}/gu);
  const latin = countOf(text, /(?=\p{L})[a-zA-Z\u00c0-\u024f]/gu);
  const otherLetters = letters - han - latin;
  if (letters < 10) return { lang: 'other', confident: false };
  // A Han character says about as much as a short Latin word.
  const confident = han * 3 + latin + otherLetters >= 60;
  if (otherLetters > (han + latin) * 0.3) return { lang: 'other', confident };
  if (han >= 5 && han / (han + latin) >= 0.2) return { lang: 'zh', confident };
  if (latin / letters >= 0.5) return { lang: 'en', confident };
  return { lang: 'other', confident };
}

function countOf(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
