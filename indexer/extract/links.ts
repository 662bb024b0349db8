/** Outlinks: absolute http(s), fragment dropped, with anchor text, rel flags and internal/external. */
import { type AnyNode, type Element, findAll, textOf } from './dom.js';
import type { ExtractedLink, LinkRel } from './types.js';
import { hostOf, registeredDomain, resolveHttpUrl } from './url.js';

/** Options of `extractLinks`. */
export interface LinkOptions {
  /** URL relative hrefs resolve against (`<base href>` or the page URL). */
  baseUrl: string;
  /** URL of the page, whose registered domain decides what is internal. */
  pageUrl: string;
  /** Most links kept (the rest is dropped, in document order). @default 5000 */
  maxLinks?: number;
}

const knownRels: readonly LinkRel[] = ['nofollow', 'sponsored', 'ugc'];

/** The link's rel flags that matter: nofollow, sponsored, ugc. */
export function linkRels(el: Element): LinkRel[] {
  const tokens = (el.attribs.rel ?? '').toLowerCase().split(/\s+/);
  return knownRels.filter((rel) => tokens.includes(rel));
}

/** Visible anchor text, else the alt or title of an image inside, else the link's title. */
export function anchorText(el: Element): string {
  const text = textOf(el, 500);
  if (text !== '') return text;
  const image = findAll(el, (child) => child.name === 'img')[0];
  const alt =
    image?.attribs.alt ?? image?.attribs.title ?? el.attribs.title ?? el.attribs['aria-label'] ?? '';
  return alt.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** One entry per distinct URL (first anchor text that is not empty, rel flags merged). */
export function extractLinks(root: AnyNode, options: LinkOptions): ExtractedLink[] {
  const pageDomain = registeredDomain(hostOf(options.pageUrl));
  const maxLinks = options.maxLinks ?? 5000;
  const byUrl = new Map<string, ExtractedLink>();
  for (const el of findAll(
    root,
    (e) => (e.name === 'a' || e.name === 'area') && e.attribs.href !== undefined,
  )) {
    const url = resolveHttpUrl(el.attribs.href, options.baseUrl);
    if (url === null) continue;
    const known = byUrl.get(url);
    if (known) {
      if (known.text === '') known.text = anchorText(el);
      for (const rel of linkRels(el)) if (!known.rel.includes(rel)) known.rel.push(rel);
      continue;
    }
    if (byUrl.size >= maxLinks) continue;
    const host = hostOf(url);
    const domain = registeredDomain(host);
    byUrl.set(url, {
      url,
      text: anchorText(el),
      rel: linkRels(el),
      host,
      domain,
      internal: domain === pageDomain,
    });
  }
  return [...byUrl.values()];
}
