/**
 * One pass over the DOM that marks "ad scopes": elements whose class/id, data attributes, role or a
 * label near them say "ad slot", "pop-up" or "share widget". Creatives below a scope inherit its
 * signals (see ad-rules.ts for the scoring).
 */
import {
  type AdSignal,
  isAdDataAttribute,
  isAdToken,
  isGenericAdHost,
  isPopupToken,
  knownNetwork,
  labelKind,
  shareTokens,
} from './ad-rules.js';
import { type AnyNode, type Element, ancestors, isElement, isTag, isText, nameTokens, walk } from './dom.js';
import { resolveHttpUrl, registeredDomain } from './url.js';
import { isBoilerplate } from './visible-text.js';

/** A scope holding more creatives than this is a page region, not an ad slot. */
const maxCreativesPerSlot = 12;
/** A label is near the creatives of the first ancestor (≤ 3 up) holding at most this many. */
const maxCreativesPerLabel = 6;
const labelClimb = 4;
/** Ancestors walked when counting creatives; deeper nesting is not counted (guards giant trees). */
const maxCountDepth = 40;

export interface AdScopes {
  signals: Map<Element, Set<AdSignal>>;
  networks: Map<Element, string>;
  share: Set<Element>;
  /** Elements that are themselves ad labels (their text is left out of creative text). */
  labels: Set<Element>;
  /** Networks whose scripts, frames or markers the page loads. */
  pageNetworks: Set<string>;
}

function isCreative(el: Element): boolean {
  return ((el.name === 'a' || el.name === 'area') && el.attribs.href !== undefined) || el.name === 'iframe';
}

function countCreatives(root: AnyNode): Map<Element, number> {
  const counts = new Map<Element, number>();
  walk(root, (node) => {
    if (isElement(node) && isCreative(node)) {
      counts.set(node, (counts.get(node) ?? 0) + 1);
      for (const up of ancestors(node, maxCountDepth)) counts.set(up, (counts.get(up) ?? 0) + 1);
    }
    return true;
  });
  return counts;
}

function mark(scopes: AdScopes, el: Element, signal: AdSignal): void {
  const set = scopes.signals.get(el) ?? new Set<AdSignal>();
  set.add(signal);
  scopes.signals.set(el, set);
}

/** Network named by a marker: `adsbygoogle`, `data-ad-client="ca-pub-…"`, `div-gpt-ad-…`, `data-ad-network`. */
function markerNetwork(el: Element, tokens: readonly string[]): string | null {
  const a = el.attribs;
  const named = a['data-ad-network'] ?? a['data-adnetwork'];
  if (named !== undefined && named.trim() !== '') return named.trim().toLowerCase();
  if (tokens.includes('adsbygoogle') || a['data-ad-client']?.startsWith('ca-pub-') === true) return 'google';
  if ((a.id ?? '').startsWith('div-gpt-ad')) return 'google';
  if (/^(cpro_|baidu_(ssp|dup|cpro))/i.test(a.id ?? '')) return 'baidu';
  return null;
}

function isPopup(el: Element, tokens: readonly string[]): boolean {
  const a = el.attribs;
  if (a.role?.toLowerCase() === 'dialog' || a['aria-modal']?.toLowerCase() === 'true' || el.name === 'dialog')
    return true;
  if (a.style !== undefined && /position\s*:\s*fixed/i.test(a.style)) return true;
  return tokens.some(isPopupToken);
}

function noteSourceNetwork(scopes: AdScopes, el: Element, baseUrl: string): void {
  const src = resolveHttpUrl(el.attribs.src ?? el.attribs['data-src'], baseUrl);
  if (src === null) return;
  const host = new URL(src).hostname;
  const network = knownNetwork(host) ?? (isGenericAdHost(host) ? registeredDomain(host) : null);
  if (network !== null) scopes.pageNetworks.add(network);
}

function markElement(scopes: AdScopes, el: Element, creatives: number, baseUrl: string): void {
  if (el.name === 'script' || el.name === 'iframe') noteSourceNetwork(scopes, el, baseUrl);
  if (el.name === 'html' || el.name === 'body' || el.name === 'main' || el.name === 'head') return;
  const tokens = nameTokens(el);
  const network = markerNetwork(el, tokens);
  if (network !== null) {
    scopes.networks.set(el, network);
    scopes.pageNetworks.add(network);
  }
  if (tokens.some((token) => shareTokens.has(token))) scopes.share.add(el);
  if (creatives > maxCreativesPerSlot) return;
  if (network !== null) mark(scopes, el, 'ad-network');
  if (tokens.some(isAdToken)) mark(scopes, el, 'ad-token');
  if (Object.keys(el.attribs).some(isAdDataAttribute)) mark(scopes, el, 'data-ad');
  if (isPopup(el, tokens)) mark(scopes, el, 'popup');
}

/** The label an element carries in its own text node, alt, title or aria-label. */
function ownLabel(el: Element): 'ad-label' | 'sponsored-label' | null {
  for (const name of ['aria-label', 'alt', 'title', 'data-label']) {
    const value = el.attribs[name];
    if (value !== undefined && el.name !== 'a') {
      const kind = labelKind(value.trim());
      if (kind !== null) return kind;
    }
  }
  for (const child of el.children) {
    if (isText(child)) {
      const kind = labelKind(child.data.trim());
      if (kind !== null) return kind;
    }
  }
  return null;
}

/** Marks the first ancestor (≤ 3 up) of a label that holds a few creatives. */
function markLabel(scopes: AdScopes, label: Element, kind: AdSignal, counts: Map<Element, number>): void {
  if (label.name === 'a' && label.attribs.href !== undefined) return; // A link named "广告" is navigation.
  const chain = [label, ...ancestors(label, labelClimb - 1)];
  if (ancestors(label, 12).some(isBoilerplate)) return;
  for (const el of chain) {
    const creatives = counts.get(el) ?? 0;
    if (creatives === 0) continue;
    if (creatives <= maxCreativesPerLabel && el.name !== 'body' && el.name !== 'html') mark(scopes, el, kind);
    return;
  }
}

/** Marks ad scopes, labels, share widgets and page-level networks in one walk. */
export function findAdScopes(root: AnyNode, baseUrl: string): AdScopes {
  const scopes: AdScopes = {
    signals: new Map(),
    networks: new Map(),
    share: new Set(),
    labels: new Set(),
    pageNetworks: new Set(),
  };
  const counts = countCreatives(root);
  walk(root, (node) => {
    if (!isElement(node)) return true;
    markElement(scopes, node, counts.get(node) ?? 0, baseUrl);
    if (!isTag(node)) return false;
    const label = ownLabel(node);
    if (label !== null) {
      scopes.labels.add(node);
      markLabel(scopes, node, label, counts);
    }
    return true;
  });
  return scopes;
}
