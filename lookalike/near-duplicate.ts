/**
 * Near-duplicate pages by 64-bit simhash (Charikar): features are shingles of two consecutive tokens,
 * where a token is a Chinese character (so Chinese shingles are character bigrams) or a lower-cased
 * Latin word; bare numbers are left out, as copies change prices first. Equal texts hash equally; a few changed words move a few bits.
 */
// Deep import: natural's root pulls every analyzer (slow to load, and one ships a .ts file tsc rejects).
import distance from 'natural/lib/natural/distance/index.js';

const { JaroWinklerDistance } = distance;

const TOKEN = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
const HAN_CHAR = /^\p{Script=Han}$/u;
const MASK_64 = (1n << 64n) - 1n;

/** Shingles (two consecutive tokens) of `text`, with repeats, in text order. */
export function shingles(text: string): string[] {
  // Numbers (prices, stock, dates) change between copies; the words around them do not.
  const tokens = (text.normalize('NFKC').toLowerCase().match(TOKEN) ?? []).filter((t) => !/^\d+$/.test(t));
  if (tokens.length === 1) return [tokens[0] ?? ''];
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] ?? '';
    const b = tokens[i + 1] ?? '';
    out.push(HAN_CHAR.test(a) && HAN_CHAR.test(b) ? a + b : `${a} ${b}`);
  }
  return out;
}

/** 64-bit FNV-1a over the UTF-16 code units of `value`. */
function fnv1a64(value: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < value.length; i++) {
    hash ^= BigInt(value.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & MASK_64;
  }
  return hash;
}

/** Simhash of `text` as an unsigned 64-bit bigint; 0n for a text without tokens. */
export function simhash(text: string): bigint {
  const counts = new Map<string, number>();
  for (const s of shingles(text)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const weights = new Float64Array(64);
  for (const [feature, weight] of counts) {
    const hash = fnv1a64(feature);
    const lo = Number(hash & 0xffffffffn);
    const hi = Number(hash >> 32n);
    for (let bit = 0; bit < 32; bit++) {
      weights[bit] = (weights[bit] ?? 0) + ((lo >>> bit) & 1 ? weight : -weight);
      weights[bit + 32] = (weights[bit + 32] ?? 0) + ((hi >>> bit) & 1 ? weight : -weight);
    }
  }
  let result = 0n;
  for (let bit = 0; bit < 64; bit++) if ((weights[bit] ?? 0) > 0) result |= 1n << BigInt(bit);
  return counts.size === 0 ? 0n : result;
}

/** Bits in which two simhashes differ (0 to 64). */
export function hammingDistance(a: bigint, b: bigint): number {
  let x = (a ^ b) & MASK_64;
  let bits = 0;
  while (x !== 0n) {
    x &= x - 1n;
    bits += 1;
  }
  return bits;
}

/** 1 for equal hashes, 0 for opposite ones. */
export function simhashSimilarity(a: bigint, b: bigint): number {
  return 1 - hammingDistance(a, b) / 64;
}

/** 16 hex digits, for storage and display. */
export function simhashHex(hash: bigint): string {
  return hash.toString(16).padStart(16, '0');
}

/** A page as the comparison needs it. */
export interface ComparablePage {
  url: string;
  title: string;
  text: string;
}

/** A page with its simhash and shingles, computed once per scan. */
export interface PageFingerprint {
  url: string;
  title: string;
  simhash: bigint;
  shingles: ReadonlySet<string>;
  /** Shingles in text order, for a readable sample of what two pages share. */
  ordered: readonly string[];
}

export function fingerprintPage(page: ComparablePage): PageFingerprint {
  const ordered = shingles(`${page.title}\n${page.text}`);
  return {
    url: page.url,
    title: page.title,
    simhash: simhash(`${page.title}\n${page.text}`),
    shingles: new Set(ordered),
    ordered,
  };
}

/** Evidence that a suspect page copies a brand page. */
export interface NearDuplicatePair {
  suspectUrl: string;
  brandUrl: string;
  /** Hamming distance of the two simhashes. */
  distance: number;
  /** 1 − distance / 64. */
  similarity: number;
  /** Share of the suspect's distinct shingles found on the brand page (0…1). */
  sharedRatio: number;
  /** A few shingles both pages contain, in the suspect's text order. */
  sharedSample: string[];
  suspectTitle: string;
  brandTitle: string;
  /** Jaro-Winkler similarity of the titles (0…1). */
  titleSimilarity: number;
}

/** Options of {@link findNearDuplicates}. */
export interface NearDuplicateOptions {
  /** Largest Hamming distance reported as a near duplicate. @default 10 */
  maxDistance?: number;
  /** Shingles kept in `sharedSample`. @default 8 */
  sampleSize?: number;
}

/** Compares two fingerprints and builds the evidence, whatever their distance. */
export function comparePages(
  suspect: PageFingerprint,
  brand: PageFingerprint,
  sampleSize = 8,
): NearDuplicatePair {
  const d = hammingDistance(suspect.simhash, brand.simhash);
  let shared = 0;
  for (const s of suspect.shingles) if (brand.shingles.has(s)) shared += 1;
  const sample: string[] = [];
  for (const s of suspect.ordered) {
    if (sample.length >= sampleSize) break;
    if (brand.shingles.has(s) && !sample.includes(s)) sample.push(s);
  }
  return {
    suspectUrl: suspect.url,
    brandUrl: brand.url,
    distance: d,
    similarity: 1 - d / 64,
    sharedRatio: suspect.shingles.size === 0 ? 0 : shared / suspect.shingles.size,
    sharedSample: sample,
    suspectTitle: suspect.title,
    brandTitle: brand.title,
    titleSimilarity: JaroWinklerDistance(suspect.title, brand.title),
  };
}

/**
 * For each suspect page, its nearest brand page when within `maxDistance`, closest pairs first.
 * A brand page may pair with several suspect pages.
 */
export function findNearDuplicates(
  suspects: readonly PageFingerprint[],
  brand: readonly PageFingerprint[],
  options: NearDuplicateOptions = {},
): NearDuplicatePair[] {
  const { maxDistance = 10, sampleSize = 8 } = options;
  const pairs: NearDuplicatePair[] = [];
  for (const suspect of suspects) {
    if (suspect.shingles.size === 0) continue;
    let nearest: PageFingerprint | undefined;
    let nearestDistance = Infinity;
    for (const candidate of brand) {
      if (candidate.shingles.size === 0) continue;
      const d = hammingDistance(suspect.simhash, candidate.simhash);
      if (d < nearestDistance) [nearest, nearestDistance] = [candidate, d];
    }
    if (nearest && nearestDistance <= maxDistance) pairs.push(comparePages(suspect, nearest, sampleSize));
  }
  return pairs.sort((a, b) => a.distance - b.distance || a.suspectUrl.localeCompare(b.suspectUrl));
}
