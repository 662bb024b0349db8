/**
 * Does a page look like a shop? Prices plus cart/checkout wording, or prices from product markup
 * (JSON-LD offers, microdata, product meta tags). A blog post quoting a price has no cart; a shop's
 * home page without a single price is judged by its product pages instead.
 */

/** The parts of a page doc the judgement reads. */
export interface ShopLikePage {
  title?: string;
  text?: string;
  prices?: Array<{ source?: string }>;
}

export interface EcommerceSignals {
  ecommerce: boolean;
  priceCount: number;
  structuredPriceCount: number;
  /** Distinct cart/checkout phrases found, lower case. */
  cartSignals: string[];
}

/** Cart and checkout wording in simplified and traditional Chinese and English. */
const CART_PATTERN =
  /加入购物车|加入購物車|购物车|購物車|立即购买|立即購買|立即下单|立即下單|去结算|去結算|结算|結算|提交订单|提交訂單|add to (?:cart|basket|bag)|shopping (?:cart|bag)|checkout|check out|buy now|place order/giu;

const STRUCTURED_SOURCES: ReadonlySet<string> = new Set(['json-ld', 'microdata', 'meta']);

export function ecommerceSignals(page: ShopLikePage): EcommerceSignals {
  const prices = page.prices ?? [];
  const structuredPriceCount = prices.filter(
    (p) => p.source !== undefined && STRUCTURED_SOURCES.has(p.source),
  ).length;
  const text = `${page.title ?? ''}\n${page.text ?? ''}`;
  const cartSignals = [...new Set([...text.matchAll(CART_PATTERN)].map((m) => m[0].toLowerCase()))].sort();
  const ecommerce = structuredPriceCount > 0 || (prices.length > 0 && cartSignals.length > 0);
  return { ecommerce, priceCount: prices.length, structuredPriceCount, cartSignals };
}
