import { parse as parseHost } from 'tldts';
import { detach } from '../../core/strings.js';

/**
 * Registered domain (eTLD+1) of a host, so `a.shop.test` and `shop.test` are one site.
 * Private suffixes count (`foo.github.io` is its own site); names under a suffix that is not in
 * the public suffix list (`.test`, `.localhost`, `.internal`) fall back to the last two labels,
 * and IPs or single-label hosts to the host itself.
 */
export function registeredDomain(host: string): string {
  let domain = domains.get(host);
  if (domain === undefined) {
    if (domains.size >= MAX_REMEMBERED) domains.clear();
    domain = computeRegisteredDomain(host);
    domains.set(detach(host), domain);
  }
  return domain;
}

/** Entries of each memo below: a page repeats the hosts and links of its site's other pages. */
const MAX_REMEMBERED = 10_000;
const domains = new Map<string, string>();
const resolved = new Map<string, string | null>();

function computeRegisteredDomain(host: string): string {
  const clean = host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
  if (clean === '') return '';
  const parsed = parseHost(clean, { allowPrivateDomains: true });
  if (parsed.isIp === true) return clean;
  if (parsed.domain) return parsed.domain;
  const labels = clean.split('.').filter((label) => label !== '');
  return labels.length >= 2 ? labels.slice(-2).join('.') : clean;
}

/** Resolves `href` against `base`; absolute http(s) URL without fragment, or null. */
export function resolveHttpUrl(href: string | undefined, base: string): string | null {
  if (href === undefined) return null;
  const key = resolveKey(href, base);
  let url = resolved.get(key);
  if (url === undefined) {
    if (resolved.size >= MAX_REMEMBERED) resolved.clear();
    url = computeHttpUrl(href, base);
    resolved.set(detach(key), url);
  }
  return url;
}

/** What the resolution depends on: the href alone when absolute, with the base's origin when root-relative. */
function resolveKey(href: string, base: string): string {
  if (/^https?:\/\//i.test(href)) return href;
  if (href.startsWith('/') && !href.startsWith('//')) {
    const pathAt = base.indexOf('/', base.indexOf('//') + 2);
    return `${pathAt < 0 ? base : base.slice(0, pathAt)}\n${href}`;
  }
  return `${base}\n${href}`;
}

function computeHttpUrl(href: string, base: string): string | null {
  // Browsers strip leading/trailing C0 controls and spaces, and drop tabs/newlines inside URLs.
  const trimmed = href.replace(/^[\s\p{Cc}]+|[\s\p{Cc}]+$/gu, '').replace(/[\t\n\r]/g, '');
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '') return null;
  parsed.hash = '';
  return parsed.href;
}

/** Host name of an absolute URL, or '' when it does not parse. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Registered domain of an absolute URL, or '' when it does not parse. */
export function domainOf(url: string): string {
  const host = hostOf(url);
  return host === '' ? '' : registeredDomain(host);
}
