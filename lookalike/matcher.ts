/**
 * Flags hosts that imitate a protected brand's domains (a permutation, a look-alike skeleton, a small
 * Damerau-Levenshtein distance, the brand label with a word added) and brand names written in page
 * text with a small edit distance (华羙 for 华美; Chinese compared by characters, Latin by words).
 */
// Deep import: natural's root pulls every analyzer (slow to load, and one ships a .ts file tsc rejects).
import distance from 'natural/lib/natural/distance/index.js';
import { domainToASCII, domainToUnicode } from 'node:url';
import { ValidationError } from '../core/errors.js';
import { foldHan, HAN_VARIANTS, skeleton } from './confusables.js';
import {
  generatePermutations,
  splitDomain,
  type PermutationOptions,
  type PermutationTechnique,
} from './permutations.js';

const { DamerauLevenshteinDistance } = distance;

/** A protected brand: its names (Chinese and English) and its official domains. */
export interface BrandProfile {
  /** Stable id, e.g. `huamei`. */
  id: string;
  /** Names as written on its pages, e.g. `华美`, `Huamei`. */
  names: string[];
  /** Official registrable domains (their subdomains are official too). */
  domains: string[];
}

/** How a host imitates a brand domain: a permutation technique, or a looser label comparison. */
export type DomainTechnique = PermutationTechnique | 'skeleton' | 'edit-distance' | 'affix';

export interface DomainMatch {
  brandId: string;
  /** The official domain imitated. */
  brandDomain: string;
  /** The suspect host as matched (ASCII): the registrable domain, or the full host for `subdomain`. */
  suspect: string;
  /** The suspect in Unicode. */
  unicode: string;
  technique: DomainTechnique;
  /** Damerau-Levenshtein distance between the suspect and the brand label (Unicode). */
  distance: number;
}

export interface BrandMention {
  brandId: string;
  /** The brand name the text imitates or names. */
  name: string;
  /** What the text says, e.g. `华羙`. */
  found: string;
  /** Damerau-Levenshtein distance between `found` and `name` (0: the name itself). */
  distance: number;
  /** Code-unit offset of `found` in the text. */
  offset: number;
}

/** Options of {@link LookalikeMatcher}. */
export interface LookalikeMatcherOptions {
  /** Passed to the permutation generator. @default {} */
  permutations?: PermutationOptions;
  /** Chinese variant characters folded before comparing. @default HAN_VARIANTS */
  hanVariants?: Readonly<Record<string, string>>;
  /** Shortest brand label compared by edit distance and by affix (shorter ones: permutations only). @default 5 */
  minFuzzyLabelLength?: number;
}

const HAN = /\p{Script=Han}/u;
/** Latin-script words, with the Cyrillic and Greek letters used as homoglyphs. */
const WORD = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]+/gu;

/** Edits allowed for a Latin label or word of `length` characters. */
function latinBudget(length: number): number {
  if (length >= 9) return 2;
  return length >= 5 ? 1 : 0;
}

/** Edits allowed for a Chinese name: two-character names only through variant characters. */
function hanBudget(length: number): number {
  return length >= 4 ? 1 : 0;
}

function dl(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b, { restricted: true });
}

interface BrandDomainEntry {
  brandId: string;
  domain: string;
  label: string;
  suffix: string;
  skeleton: string;
  permutations: Map<string, PermutationTechnique>;
}

function checkBrand(brand: BrandProfile): void {
  const bad =
    typeof brand.id !== 'string' ||
    brand.id.trim() === '' ||
    !Array.isArray(brand.names) ||
    !Array.isArray(brand.domains) ||
    brand.names.length + brand.domains.length === 0;
  if (bad) {
    throw new ValidationError(
      'A protected brand needs an id and at least one name or domain',
      { brand },
      'LOOKALIKE_BAD_BRAND',
    );
  }
}

/** Matches hosts and page text against protected brands; build once, use for a whole scan. */
export class LookalikeMatcher {
  readonly brands: readonly BrandProfile[];
  private readonly entries: BrandDomainEntry[] = [];
  private readonly official = new Map<string, string>();
  private readonly variants: Readonly<Record<string, string>>;
  private readonly minFuzzy: number;

  /** @throws ValidationError `LOOKALIKE_BAD_BRAND` or `LOOKALIKE_BAD_DOMAIN` for a malformed brand. */
  constructor(brands: readonly BrandProfile[], options: LookalikeMatcherOptions = {}) {
    this.brands = brands;
    this.variants = options.hanVariants ?? HAN_VARIANTS;
    this.minFuzzy = options.minFuzzyLabelLength ?? 5;
    for (const brand of brands) {
      checkBrand(brand);
      for (const domain of brand.domains) {
        const parts = splitDomain(domain);
        this.official.set(parts.domain, brand.id);
        const permutations = new Map(
          generatePermutations(parts.domain, options.permutations).map((p) => [p.domain, p.technique]),
        );
        this.entries.push({ brandId: brand.id, ...parts, skeleton: skeleton(parts.label), permutations });
      }
    }
  }

  /** The brand owning `host` (the host or a parent is an official domain), if any. */
  officialBrandOf(host: string): string | undefined {
    const labels = domainToASCII(host.toLowerCase()).split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const owner = this.official.get(labels.slice(i).join('.'));
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  /** The best match per brand for `host`; [] for official hosts, bad hosts and unrelated ones. */
  matchDomain(host: string): DomainMatch[] {
    const ascii = domainToASCII(String(host).trim().toLowerCase().replace(/\.$/, ''));
    if (ascii === '') return [];
    let registrable: ReturnType<typeof splitDomain>;
    try {
      registrable = splitDomain(ascii);
    } catch {
      return [];
    }
    const best = new Map<string, DomainMatch>();
    const owner = this.officialBrandOf(ascii);
    for (const entry of this.entries) {
      if (owner === entry.brandId) continue;
      const match = this.matchEntry(entry, ascii, registrable);
      const current = best.get(entry.brandId);
      if (match && (!current || match.distance < current.distance)) best.set(entry.brandId, match);
    }
    return [...best.values()];
  }

  private matchEntry(
    entry: BrandDomainEntry,
    host: string,
    registrable: ReturnType<typeof splitDomain>,
  ): DomainMatch | undefined {
    const make = (suspect: string, technique: DomainTechnique, compared: string): DomainMatch => ({
      brandId: entry.brandId,
      brandDomain: entry.domain,
      suspect,
      unicode: domainToUnicode(suspect),
      technique,
      distance: dl(compared, entry.label),
    });
    for (const candidate of host === registrable.domain ? [host] : [registrable.domain, host]) {
      const technique = entry.permutations.get(candidate);
      if (technique) {
        const compared =
          technique === 'subdomain'
            ? domainToUnicode(candidate).slice(0, -entry.suffix.length - 1)
            : registrable.label;
        return make(candidate, technique, compared.replace(/\./g, ''));
      }
    }
    const label = registrable.label;
    if (label === entry.label) return make(registrable.domain, 'tld-swap', label);
    if (skeleton(label) === entry.skeleton) return make(registrable.domain, 'skeleton', label);
    if (entry.label.length < this.minFuzzy) return undefined;
    if (dl(label, entry.label) <= latinBudget(entry.label.length))
      return make(registrable.domain, 'edit-distance', label);
    if (
      label.split('-').includes(entry.label) ||
      label.startsWith(entry.label) ||
      label.endsWith(entry.label)
    ) {
      return make(registrable.domain, 'affix', label);
    }
    return undefined;
  }

  /** Brand names in `text`, exact or within a small edit distance, in text order. */
  findMentions(text: string): BrandMention[] {
    if (typeof text !== 'string' || text === '') return [];
    const mentions: BrandMention[] = [];
    for (const brand of this.brands) {
      for (const name of brand.names) {
        const found = HAN.test(name) ? this.hanMentions(text, name) : latinMentions(text, name);
        for (const m of found) mentions.push({ brandId: brand.id, name, ...m });
      }
    }
    return withoutNested(mentions).sort((a, b) => a.offset - b.offset);
  }

  /** Windows of the name's length over the text, compared after folding variant characters. */
  private hanMentions(text: string, name: string): Array<Omit<BrandMention, 'brandId' | 'name'>> {
    const chars = [...text];
    const folded = [...foldHan(text, this.variants)];
    const target = [...foldHan(name, this.variants)];
    const wanted = new Set(target);
    const budget = hanBudget(target.length);
    const out: Array<Omit<BrandMention, 'brandId' | 'name'>> = [];
    let offset = 0;
    for (let i = 0; i + target.length <= folded.length;) {
      const window = folded.slice(i, i + target.length);
      const shared = window.filter((ch) => wanted.has(ch)).length;
      const hit = shared >= target.length - budget && dl(window.join(''), target.join('')) <= budget;
      if (hit) {
        const raw = chars.slice(i, i + target.length).join('');
        out.push({ found: raw, distance: dl(raw, name), offset });
        offset += raw.length;
        i += target.length;
      } else {
        offset += (chars[i] ?? '').length;
        i += 1;
      }
    }
    return out;
  }
}

/** Drops a mention lying inside a longer one of the same brand (华美 inside 华美化妆品). */
function withoutNested(mentions: BrandMention[]): BrandMention[] {
  const end = (m: BrandMention): number => m.offset + m.found.length;
  return mentions.filter(
    (m) =>
      !mentions.some(
        (o) =>
          o !== m &&
          o.brandId === m.brandId &&
          o.found.length > m.found.length &&
          o.offset <= m.offset &&
          end(o) >= end(m),
      ),
  );
}

/** Word windows of the name's word count, compared by skeleton or by a small edit distance. */
function latinMentions(text: string, name: string): Array<Omit<BrandMention, 'brandId' | 'name'>> {
  const target = (name.toLowerCase().match(WORD) ?? []).join(' ');
  const size = target.split(' ').length;
  if (target === '') return [];
  const words = [...text.matchAll(WORD)];
  const targetSkeleton = skeleton(target);
  const budget = latinBudget(target.length);
  const out: Array<Omit<BrandMention, 'brandId' | 'name'>> = [];
  for (let i = 0; i + size <= words.length; i++) {
    const first = words[i];
    const last = words[i + size - 1];
    if (!first || !last) break;
    const found = text.slice(first.index, last.index + last[0].length);
    const candidate = words
      .slice(i, i + size)
      .map((w) => w[0].toLowerCase())
      .join(' ');
    if (HAN.test(candidate)) continue;
    const d = dl(candidate, target);
    if (d <= budget || skeleton(candidate) === targetSkeleton) {
      out.push({ found, distance: d, offset: first.index });
      i += size - 1;
    }
  }
  return out;
}
