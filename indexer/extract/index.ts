/**
 * Extract stage: one HTML page in, everything the index and match stages need out (title, text,
 * links, identifiers, prices, ads). Pure and synchronous: no network, no clock. Malformed HTML never
 * throws; each part returns what it can.
 */
import { createHash } from 'node:crypto';
import { load } from 'cheerio/slim';
import { config } from '../../core/config.js';
import { ValidationError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { detectAds } from './ads.js';
import { type Element, type ElementIndex, indexElements, tagged } from './dom.js';
import { type DocumentFacts, baseUrlOf, documentFacts } from './document.js';
import { extractIdentifiers } from './identifiers.js';
import { extractLinks } from './links.js';
import { extractPrices } from './prices.js';
import type { ExtractOptions, ExtractedIdentifiers, ExtractedPage } from './types.js';
import { resolveHttpUrl } from './url.js';
import { visibleBlocks } from './visible-text.js';

export type * from './types.js';
export { isValidUscc } from './uscc.js';
export { registeredDomain } from './url.js';
export { classifyAd, warmUpAdClassifier } from './ad-classifier.js';
export { extractIdentifiers } from './identifiers.js';

const defaultMaxFooterChars = 20_000;

const noIdentifiers: ExtractedIdentifiers = {
  uscc: [],
  usccInvalid: [],
  icp: [],
  licences: [],
  phones: [],
  emails: [],
};

function emptyFacts(pageUrl: string): DocumentFacts {
  return {
    title: '',
    description: '',
    canonicalUrl: null,
    baseUrl: pageUrl,
    lang: 'other',
    langSource: 'detected',
    text: '',
    footerText: '',
    textTruncated: false,
  };
}

/** Runs one part of the extraction; a bug in it costs that part, not the page. */
function part<T>(name: string, url: string, run: () => T, fallback: T): T {
  try {
    return run();
  } catch (error) {
    logger('extract').warn({ err: error, url, part: name }, 'extract part failed; page kept without it');
    return fallback;
  }
}

function validate(html: unknown, url: unknown): string {
  if (typeof html !== 'string') {
    throw new ValidationError(
      'extractPage needs the decoded HTML as a string',
      { got: typeof html },
      'EXTRACT_BAD_INPUT',
    );
  }
  const absolute = typeof url === 'string' ? resolveHttpUrl(url, 'http://invalid.invalid/') : null;
  if (typeof url !== 'string' || absolute === null || !/^https?:\/\//i.test(url.trim())) {
    throw new ValidationError(
      'extractPage needs the absolute http(s) URL of the page',
      { url },
      'EXTRACT_BAD_URL',
    );
  }
  return absolute;
}

/** Text the identifier patterns read: title, main and footer text, and mailto:/tel: targets. */
function identifierText(index: ElementIndex, parts: string[]): string {
  const targets: string[] = [];
  for (const el of tagged(index, 'a')) {
    const href = el.attribs.href ?? '';
    if (!/^\s*(mailto|tel):/i.test(href)) continue;
    const target = href.replace(/^\s*(mailto|tel):/i, '').split('?')[0] ?? '';
    try {
      targets.push(decodeURIComponent(target));
    } catch {
      targets.push(target);
    }
  }
  return [...parts, ...targets].join('\n');
}

/**
 * Extracts a page. `url` is the final URL the HTML came from (after redirects).
 * @throws ValidationError (`EXTRACT_BAD_INPUT`, `EXTRACT_BAD_URL`) when `html` is not a string or
 * `url` is not an absolute http(s) URL; never for bad HTML.
 */
export function extractPage(html: string, url: string, options: ExtractOptions = {}): ExtractedPage {
  const pageUrl = validate(html, url);
  const maxTextChars = options.maxTextChars ?? config().EXTRACT_MAX_TEXT_CHARS;
  const maxFooterChars = options.maxFooterChars ?? defaultMaxFooterChars;
  // htmlparser2 (cheerio/slim), not parse5: parse5 goes quadratic on deeply nested unclosed tags.
  const root = part('parse', pageUrl, () => load(html).root()[0], load('').root()[0]) as unknown as Element;
  const index = indexElements(root);
  const baseUrl = baseUrlOf(index, pageUrl);

  const ads = part(
    'ads',
    pageUrl,
    () => detectAds(root, { pageUrl, baseUrl, classify: options.classifyAds ?? true }),
    {
      ads: [],
      adElements: new Set<Element>(),
      networks: [],
    },
  );
  const visible = part(
    'text',
    pageUrl,
    // Collect a little more than kept: joining and trimming happen after.
    () => visibleBlocks(root, { skip: ads.adElements, maxMainChars: maxTextChars + 1000, maxFooterChars }),
    { blocks: [], mainTruncated: false },
  );
  const doc = part(
    'document',
    pageUrl,
    () =>
      documentFacts(index, pageUrl, visible.blocks, {
        maxTextChars,
        maxFooterChars,
        walkerTruncated: visible.mainTruncated,
      }),
    emptyFacts(pageUrl),
  );
  const identifiers = part(
    'identifiers',
    pageUrl,
    () => extractIdentifiers(identifierText(index, [doc.title, doc.text, doc.footerText])),
    noIdentifiers,
  );
  return {
    url: pageUrl,
    title: doc.title,
    description: doc.description,
    canonicalUrl: doc.canonicalUrl,
    lang: doc.lang,
    langSource: doc.langSource,
    text: doc.text,
    footerText: doc.footerText,
    textTruncated: doc.textTruncated,
    links: part('links', pageUrl, () => extractLinks(root, { baseUrl, pageUrl }), []),
    identifiers,
    prices: part('prices', pageUrl, () => extractPrices(index, visible.blocks), []),
    ads: ads.ads,
    adNetworks: ads.networks,
  };
}

/**
 * sha256 (hex) of the page's title and main text with all whitespace removed and NFKC applied:
 * stable across re-indentation and ad rotation (ads are not in `text`), for change detection.
 */
export function contentHash(page: Pick<ExtractedPage, 'title' | 'text'>): string {
  const normal = (value: string): string => value.normalize('NFKC').replace(/[\s\u200b]+/g, '');
  return createHash('sha256')
    .update(`${normal(page.title)}\n${normal(page.text)}`)
    .digest('hex');
}
