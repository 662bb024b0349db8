/** One reviewable lookalike finding, as stored in the `lookalikes` index, built from a suspect's evidence. */
import { domainToUnicode } from 'node:url';
import type { BrandMention, BrandProfile, DomainMatch, DomainTechnique } from './matcher.js';
import { findNearDuplicates, type NearDuplicatePair, type PageFingerprint } from './near-duplicate.js';

export type FindingTechnique = DomainTechnique | 'text-variant' | 'content-copy';
export type FindingStatus = 'open' | 'confirmed' | 'dismissed';

/** What the watch gathered about one suspect domain for one brand. */
export interface SuspectEvidence {
  brandId: string;
  /** ASCII registrable domain, or host when the match was on the whole host. */
  suspect: string;
  byHost: boolean;
  domainMatch?: DomainMatch;
  mentions: Array<BrandMention & { url: string }>;
}

export interface FindingMention {
  name: string;
  found: string;
  distance: number;
  count: number;
  /** First page where it was found. */
  url: string;
}

export interface FindingPair {
  suspect_url: string;
  brand_url: string;
  distance: number;
  similarity: number;
  shared_ratio: number;
  shared_sample: string[];
  suspect_title: string;
  brand_title: string;
  title_similarity: number;
}

export interface LookalikeFinding {
  /** `<brand id>|<suspect domain>`. */
  id: string;
  brand_id: string;
  brand_domain: string;
  suspect_domain: string;
  suspect_unicode: string;
  technique: FindingTechnique;
  techniques: FindingTechnique[];
  /** Edit distance of the suspect label to the brand label; null when the domain itself does not match. */
  distance: number | null;
  mentions: FindingMention[];
  simhash_distance: number | null;
  simhash_similarity: number | null;
  near_duplicate_pages: number;
  pages_compared: number;
  pairs: FindingPair[];
  status: FindingStatus;
  first_seen: string;
  last_seen: string;
}

export interface BuildFindingOptions {
  now: string;
  nearDuplicateDistance: number;
  minCopiedPages: number;
  pairsPerFinding: number;
}

/** Distinct (name, found) spellings with their counts, closest to the name last so variants lead. */
function summariseMentions(mentions: SuspectEvidence['mentions']): FindingMention[] {
  const byKey = new Map<string, FindingMention>();
  for (const m of mentions) {
    const key = `${m.name}|${m.found}`;
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { name: m.name, found: m.found, distance: m.distance, count: 1, url: m.url });
  }
  return [...byKey.values()].sort((a, b) => b.distance - a.distance || b.count - a.count).slice(0, 20);
}

function toPair(pair: NearDuplicatePair): FindingPair {
  return {
    suspect_url: pair.suspectUrl,
    brand_url: pair.brandUrl,
    distance: pair.distance,
    similarity: pair.similarity,
    shared_ratio: Number(pair.sharedRatio.toFixed(4)),
    shared_sample: pair.sharedSample,
    suspect_title: pair.suspectTitle,
    brand_title: pair.brandTitle,
    title_similarity: Number(pair.titleSimilarity.toFixed(4)),
  };
}

/**
 * The finding for one suspect, or undefined when nothing holds: a domain match always holds; a brand
 * name written with variants (华羙) holds; an exact brand name holds only with enough copied pages.
 */
export function buildFinding(
  suspect: SuspectEvidence,
  pages: readonly PageFingerprint[],
  brandPages: readonly PageFingerprint[],
  brand: BrandProfile,
  options: BuildFindingOptions,
): LookalikeFinding | undefined {
  const nearest = findNearDuplicates(pages, brandPages, { maxDistance: 64 });
  const copied = nearest.filter((p) => p.distance <= options.nearDuplicateDistance).length;
  const techniques: FindingTechnique[] = [];
  if (suspect.domainMatch) techniques.push(suspect.domainMatch.technique);
  if (suspect.mentions.some((m) => m.distance > 0)) techniques.push('text-variant');
  if (copied >= options.minCopiedPages || (copied > 0 && techniques.length > 0))
    techniques.push('content-copy');
  const [technique] = techniques;
  if (technique === undefined) return undefined;
  const closest = nearest[0];
  return {
    id: `${brand.id}|${suspect.suspect}`,
    brand_id: brand.id,
    brand_domain: suspect.domainMatch?.brandDomain ?? brand.domains[0]?.toLowerCase() ?? '',
    suspect_domain: suspect.suspect,
    suspect_unicode: domainToUnicode(suspect.suspect),
    technique,
    techniques,
    distance: suspect.domainMatch?.distance ?? null,
    mentions: summariseMentions(suspect.mentions),
    simhash_distance: closest?.distance ?? null,
    simhash_similarity: closest?.similarity ?? null,
    near_duplicate_pages: copied,
    pages_compared: pages.length,
    pairs: nearest.slice(0, options.pairsPerFinding).map(toPair),
    status: 'open',
    first_seen: options.now,
    last_seen: options.now,
  };
}
