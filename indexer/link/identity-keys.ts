/**
 * The forms identifiers and hosts are matched in, on both sides: what an operator registered and what a
 * page shows. Pages carry identifiers already normalised by the extract stage (`normaliseId`); operators
 * carry them as typed into the registry, so both go through the same functions here.
 */
import { domainToASCII } from 'node:url';
import { registeredDomain } from '../extract/index.js';
import { normaliseId } from '../extract/identifiers.js';
import { normaliseUscc } from '../extract/uscc.js';

export function usccKey(value: string): string {
  return normaliseUscc(value);
}

export function licenceKey(value: string): string {
  return normaliseId(value);
}

/**
 * An ICP number names the filing entity (`浙ICP备37297613号`); a trailing `-3` numbers one of its
 * sites. Both the full form and the entity's base form are keys, so a registry entry of either kind
 * matches a footer of either kind.
 */
export function icpKeys(value: string): string[] {
  const full = normaliseId(value);
  const base = /^(.*[号號])\d*$/u.exec(full)?.[1];
  return base && base !== full ? [full, base] : [full];
}

/**
 * A host as matched: lower case, ASCII (punycode), no port, no trailing dot, no leading `www.`.
 * Accepts a bare host or a URL; '' when nothing host-like is left.
 */
export function hostKey(value: string): string {
  let host = value.trim().toLowerCase();
  if (host.includes('/')) {
    try {
      host = new URL(host.includes('://') ? host : `http://${host}`).hostname;
    } catch {
      return '';
    }
  }
  host = host.replace(/:\d+$/, '').replace(/\.$/, '');
  const ascii = domainToASCII(host) || host;
  return ascii.startsWith('www.') ? ascii.slice(4) : ascii;
}

/** The registered domain (eTLD+1 with private suffixes; `.test` hosts are their own) of a host key. */
export function registeredKey(host: string): string {
  return host === '' ? '' : registeredDomain(host);
}

/** A shop URL as matched: host key plus path without trailing slash (`mall.test/store/shop-03`). */
export interface ShopUrlKey {
  host: string;
  /** '' for a whole host; otherwise starts with `/`, no trailing slash, case kept. */
  path: string;
}

export function shopUrlKey(value: string): ShopUrlKey | null {
  const raw = value.trim();
  if (raw === '') return null;
  try {
    const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    const host = hostKey(url.hostname);
    return host === '' ? null : { host, path: url.pathname.replace(/\/+$/, '') };
  } catch {
    return null;
  }
}

/** Whether `path` is `prefix` or lies under it. */
export function pathUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}/`);
}
