/**
 * dnstwist-style permutations of a protected domain: the registrable label is varied, the public
 * suffix kept (`huamei.com.cn` → `huarnei.com.cn`), except for the TLD swap. IDN results are returned
 * in punycode (`node:url` `domainToASCII`) beside their Unicode form.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse } from 'tldts';
import { ValidationError } from '../core/errors.js';
import { HOMOGLYPHS, KEYBOARD_ROWS } from './confusables.js';

export type PermutationTechnique =
  | 'addition'
  | 'omission'
  | 'repetition'
  | 'transposition'
  | 'replacement'
  | 'homoglyph'
  | 'hyphenation'
  | 'subdomain'
  | 'tld-swap'
  | 'vowel-swap'
  | 'bitsquatting'
  | 'dictionary';

/** Order of generation; a host reached by two techniques keeps the first. */
export const PERMUTATION_TECHNIQUES: readonly PermutationTechnique[] = [
  'homoglyph',
  'hyphenation',
  'subdomain',
  'tld-swap',
  'dictionary',
  'transposition',
  'vowel-swap',
  'repetition',
  'omission',
  'replacement',
  'addition',
  'bitsquatting',
];

export interface Permutation {
  /** ASCII host (punycode for IDN), lower case. */
  domain: string;
  /** The same host in Unicode, as a visitor would read it. */
  unicode: string;
  technique: PermutationTechnique;
}

/** Suffixes tried by the TLD swap. */
export const DEFAULT_SWAP_TLDS: readonly string[] = [
  'com',
  'net',
  'org',
  'cn',
  'com.cn',
  'net.cn',
  'shop',
  'top',
  'xyz',
  'vip',
  'online',
  'store',
  'test',
];

/** Words squatters prepend or append to a brand (`huamei-shop`, `officialhuamei`). */
export const DEFAULT_DICTIONARY: readonly string[] = [
  'shop',
  'store',
  'mall',
  'official',
  'online',
  'buy',
  'sale',
  'vip',
  'cn',
  'app',
  'login',
  'secure',
];

/** Options of {@link generatePermutations}. */
export interface PermutationOptions {
  /** Suffixes for the TLD swap. @default DEFAULT_SWAP_TLDS */
  tlds?: readonly string[];
  /** Words for the dictionary technique. @default DEFAULT_DICTIONARY */
  dictionary?: readonly string[];
  /** Techniques to run. @default PERMUTATION_TECHNIQUES */
  techniques?: readonly PermutationTechnique[];
}

/** A domain cut into the part permutations vary and the part they keep. */
export interface DomainParts {
  /** Registrable label in Unicode, e.g. `huamei`. */
  label: string;
  /** Public suffix in Unicode, e.g. `com.cn`. */
  suffix: string;
  /** Registrable domain in ASCII, e.g. `huamei.com.cn`. */
  domain: string;
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const VOWELS = 'aeiou';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The registrable label and public suffix of `host` (subdomains dropped).
 * @throws ValidationError `LOOKALIKE_BAD_DOMAIN` when `host` has no registrable domain.
 */
export function splitDomain(host: string): DomainParts {
  const ascii = typeof host === 'string' ? domainToASCII(host.trim().toLowerCase().replace(/\.$/, '')) : '';
  const parsed = ascii === '' ? null : parse(ascii);
  if (!parsed?.domain || !parsed.publicSuffix || !parsed.domainWithoutSuffix || parsed.isIp === true) {
    throw new ValidationError(`Not a domain name: ${String(host)}`, { host }, 'LOOKALIKE_BAD_DOMAIN');
  }
  return {
    label: domainToUnicode(parsed.domainWithoutSuffix),
    suffix: domainToUnicode(parsed.publicSuffix),
    domain: parsed.domain,
  };
}

/** The ASCII form of `host` when it is a valid LDH/IDN hostname, else undefined. */
export function validHostname(host: string): string | undefined {
  if (host.startsWith('.') || host.endsWith('.') || host.includes('..')) return undefined;
  const ascii = domainToASCII(host);
  if (ascii === '' || ascii.length > 253) return undefined;
  const labels = ascii.split('.');
  if (labels.length < 2) return undefined;
  for (const label of labels) {
    if (!LDH_LABEL.test(label)) return undefined;
    if (label.slice(2, 4) === '--' && !label.startsWith('xn--')) return undefined;
  }
  return ascii;
}

function addition(label: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= label.length; i++) {
    for (const ch of ALPHABET) out.push(label.slice(0, i) + ch + label.slice(i));
  }
  return out;
}

function omission(label: string): string[] {
  return [...label].map((_, i) => label.slice(0, i) + label.slice(i + 1));
}

function repetition(label: string): string[] {
  return [...label].map((ch, i) => label.slice(0, i) + ch + label.slice(i));
}

function transposition(label: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < label.length - 1; i++) {
    const a = label.charAt(i);
    const b = label.charAt(i + 1);
    if (a !== b) out.push(label.slice(0, i) + b + a + label.slice(i + 2));
  }
  return out;
}

/** QWERTY keys touching `key`: left, right, the two above and the two below (rows are staggered). */
function adjacentKeys(key: string): string[] {
  const row = KEYBOARD_ROWS.findIndex((r) => r.includes(key));
  if (row < 0) return [];
  const col = KEYBOARD_ROWS[row]?.indexOf(key) ?? -1;
  const at = (r: number, c: number): string => KEYBOARD_ROWS[r]?.charAt(c) ?? '';
  return [
    at(row, col - 1),
    at(row, col + 1),
    at(row - 1, col),
    at(row - 1, col + 1),
    at(row + 1, col - 1),
    at(row + 1, col),
  ].filter((k) => k !== '');
}

function replacement(label: string): string[] {
  return [...label].flatMap((ch, i) =>
    adjacentKeys(ch).map((k) => label.slice(0, i) + k + label.slice(i + 1)),
  );
}

/** Every single substitution from the homoglyph table, including multi-letter ones (`m`↔`rn`). */
function homoglyph(label: string): string[] {
  const out: string[] = [];
  for (const [from, glyphs] of HOMOGLYPHS) {
    for (let i = label.indexOf(from); i >= 0; i = label.indexOf(from, i + 1)) {
      for (const glyph of glyphs) out.push(label.slice(0, i) + glyph + label.slice(i + from.length));
    }
  }
  return out;
}

function insertBetween(label: string, sep: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < label.length; i++) {
    if (label.charAt(i - 1) === '-' || label.charAt(i) === '-') continue;
    out.push(label.slice(0, i) + sep + label.slice(i));
  }
  return out;
}

function vowelSwap(label: string): string[] {
  return [...label].flatMap((ch, i) =>
    VOWELS.includes(ch)
      ? [...VOWELS].filter((v) => v !== ch).map((v) => label.slice(0, i) + v + label.slice(i + 1))
      : [],
  );
}

/** One flipped bit per character, kept when the result is still a hostname character. */
function bitsquatting(label: string): string[] {
  const out: string[] = [];
  [...label].forEach((ch, i) => {
    const code = ch.charCodeAt(0);
    if (code > 0x7f) return;
    for (let bit = 0; bit < 8; bit++) {
      const flipped = String.fromCharCode(code ^ (1 << bit));
      if (/^[a-z0-9-]$/.test(flipped)) out.push(label.slice(0, i) + flipped + label.slice(i + 1));
    }
  });
  return out;
}

function dictionary(label: string, words: readonly string[]): string[] {
  return words.flatMap((w) => [`${label}${w}`, `${label}-${w}`, `${w}${label}`, `${w}-${label}`]);
}

/** Hosts (Unicode) produced by one technique. */
function hostsFor(
  technique: PermutationTechnique,
  parts: DomainParts,
  options: Required<Omit<PermutationOptions, 'techniques'>>,
): string[] {
  const { label, suffix } = parts;
  const onLabel = (labels: string[]): string[] => labels.map((l) => `${l}.${suffix}`);
  switch (technique) {
    case 'addition':
      return onLabel(addition(label));
    case 'omission':
      return onLabel(omission(label));
    case 'repetition':
      return onLabel(repetition(label));
    case 'transposition':
      return onLabel(transposition(label));
    case 'replacement':
      return onLabel(replacement(label));
    case 'homoglyph':
      return onLabel(homoglyph(label));
    case 'hyphenation':
      return onLabel(insertBetween(label, '-'));
    case 'subdomain':
      return onLabel(insertBetween(label, '.'));
    case 'tld-swap':
      return options.tlds.filter((t) => t !== suffix).map((t) => `${label}.${t}`);
    case 'vowel-swap':
      return onLabel(vowelSwap(label));
    case 'bitsquatting':
      return onLabel(bitsquatting(label));
    case 'dictionary':
      return onLabel(dictionary(label, options.dictionary));
  }
}

/**
 * Permutations of `domain`'s registrable domain, deduplicated on the ASCII host, valid hostnames only,
 * never the domain itself.
 * @throws ValidationError `LOOKALIKE_BAD_DOMAIN` when `domain` has no registrable domain.
 */
export function generatePermutations(domain: string, options: PermutationOptions = {}): Permutation[] {
  const parts = splitDomain(domain);
  const settings = {
    tlds: (options.tlds ?? DEFAULT_SWAP_TLDS).map((t) => t.toLowerCase().replace(/^\./, '')),
    dictionary: options.dictionary ?? DEFAULT_DICTIONARY,
  };
  const seen = new Set<string>([parts.domain]);
  const result: Permutation[] = [];
  for (const technique of options.techniques ?? PERMUTATION_TECHNIQUES) {
    for (const host of hostsFor(technique, parts, settings)) {
      const ascii = validHostname(host);
      if (ascii === undefined || seen.has(ascii)) continue;
      seen.add(ascii);
      result.push({ domain: ascii, unicode: domainToUnicode(ascii), technique });
    }
  }
  return result;
}
