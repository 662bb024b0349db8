/**
 * The visible text of a page as blocks of inline runs, the way a reader sees it: no scripts,
 * styles, templates, hidden parts, navigation boilerplate or skipped elements (ads). Each run
 * remembers whether it sits in the footer and whether it is struck through (an original price).
 */
import {
  type AnyNode,
  type Element,
  controlChars,
  isElement,
  isHidden,
  isTag,
  isText,
  nameTokens,
  typeOf,
} from './dom.js';

export interface TextRun {
  text: string;
  /** Inside `<del>`, `<s>`, `<strike>`, a line-through style or an "original price" class. */
  struck: boolean;
}

export interface TextBlock {
  runs: TextRun[];
  footer: boolean;
}

/** Options of `visibleBlocks`. */
export interface VisibleTextOptions {
  /** Elements to leave out with their subtree (detected ads). */
  skip?: ReadonlySet<Element>;
  /** Stop collecting main (non-footer) text after about this many characters. */
  maxMainChars: number;
  /** Stop collecting footer text after about this many characters. */
  maxFooterChars: number;
}

export interface VisibleText {
  blocks: TextBlock[];
  mainTruncated: boolean;
}

const invisibleTags = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'frame', 'object',
  'embed', 'canvas', 'select', 'option', 'datalist', 'textarea', 'audio', 'video', 'map', 'nav',
]); // prettier-ignore

const blockTags = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'br', 'dd', 'details', 'dialog', 'div', 'dl',
  'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'ul', 'caption', 'center', 'button', 'label', 'legend',
]); // prettier-ignore

const boilerplateRoles = new Set(['navigation', 'menu', 'menubar', 'search', 'banner-nav']);
const boilerplateTokens = new Set([
  'nav', 'navbar', 'navigation', 'menu', 'menubar', 'submenu', 'breadcrumb', 'breadcrumbs', 'topbar',
  'top-bar', 'site-nav', 'skip-link', 'skiplink', 'sitemap', 'pagination', 'pager',
]); // prettier-ignore
const footerTokens = new Set(['footer', 'foot', 'site-footer', 'copyright', 'page-footer']);
const strikeTags = new Set(['del', 's', 'strike']);
const strikeTokens = new Set(['line-through', 'linethrough', 'yuanjia', 'strike', 'strikethrough']);
const originalPriceTokens = new Set(['old', 'original', 'origin', 'was', 'del', 'market', 'list', 'before']);

/** Navigation, menus and similar chrome that is not the page's content. */
export function isBoilerplate(el: Element): boolean {
  if (el.name === 'nav') return true;
  const role = el.attribs.role?.toLowerCase();
  if (role !== undefined && boilerplateRoles.has(role)) return true;
  return nameTokens(el).some((token) => boilerplateTokens.has(token));
}

export function isFooter(el: Element): boolean {
  if (el.name === 'footer') return true;
  if (el.attribs.role?.toLowerCase() === 'contentinfo') return true;
  return nameTokens(el).some((token) => footerTokens.has(token));
}

/** Struck through: `<del>`/`<s>`, an inline line-through, or a price class such as `price-old`/`market-price`. */
function isStruck(el: Element): boolean {
  if (strikeTags.has(el.name)) return true;
  if (el.attribs.style !== undefined && /text-decoration[^;]*line-through/i.test(el.attribs.style))
    return true;
  const tokens = nameTokens(el);
  if (tokens.some((token) => strikeTokens.has(token))) return true;
  return tokens.includes('price') && tokens.some((token) => originalPriceTokens.has(token));
}

type Frame =
  { kind: 'node'; node: AnyNode } | { kind: 'exit'; block: boolean; footer: boolean; struck: boolean };

/** Walks the document once (iteratively) and returns its visible text blocks. */
export function visibleBlocks(root: AnyNode, options: VisibleTextOptions): VisibleText {
  const blocks: TextBlock[] = [];
  let current: TextBlock = { runs: [], footer: false };
  let footerDepth = 0;
  let struckDepth = 0;
  let mainChars = 0;
  let footerChars = 0;
  let mainTruncated = false;

  const flush = (): void => {
    if (current.runs.some((run) => run.text.trim() !== '')) blocks.push(current);
    current = { runs: [], footer: footerDepth > 0 };
  };

  const stack: Frame[] = [{ kind: 'node', node: root }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.kind === 'exit') {
      if (frame.block) flush();
      if (frame.footer) footerDepth--;
      if (frame.struck) struckDepth--;
      if (frame.footer) current.footer = footerDepth > 0;
      continue;
    }
    const node = frame.node;
    if (isText(node)) {
      const inFooter = footerDepth > 0;
      if (inFooter ? footerChars >= options.maxFooterChars : mainChars >= options.maxMainChars) {
        if (!inFooter) mainTruncated = true;
        continue;
      }
      const text = node.data;
      if (inFooter) footerChars += text.length;
      else mainChars += text.length;
      current.runs.push({ text, struck: struckDepth > 0 });
      continue;
    }
    if (isElement(node)) {
      if (invisibleTags.has(node.name) || !isTag(node)) continue;
      if (options.skip?.has(node) === true || isHidden(node) || isBoilerplate(node)) continue;
      const block = blockTags.has(node.name);
      const footer = isFooter(node);
      const struck = isStruck(node);
      if (block) flush();
      if (footer) footerDepth++;
      if (struck) struckDepth++;
      if (footer) current.footer = true;
      stack.push({ kind: 'exit', block, footer, struck });
      pushChildren(stack, node);
    } else if (typeOf(node) === 'root') {
      pushChildren(stack, node);
    }
  }
  flush();
  return { blocks, mainTruncated };
}

function pushChildren(stack: Frame[], node: AnyNode): void {
  if (!('children' in node)) return;
  for (let i = node.children.length - 1; i >= 0; i--) {
    stack.push({ kind: 'node', node: node.children[i] as AnyNode });
  }
}

/** The text of one block with whitespace collapsed. */
export function blockText(block: TextBlock): string {
  return normaliseSpace(block.runs.map((run) => run.text).join(''));
}

/** Whitespace collapsed to single spaces, control characters dropped. */
export function normaliseSpace(text: string): string {
  return text
    .replace(controlChars, '')
    .replace(/[\s\u200b]+/g, ' ')
    .trim();
}

/** Joins blocks into `\n`-separated text, cut at `maxChars` without splitting a surrogate pair. */
export function joinBlocks(
  blocks: readonly TextBlock[],
  maxChars: number,
): { text: string; truncated: boolean } {
  const lines: string[] = [];
  let length = 0;
  for (const block of blocks) {
    const line = blockText(block);
    if (line === '') continue;
    lines.push(line);
    length += line.length + 1;
    if (length > maxChars) break;
  }
  const joined = lines.join('\n');
  if (joined.length <= maxChars) return { text: joined, truncated: false };
  return { text: cutAt(joined, maxChars).trimEnd(), truncated: true };
}

/** Cuts a string at `maxChars` UTF-16 units without leaving half of a surrogate pair. */
export function cutAt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}
