/** Small DOM helpers over domhandler nodes (cheerio's tree); iterative, so deep trees cannot overflow. */
import type { AnyNode, Element, ParentNode, Text } from 'domhandler';
import { detach } from '../../core/strings.js';

export type { AnyNode, Element, ParentNode, Text };

/** The node's type as a plain string (domhandler's enum would need a runtime import of a transitive package). */
export function typeOf(node: AnyNode): string {
  return node.type;
}

export function isElement(node: AnyNode): node is Element {
  const type = typeOf(node);
  return type === 'tag' || type === 'script' || type === 'style';
}

/** An ordinary element: not `<script>` or `<style>`, whose content is raw text. */
export function isTag(node: AnyNode): node is Element {
  return typeOf(node) === 'tag';
}

export function isText(node: AnyNode): node is Text {
  return typeOf(node) === 'text';
}

export function attr(el: Element, name: string): string | undefined {
  return el.attribs[name];
}

/**
 * Lower-case tokens of `class` and `id`: split on separators and camelCase humps, so
 * `adBanner`, `ad-banner` and `ad_banner` all give `ad`, while `header` or `download` give none.
 * Whole raw tokens are kept too (`top-bar`), so lists may name either form.
 */
export function nameTokens(el: Element): readonly string[] {
  const raw = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`.trim();
  if (raw === '') return [];
  // Pages of a site repeat their class names, and every element is asked several times per page.
  let tokens = nameTokenCache.get(raw);
  if (!tokens) {
    if (nameTokenCache.size >= maxCachedNames) nameTokenCache.clear();
    const own = detach(raw);
    tokens = splitNames(own);
    nameTokenCache.set(own, tokens);
  }
  return tokens;
}

const maxCachedNames = 20_000;
const nameTokenCache = new Map<string, readonly string[]>();

function splitNames(raw: string): readonly string[] {
  const tokens: string[] = [];
  for (const whole of raw.split(/\s+/)) {
    tokens.push(whole.toLowerCase());
    const parts = whole
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[\s_\-:.]+/)
      .filter((part) => part !== '');
    if (parts.length > 1) for (const part of parts) tokens.push(part.toLowerCase());
  }
  return Object.freeze(tokens);
}

const hiddenStyle = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important)?\s*(?:;|$)/i;
const hiddenClass = new Set(['sr-only', 'visually-hidden', 'd-none', 'is-hidden', 'screen-reader-text']);

/** Hidden by attribute, inline style or a well-known utility class (not by a stylesheet: we do not run CSS). */
export function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden']?.trim().toLowerCase() === 'true') return true;
  if (el.name === 'input' && a.type?.toLowerCase() === 'hidden') return true;
  if (a.style !== undefined && hiddenStyle.test(a.style)) return true;
  if (a.class !== undefined) {
    for (const token of a.class.toLowerCase().split(/\s+/)) if (hiddenClass.has(token)) return true;
  }
  return false;
}

/** Visits every node below `root` in document order; `visit` returns false to skip a subtree. */
export function walk(root: AnyNode, visit: (node: AnyNode) => boolean): void {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!visit(node)) continue;
    if ('children' in node) {
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as AnyNode);
    }
  }
}

/** Elements below `root` matching `test`, in document order. */
export function findAll(root: AnyNode, test: (el: Element) => boolean): Element[] {
  const found: Element[] = [];
  walk(root, (node) => {
    if (isElement(node) && node !== root && test(node)) found.push(node);
    return true;
  });
  return found;
}

/** Ancestors of `node`, nearest first, at most `max` of them. */
export function ancestors(node: AnyNode, max = Number.POSITIVE_INFINITY): Element[] {
  const list: Element[] = [];
  let current = node.parent;
  while (current && list.length < max) {
    if (isElement(current)) list.push(current);
    current = current.parent;
  }
  return list;
}

/** Concatenated text below `root` (no scripts or styles), whitespace collapsed. */
export function textOf(root: AnyNode, maxChars = 2000): string {
  let out = '';
  walk(root, (node) => {
    if (out.length >= maxChars) return false;
    if (isElement(node) && !isTag(node)) return false;
    if (isText(node)) out += ` ${node.data}`;
    return true;
  });
  return collapseWhitespace(out).slice(0, maxChars);
}

/** C0/C1 controls other than tab, LF and CR, and the replacement character left by bad decoding. */
export const controlChars = /(?![\t\n\r])\p{Cc}|\ufffd/gu;

/** Collapses whitespace runs (incl. NBSP and ideographic space) to one space; drops control characters. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(controlChars, '')
    .replace(/[\s\u00a0\u3000\u200b]+/g, ' ')
    .trim();
}

/** Elements by tag name (and those with `itemprop`), collected in one walk; replaces CSS queries. */
export interface ElementIndex {
  byTag: Map<string, Element[]>;
  itemprops: Element[];
}

/** Indexes every element below `root` by tag name, in document order. */
export function indexElements(root: AnyNode): ElementIndex {
  const index: ElementIndex = { byTag: new Map(), itemprops: [] };
  walk(root, (node) => {
    if (!isElement(node)) return true;
    const list = index.byTag.get(node.name);
    if (list) list.push(node);
    else index.byTag.set(node.name, [node]);
    if (node.attribs.itemprop !== undefined) index.itemprops.push(node);
    return true;
  });
  return index;
}

/** Elements with tag `name`, in document order. */
export function tagged(index: ElementIndex, name: string): Element[] {
  return index.byTag.get(name) ?? [];
}

/** Raw text content of an element (script bodies included), without collapsing. */
export function rawText(el: Element): string {
  let out = '';
  walk(el, (node) => {
    if (isText(node)) out += node.data;
    return true;
  });
  return out;
}

/** The first `<meta name|property=…>` content among `names`, in that order of preference, trimmed. */
export function metaContent(index: ElementIndex, names: readonly string[]): string {
  const metas = tagged(index, 'meta');
  for (const name of names) {
    for (const el of metas) {
      const key = (el.attribs.name ?? el.attribs.property ?? '').trim().toLowerCase();
      const value = collapseWhitespace(el.attribs.content ?? '');
      if (key === name && value !== '') return value;
    }
  }
  return '';
}
