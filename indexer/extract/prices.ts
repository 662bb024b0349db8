/**
 * Prices with their source: JSON-LD offers, microdata, product meta tags and visible text
 * (¥ ￥ 元 RMB $ US$). Struck-through or "原价/was"-labelled prices are `original`, for the
 * misleading-price rule.
 */
import {
  type Element,
  type ElementIndex,
  ancestors,
  collapseWhitespace,
  metaContent,
  rawText,
} from './dom.js';
import { jsonLdPrices } from './json-ld.js';
import type { ExtractedPrice, PriceKind } from './types.js';
import type { TextBlock } from './visible-text.js';

/** Most prices kept per page; list pages repeat prices endlessly. */
const maxPrices = 200;

const currencyOf: Record<string, string> = {
  '¥': 'CNY', '元': 'CNY', '万元': 'CNY', 'RMB': 'CNY', 'CNY': 'CNY', '人民币': 'CNY',
  '$': 'USD', 'US$': 'USD', 'USD': 'USD', '美元': 'USD', 'HK$': 'HKD', 'HKD': 'HKD', '€': 'EUR', 'EUR': 'EUR',
  'NT$': 'TWD', 'TWD': 'TWD', '新台币': 'TWD', '新臺幣': 'TWD',
}; // prettier-ignore

const number = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)`;
// Case-sensitive; a bare code needs no letter before it ("Supplement$9" is not NT$9, "150gNT$9" is).
const prefixed = new RegExp(
  String.raw`(US\$|HK\$|NT\$|(?<![A-Za-z])(?:RMB|CNY|USD|HKD|TWD|EUR))\s?${number}(?![\d.,]*\d)|([¥$€])\s?${number}(?![\d.,]*\d)`,
  'g',
);
const suffixed = new RegExp(
  String.raw`(?<![\d.,])${number}\s?(万元|元(?![旦宵])|人民币|美元|新台币|新臺幣|RMB|CNY|USD|TWD)(?![A-Za-z])`,
  'g',
);
/** Amounts after 满/减/返/over… are thresholds and discounts, not prices. */
const notPriceLabel = /(?:满|减|省|返|送|券|红包|优惠|抵|over|save|off|above|under)\s*$/i;
const originalLabel =
  /(?:原价|市场价|划线价|吊牌价|专柜价|参考价|零售价|指导价|门市价|was|list\s*price|rrp|msrp|regular\s*price|compare\s*at)\s*[:：]?\s*$/i;

/** Parses `1,299.00` into 1299; null when not a finite, non-negative number. */
export function parseAmount(raw: string): number | null {
  const amount = Number(raw.replace(/,/g, ''));
  return Number.isFinite(amount) && amount >= 0 ? amount : null;
}

interface BlockString {
  text: string;
  /** End offset (exclusive) and struck flag of each run, in order. */
  runs: { end: number; struck: boolean }[];
}

function blockString(block: TextBlock): BlockString {
  let text = '';
  const runs: BlockString['runs'] = [];
  for (const run of block.runs) {
    const part = run.text.normalize('NFKC').replace(/\s+/g, ' ');
    // Two elements that touch digit to digit (`<del>¥730.00</del><span>90% off`) are two numbers.
    if (/\d$/.test(text) && /^\d/.test(part)) text += ' ';
    text += part;
    runs.push({ end: text.length, struck: run.struck });
  }
  return { text, runs };
}

function struckAt(block: BlockString, index: number): boolean {
  return block.runs.find((run) => index < run.end)?.struck ?? false;
}

function textPricesInBlock(block: BlockString, out: ExtractedPrice[]): void {
  const taken: [number, number][] = [];
  const add = (m: RegExpMatchArray, symbol: string, digits: string, index: number): void => {
    const end = index + m[0].length;
    if (taken.some(([start, stop]) => index < stop && end > start)) return;
    let amount = parseAmount(digits);
    if (amount === null) return;
    const before = block.text.slice(Math.max(0, index - 12), index);
    if (notPriceLabel.test(before)) return;
    if (symbol === '万元') amount *= 10_000;
    taken.push([index, end]);
    const digitsAt = index + m[0].indexOf(digits);
    const original = struckAt(block, digitsAt) || originalLabel.test(before);
    const kind: PriceKind = original ? 'original' : 'current';
    const currency = currencyOf[symbol.toUpperCase()] ?? currencyOf[symbol] ?? symbol.toUpperCase();
    out.push({ amount, currency, kind, source: 'text', raw: m[0].trim() });
  };
  for (const m of block.text.matchAll(prefixed)) add(m, m[1] ?? m[3] ?? '', m[2] ?? m[4] ?? '', m.index);
  for (const m of block.text.matchAll(suffixed)) add(m, m[2] ?? '', m[1] ?? '', m.index);
}

/** Prices in visible text blocks (main, not footer). */
export function textPrices(blocks: readonly TextBlock[]): ExtractedPrice[] {
  const out: ExtractedPrice[] = [];
  for (const block of blocks) {
    if (block.footer) continue;
    if (!block.runs.some((run) => /\d/.test(run.text))) continue;
    textPricesInBlock(blockString(block), out);
    if (out.length >= maxPrices) break;
  }
  return out;
}

const microdataKinds: Record<string, PriceKind> = { price: 'current', lowprice: 'low', highprice: 'high' };

/** The nearest ancestor with `itemscope`, or null. */
function itemScope(el: Element): Element | null {
  return ancestors(el, 50).find((up) => up.attribs.itemscope !== undefined) ?? null;
}

function propValue(el: Element): string {
  return collapseWhitespace(el.attribs.content ?? rawText(el)).normalize('NFKC');
}

/** `itemprop="price|lowPrice|highPrice"` with the `priceCurrency` of the same item scope. */
export function microdataPrices(index: ElementIndex): ExtractedPrice[] {
  const out: ExtractedPrice[] = [];
  const currencies = index.itemprops.filter(
    (el) => el.attribs.itemprop?.trim().toLowerCase() === 'pricecurrency',
  );
  for (const el of index.itemprops) {
    const kind = microdataKinds[(el.attribs.itemprop ?? '').trim().toLowerCase()];
    if (kind === undefined || out.length >= maxPrices) continue;
    const raw = propValue(el);
    const digits = /\d[\d,]*(?:\.\d+)?/.exec(raw)?.[0];
    const amount = digits === undefined ? null : parseAmount(digits);
    if (amount === null) continue;
    const scope = itemScope(el);
    const currencyEl =
      scope === null ? currencies[0] : currencies.find((c) => ancestors(c, 50).includes(scope));
    const currency = currencyEl === undefined ? '' : propValue(currencyEl).toUpperCase();
    out.push({ amount, currency: currency || guessCurrency(raw), kind, source: 'microdata', raw });
  }
  return out;
}

/** `product:price:amount` / `og:price:amount` meta tags. */
export function metaPrices(index: ElementIndex): ExtractedPrice[] {
  const out: ExtractedPrice[] = [];
  for (const prefix of ['product:price', 'og:price']) {
    const raw = metaContent(index, [`${prefix}:amount`]);
    const amount = raw === '' ? null : parseAmount(raw);
    if (amount === null) continue;
    const currency = metaContent(index, [`${prefix}:currency`]).toUpperCase();
    out.push({ amount, currency: currency || 'CNY', kind: 'current', source: 'meta', raw });
  }
  return out;
}

function guessCurrency(raw: string): string {
  const symbol = /US\$|HK\$|[¥$€元]|RMB|CNY|USD/i.exec(raw)?.[0];
  return symbol === undefined ? '' : (currencyOf[symbol.toUpperCase()] ?? currencyOf[symbol] ?? '');
}

/** All prices of a page, structured sources first, deduplicated. */
export function extractPrices(index: ElementIndex, blocks: readonly TextBlock[]): ExtractedPrice[] {
  const all = [
    ...jsonLdPrices(index),
    ...microdataPrices(index),
    ...metaPrices(index),
    ...textPrices(blocks),
  ];
  const seen = new Set<string>();
  return all
    .filter((price) => {
      const key = `${price.source}:${price.kind}:${price.currency}:${price.amount}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, maxPrices);
}
