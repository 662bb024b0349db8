import type { PriceTruth, SiteTruth } from './types.js';

/** Currency and symbol a site prices in: `¥` (or full-width `￥` on GBK pages, which lack `¥`), `$`, `NT$`. */
export function currencyOf(site: Pick<SiteTruth, 'lang' | 'encoding'>): {
  currency: PriceTruth['currency'];
  symbol: string;
} {
  if (site.lang === 'en') return { currency: 'USD', symbol: '$' };
  if (site.lang === 'zh-TW') return { currency: 'TWD', symbol: 'NT$' };
  return { currency: 'CNY', symbol: site.encoding === 'gbk' ? '￥' : '¥' };
}

/** Visible price text: `¥199.00`, `$19.99`, `NT$1,280` (TWD without cents, with thousands separators). */
export function formatPrice(value: number, site: Pick<SiteTruth, 'lang' | 'encoding'>): string {
  const { currency, symbol } = currencyOf(site);
  if (currency === 'TWD') return `${symbol}${Math.round(value).toLocaleString('en-US')}`;
  return `${symbol}${value.toFixed(2)}`;
}

/** Machine price as schema.org wants it (`199.00`). */
export function machinePrice(value: number, currency: PriceTruth['currency']): string {
  return currency === 'TWD' ? String(Math.round(value)) : value.toFixed(2);
}

/** A plausible shop price in [min, max]: whole yuan, .90 or .99 endings (TWD: tens). */
export function shopPrice(unit: number, fraction: number, currency: PriceTruth['currency']): number {
  if (currency === 'TWD') return Math.max(10, Math.round(unit / 10) * 10);
  const cents = fraction < 0.5 ? 0 : fraction < 0.8 ? 0.9 : 0.99;
  return Math.round((unit + cents) * 100) / 100;
}

export function priceTruth(value: number, original: number | null, site: SiteTruth): PriceTruth {
  return { value, currency: currencyOf(site).currency, original, display: formatPrice(value, site) };
}
