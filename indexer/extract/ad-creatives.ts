/**
 * Scores single creatives (a link, an iframe, an image in an ad slot) against the rules of
 * ad-rules.ts, with the signals inherited from the ad scopes above them.
 */
import {
  type AdSignal,
  hasAdPath,
  iabSizeInUrl,
  isAdToken,
  isGenericAdHost,
  isIabSize,
  isShareEndpoint,
  isTrustBadge,
  knownNetwork,
  labelKind,
  landingFromClickUrl,
} from './ad-rules.js';
import type { AdScopes } from './ad-scopes.js';
import {
  type Element,
  ancestors,
  collapseWhitespace,
  findAll,
  isElement,
  isHidden,
  isTag,
  isText,
  nameTokens,
  walk,
} from './dom.js';
import { anchorText, linkRels } from './links.js';
import { registeredDomain, resolveHttpUrl } from './url.js';
import { isBoilerplate } from './visible-text.js';

/** How far up a creative looks for the scopes it belongs to. */
const contextDepth = 12;
const shortTextChars = 80;

export interface CreativeContext {
  baseUrl: string;
  pageDomain: string;
  scopes: AdScopes;
}

export interface Creative {
  kind: 'link' | 'iframe' | 'image';
  /** The ad slot the creative belongs to: nearest marked scope, else the creative itself. */
  unit: Element;
  signals: Set<AdSignal>;
  network: string | null;
  text: string;
  imageSrc: string | null;
  imageAlt: string | null;
  frameSrc: string | null;
  landingUrl: string | null;
  clickUrl: string | null;
  landingDomain: string | null;
}

interface Surroundings {
  unit: Element | null;
  signals: Set<AdSignal>;
  network: string | null;
  vetoed: boolean;
}

/** Signals of the scopes above `el` (and `el` itself); vetoed inside navigation or share widgets. */
function surroundings(el: Element, scopes: AdScopes): Surroundings {
  const result: Surroundings = { unit: null, signals: new Set(), network: null, vetoed: false };
  for (const node of [el, ...ancestors(el, contextDepth)]) {
    if (node.name === 'body' || node.name === 'html') break;
    const marked = scopes.signals.get(node);
    if (marked) {
      result.unit ??= node;
      for (const signal of marked) result.signals.add(signal);
    }
    result.network ??= scopes.networks.get(node) ?? null;
    if (scopes.share.has(node) || isBoilerplate(node)) result.vetoed = true;
  }
  return result;
}

function numberAttr(el: Element, name: 'width' | 'height'): number {
  const fromAttr = Number.parseInt(el.attribs[name] ?? '', 10);
  if (Number.isFinite(fromAttr)) return fromAttr;
  const fromStyle = new RegExp(`(?:^|;)\\s*${name}\\s*:\\s*(\\d+)px`, 'i').exec(el.attribs.style ?? '')?.[1];
  return fromStyle === undefined ? Number.NaN : Number(fromStyle);
}

/** Signals a source URL gives (img, iframe): network, generic ad URL, IAB size in the name. */
function sourceSignals(src: string, signals: Set<AdSignal>): string | null {
  const url = new URL(src);
  const network = knownNetwork(url.hostname);
  if (network !== null) signals.add('ad-network');
  else if (isGenericAdHost(url.hostname) || hasAdPath(url)) signals.add('ad-url');
  if (iabSizeInUrl(url.pathname)) signals.add('ad-size');
  return network ?? (isGenericAdHost(url.hostname) ? registeredDomain(url.hostname) : null);
}

function sizeSignal(el: Element, signals: Set<AdSignal>): void {
  if (isIabSize(numberAttr(el, 'width'), numberAttr(el, 'height'))) signals.add('ad-size');
}

function imageOf(
  el: Element,
  ctx: CreativeContext,
): { src: string | null; alt: string | null; el: Element | null } {
  const img = el.name === 'img' ? el : (findAll(el, (child) => child.name === 'img')[0] ?? null);
  if (img === null) return { src: null, alt: null, el: null };
  const raw = img.attribs.src ?? img.attribs['data-src'] ?? img.attribs['data-original'];
  const alt = img.attribs.alt?.replace(/\s+/g, ' ').trim();
  return {
    src: resolveHttpUrl(raw, ctx.baseUrl),
    alt: alt === undefined || alt === '' ? null : alt,
    el: img,
  };
}

/** Off-site signals: another registered domain, with an image or short text. */
function offSite(creative: Creative, ctx: CreativeContext): void {
  if (creative.landingDomain === null || creative.landingDomain === ctx.pageDomain) return;
  if (creative.imageSrc !== null) creative.signals.add('off-site').add('off-site-image');
  else if (creative.text.length <= shortTextChars) creative.signals.add('off-site');
}

function vetoed(creative: Creative, landing: URL | null): boolean {
  const text = `${creative.text} ${creative.imageAlt ?? ''}`.trim();
  if (isTrustBadge(landing?.hostname ?? null, text)) return true;
  return landing !== null && isShareEndpoint(landing);
}

/** Scores a link creative; null when it is not http(s) or a veto applies. */
export function linkCreative(el: Element, ctx: CreativeContext): Creative | null {
  const href = resolveHttpUrl(el.attribs.href, ctx.baseUrl);
  if (href === null) return null;
  const around = surroundings(el, ctx.scopes);
  if (around.vetoed) return null;
  const click = new URL(href);
  const signals = new Set(around.signals);
  let network = knownNetwork(click.hostname);
  const generic = isGenericAdHost(click.hostname) || hasAdPath(click);
  if (network !== null) signals.add('ad-network');
  else if (generic) signals.add('ad-url');
  if (linkRels(el).includes('sponsored')) signals.add('rel-sponsored');
  if (nameTokens(el).some(isAdToken)) signals.add('ad-token');
  const image = imageOf(el, ctx);
  if (image.src !== null) network ??= sourceSignals(image.src, signals);
  if (image.el !== null) sizeSignal(image.el, signals);
  const landingUrl = landingFromClickUrl(click, network !== null || generic) ?? href;
  const landing = new URL(landingUrl);
  const creative: Creative = {
    kind: 'link',
    unit: around.unit ?? el,
    signals,
    network: network ?? around.network,
    text: anchorText(el),
    imageSrc: image.src,
    imageAlt: image.alt,
    frameSrc: null,
    landingUrl,
    clickUrl: landingUrl === href ? null : href,
    landingDomain: registeredDomain(landing.hostname),
  };
  if (vetoed(creative, landing)) return null;
  offSite(creative, ctx);
  return creative;
}

/** Scores an iframe creative; its source stands in for the creative. */
export function frameCreative(el: Element, ctx: CreativeContext): Creative | null {
  const src = resolveHttpUrl(el.attribs.src ?? el.attribs['data-src'], ctx.baseUrl);
  if (src === null) return null;
  const around = surroundings(el, ctx.scopes);
  if (around.vetoed) return null;
  const signals = new Set(around.signals).add('iframe');
  const network = sourceSignals(src, signals) ?? around.network;
  sizeSignal(el, signals);
  const trackerLike = signals.has('ad-network') || signals.has('ad-url');
  const landingUrl = landingFromClickUrl(new URL(src), trackerLike);
  const landing = landingUrl === null ? null : new URL(landingUrl);
  const rawTitle = el.attribs.title?.replace(/\s+/g, ' ').trim() ?? '';
  const title = labelKind(rawTitle) === null ? rawTitle : ''; // "advertisement" says nothing about the creative
  const creative: Creative = {
    kind: 'iframe',
    unit: around.unit ?? el,
    signals,
    network,
    text: title,
    imageSrc: null,
    imageAlt: null,
    frameSrc: src,
    landingUrl,
    clickUrl: null,
    landingDomain: landing === null ? null : registeredDomain(landing.hostname),
  };
  if (vetoed(creative, landing ?? new URL(src))) return null;
  return creative;
}

/** Scores an image that sits in an ad scope without a link (click handled by script). */
export function imageCreative(el: Element, ctx: CreativeContext): Creative | null {
  const around = surroundings(el, ctx.scopes);
  if (around.vetoed || around.unit === null || ctx.scopes.labels.has(el)) return null;
  const width = numberAttr(el, 'width');
  const height = numberAttr(el, 'height');
  if ((width > 0 && width <= 32) || (height > 0 && height <= 32)) return null; // icons, label badges
  const image = imageOf(el, ctx);
  if (image.src === null) return null;
  const signals = new Set(around.signals);
  const network = sourceSignals(image.src, signals) ?? around.network;
  sizeSignal(el, signals);
  const creative: Creative = {
    kind: 'image',
    unit: around.unit,
    signals,
    network,
    text: image.alt ?? '',
    imageSrc: image.src,
    imageAlt: image.alt,
    frameSrc: null,
    landingUrl: null,
    clickUrl: null,
    landingDomain: null,
  };
  return vetoed(creative, null) ? null : creative;
}

/** Label words and close buttons (×, 关闭, close) are not part of what the ad says. */
function isChrome(text: string): boolean {
  const trimmed = text.trim();
  return labelKind(trimmed) !== null || /^(?:[×✕✖xX]|关闭|close|关闭广告|close ad)$/i.test(trimmed);
}

const opaque = new Set(['iframe', 'noscript', 'template', 'select', 'svg']);

function isTextual(el: Element): boolean {
  return isTag(el) && !opaque.has(el.name);
}

/** Text of an ad unit without its label words, for the creative text of a one-creative unit. */
export function unitText(unit: Element, scopes: AdScopes, maxChars = 300): string {
  let out = '';
  walk(unit, (node) => {
    if (out.length > maxChars) return false;
    if (isElement(node))
      return node === unit || (isTextual(node) && !scopes.labels.has(node) && !isHidden(node));
    if (isText(node) && !isChrome(node.data)) out += ` ${node.data}`;
    return true;
  });
  const text = collapseWhitespace(out);
  return text.length > maxChars ? '' : text;
}
