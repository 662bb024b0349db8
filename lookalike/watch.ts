/**
 * The lookalike watch: for each protected brand, find crawled domains that imitate its domains or its
 * name, compare their pages with the brand's own by simhash, and upsert one reviewable finding per
 * suspect domain and brand into the `lookalikes` index. Idempotent: a rerun refreshes the evidence and
 * `last_seen`, and keeps `first_seen` and the reviewer's `status`.
 */
import { z } from 'zod';
import { AppError, ValidationError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { BulkOperation, EnginePort, RefreshPolicy } from '../engine/port.js';
import { aliasName, lookalikesDefinition } from '../mappings/index.js';
import { migrate } from '../mappings/migrate.js';
import { buildFinding, type LookalikeFinding, type SuspectEvidence } from './finding.js';
import { LookalikeMatcher, type BrandMention, type BrandProfile } from './matcher.js';
import { fingerprintPage, type PageFingerprint } from './near-duplicate.js';
import { listHosts, loadPages, mentionCandidates, type PageRecord } from './page-source.js';

export type { LookalikeFinding } from './finding.js';

/** A protected brand as configured: names (zh and en) and official domains. */
export const protectedBrandSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _'),
  names: z.array(z.string().trim().min(1)).default([]),
  domains: z.array(z.string().trim().min(3)).min(1),
});

export type ProtectedBrand = z.input<typeof protectedBrandSchema>;

/** Options of {@link runLookalikeWatch}. */
export interface LookalikeWatchOptions {
  /** Index prefix, e.g. `argus`; pages are read from `<prefix>-pages`, findings go to `<prefix>-lookalikes`. */
  prefix: string;
  brands: readonly ProtectedBrand[];
  /** Pages read per domain (brand or suspect) for the simhash comparison. @default 200 */
  maxPagesPerDomain?: number;
  /** Largest simhash Hamming distance that counts as a copied page. @default 3 */
  nearDuplicateDistance?: number;
  /** Copied pages that make a domain with no other sign a suspect (`content-copy`). @default 2 */
  minCopiedPages?: number;
  /** Closest page pairs kept as evidence per finding. @default 5 */
  pairsPerFinding?: number;
  /** Run `migrate` for the lookalikes index first (safe to repeat). @default true */
  ensureIndex?: boolean;
  /** Refresh policy of the findings write. @default false */
  refresh?: RefreshPolicy;
  /** Clock, for `first_seen`/`last_seen`. @default () => new Date() */
  now?: () => Date;
}

export interface LookalikeWatchReport {
  hostsScanned: number;
  /** Findings written (created or refreshed) in this run. */
  findings: LookalikeFinding[];
  created: number;
  updated: number;
}

function parseBrands(brands: readonly ProtectedBrand[]): BrandProfile[] {
  const parsed = z.array(protectedBrandSchema).min(1).safeParse(brands);
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid protected brands',
      { issues: parsed.error.issues },
      'LOOKALIKE_BAD_BRAND',
    );
  }
  const ids = parsed.data.map((b) => b.id);
  if (new Set(ids).size !== ids.length) {
    throw new ValidationError('Protected brand ids must be unique', { ids }, 'LOOKALIKE_BAD_BRAND');
  }
  return parsed.data;
}

/** Suspects keyed by `<brand>|<suspect>`, filled by domain matches and by brand names in text. */
type SuspectMap = Map<string, SuspectEvidence>;

function suspectFor(
  map: SuspectMap,
  brandId: string,
  suspect: string,
  init: () => SuspectEvidence,
): SuspectEvidence {
  const key = `${brandId}|${suspect}`;
  let entry = map.get(key);
  if (!entry) {
    entry = init();
    map.set(key, entry);
  }
  return entry;
}

async function collectMentions(
  engine: EnginePort,
  pagesIndex: string,
  matcher: LookalikeMatcher,
  brands: readonly BrandProfile[],
): Promise<Map<string, Array<BrandMention & { url: string }>>> {
  const byDomain = new Map<string, Array<BrandMention & { url: string }>>();
  const names = brands.flatMap((b) => b.names);
  const official = brands.flatMap((b) => b.domains.map((d) => d.toLowerCase()));
  for await (const page of mentionCandidates(engine, pagesIndex, names, official)) {
    if (matcher.officialBrandOf(page.host) !== undefined) continue;
    const found = matcher.findMentions(`${page.title}\n${page.text}`).map((m) => ({ ...m, url: page.url }));
    if (found.length === 0) continue;
    byDomain.set(page.registered_domain, [...(byDomain.get(page.registered_domain) ?? []), ...found]);
  }
  return byDomain;
}

async function findSuspects(
  engine: EnginePort,
  pagesIndex: string,
  matcher: LookalikeMatcher,
  brands: readonly BrandProfile[],
): Promise<{ suspects: SuspectMap; hostsScanned: number }> {
  const suspects: SuspectMap = new Map();
  const hosts = await listHosts(engine, pagesIndex);
  for (const { host, registeredDomain } of hosts) {
    for (const match of matcher.matchDomain(host)) {
      const byHost = match.suspect !== registeredDomain;
      const entry = suspectFor(suspects, match.brandId, match.suspect, () => ({
        brandId: match.brandId,
        suspect: match.suspect,
        byHost,
        mentions: [],
      }));
      entry.domainMatch ??= match;
    }
  }
  const mentions = await collectMentions(engine, pagesIndex, matcher, brands);
  for (const [domain, found] of mentions) {
    for (const brand of brands) {
      const own = found.filter((m) => m.brandId === brand.id);
      if (own.length === 0) continue;
      const init = (): SuspectEvidence => ({
        brandId: brand.id,
        suspect: domain,
        byHost: false,
        mentions: [],
      });
      suspectFor(suspects, brand.id, domain, init).mentions.push(...own);
    }
  }
  return { suspects, hostsScanned: hosts.length };
}

async function brandFingerprints(
  engine: EnginePort,
  pagesIndex: string,
  brand: BrandProfile,
  max: number,
): Promise<PageFingerprint[]> {
  const pages: PageRecord[] = [];
  for (const domain of brand.domains) {
    pages.push(...(await loadPages(engine, pagesIndex, { registeredDomain: domain }, max)));
  }
  return pages.map(fingerprintPage);
}

/**
 * Runs the watch once over `<prefix>-pages` and upserts findings into `<prefix>-lookalikes`.
 * @throws ValidationError `LOOKALIKE_BAD_BRAND` / `LOOKALIKE_BAD_DOMAIN` for a malformed brand list;
 * AppError `LOOKALIKE_WRITE_FAILED` (retryable on 429/5xx) when the engine refuses findings.
 */
export async function runLookalikeWatch(
  engine: EnginePort,
  options: LookalikeWatchOptions,
): Promise<LookalikeWatchReport> {
  const brands = parseBrands(options.brands);
  const matcher = new LookalikeMatcher(brands);
  const max = options.maxPagesPerDomain ?? 200;
  const pagesIndex = aliasName(options.prefix, 'pages');
  const findingsIndex = aliasName(options.prefix, lookalikesDefinition.name);
  const now = (options.now ?? (() => new Date()))().toISOString();
  if (options.ensureIndex ?? true)
    await migrate(engine, { prefix: options.prefix, definitions: [lookalikesDefinition] });

  const { suspects, hostsScanned } = await findSuspects(engine, pagesIndex, matcher, brands);
  const findings: LookalikeFinding[] = [];
  for (const brand of brands) {
    const own = [...suspects.values()].filter((s) => s.brandId === brand.id);
    if (own.length === 0) continue;
    const brandPages = await brandFingerprints(engine, pagesIndex, brand, max);
    for (const suspect of own) {
      const target = suspect.byHost ? { host: suspect.suspect } : { registeredDomain: suspect.suspect };
      const pages = (await loadPages(engine, pagesIndex, target, max)).map(fingerprintPage);
      const finding = buildFinding(suspect, pages, brandPages, brand, {
        now,
        nearDuplicateDistance: options.nearDuplicateDistance ?? 3,
        minCopiedPages: options.minCopiedPages ?? 2,
        pairsPerFinding: options.pairsPerFinding ?? 5,
      });
      if (finding) findings.push(finding);
    }
  }
  const { created, updated } = await writeFindings(engine, findingsIndex, findings, options.refresh ?? false);
  logger('lookalike').info(
    { hostsScanned, findings: findings.length, created, updated },
    'lookalike watch done',
  );
  return { hostsScanned, findings, created, updated };
}

/** Upserts: evidence and `last_seen` always; `status` and `first_seen` only when the finding is new. */
async function writeFindings(
  engine: EnginePort,
  index: string,
  findings: readonly LookalikeFinding[],
  refresh: RefreshPolicy,
): Promise<{ created: number; updated: number }> {
  if (findings.length === 0) return { created: 0, updated: 0 };
  const operations: BulkOperation[] = findings.map((finding) => {
    const evidence: Partial<LookalikeFinding> = { ...finding };
    delete evidence.status;
    delete evidence.first_seen;
    return { op: 'update', index, id: finding.id, doc: evidence, upsert: { ...finding }, retryOnConflict: 3 };
  });
  const result = await engine.bulk(operations, { refresh });
  const failed = result.items.filter((item) => !item.ok);
  if (failed.length > 0) {
    throw new AppError(`${failed.length} lookalike findings were not written`, {
      code: 'LOOKALIKE_WRITE_FAILED',
      retryable: failed.some((item) => item.status === 429 || item.status >= 500),
      details: { failed: failed.slice(0, 10) },
    });
  }
  const created = result.items.filter((item) => item.result === 'created').length;
  return { created, updated: result.items.length - created };
}
