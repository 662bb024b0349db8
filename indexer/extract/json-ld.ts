/** Prices from JSON-LD: Offer.price / priceSpecification, AggregateOffer.lowPrice / highPrice. */
import { type ElementIndex, rawText, tagged } from './dom.js';
import type { ExtractedPrice, PriceKind } from './types.js';

/** JSON-LD blocks larger than this are skipped (they are data dumps, not product markup). */
const maxJsonLdChars = 1_000_000;
/** Most JSON nodes visited per block; guards against pathological nesting. */
const maxNodes = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function types(node: JsonObject): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^.*[/#]/, '').toLowerCase());
}

function amountOf(value: Json | undefined): { amount: number; raw: string } | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return { amount: value, raw: String(value) };
  if (typeof value !== 'string') return null;
  const digits = /\d[\d,]*(?:\.\d+)?/.exec(value)?.[0];
  if (digits === undefined) return null;
  const amount = Number(digits.replace(/,/g, ''));
  return Number.isFinite(amount) ? { amount, raw: value } : null;
}

function currencyOf(node: JsonObject, fallback: string): string {
  const currency = node.priceCurrency;
  return typeof currency === 'string' && currency.trim() !== '' ? currency.trim().toUpperCase() : fallback;
}

function push(out: ExtractedPrice[], value: Json | undefined, currency: string, kind: PriceKind): void {
  const parsed = amountOf(value);
  if (parsed) out.push({ amount: parsed.amount, currency, kind, source: 'json-ld', raw: parsed.raw });
}

/** Prices of one Offer-like node; `priceSpecification` of type StrikethroughPrice/ListPrice is `original`. */
function offerPrices(node: JsonObject, out: ExtractedPrice[]): void {
  const nodeTypes = types(node);
  const currency = currencyOf(node, '');
  if (nodeTypes.includes('aggregateoffer')) {
    push(out, node.lowPrice, currency, 'low');
    push(out, node.highPrice, currency, 'high');
  }
  if (nodeTypes.includes('offer') || nodeTypes.includes('aggregateoffer'))
    push(out, node.price, currency, 'current');
  const specs = node.priceSpecification;
  for (const spec of Array.isArray(specs) ? specs : [specs]) {
    if (!isObject(spec)) continue;
    const priceType = typeof spec.priceType === 'string' ? spec.priceType.toLowerCase() : '';
    const kind: PriceKind = /strikethrough|listprice|msrp/.test(priceType) ? 'original' : 'current';
    push(out, spec.price, currencyOf(spec, currency), kind);
  }
}

/** Walks a parsed JSON-LD value iteratively and collects every offer's prices. */
export function pricesInJsonLd(root: Json): ExtractedPrice[] {
  const out: ExtractedPrice[] = [];
  const stack: Json[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited++ < maxNodes) {
    const node = stack.pop() as Json;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i] as Json);
      continue;
    }
    if (!isObject(node)) continue;
    offerPrices(node, out);
    for (const [key, value] of Object.entries(node)) {
      if (key !== 'priceSpecification' && typeof value === 'object' && value !== null) stack.push(value);
    }
  }
  return out;
}

/** Prices from every `<script type="application/ld+json">`; unparsable blocks are skipped. */
export function jsonLdPrices(index: ElementIndex): ExtractedPrice[] {
  const out: ExtractedPrice[] = [];
  for (const el of tagged(index, 'script')) {
    if (!/^\s*application\/ld\+json\s*$/i.test(el.attribs.type ?? '')) continue;
    const source = rawText(el);
    if (source.length > maxJsonLdChars) continue;
    try {
      out.push(...pricesInJsonLd(JSON.parse(source.replace(/^\s*<!--|-->\s*$/g, '')) as Json));
    } catch {
      // Broken JSON-LD is common; the visible text still has the price.
    }
  }
  return out;
}
