/**
 * Unregistered operator candidates: e-commerce pages that link to no operator, folded into one
 * `candidates` document per registered domain. Recording is idempotent: the same page seen again only
 * moves `last_seen` (or changes nothing at all).
 */
import type { BulkOperation, EnginePort, Script } from '../../engine/port.js';
import { aliasName, MAX_CANDIDATE_SAMPLE_URLS } from '../../mappings/index.js';
import { AppError, errorCode } from '../../core/errors.js';
import { EngineErrorCode } from '../../engine/errors.js';
import { ecommerceSignals, type ShopLikePage } from './ecommerce-signals.js';
import { hostKey, registeredKey, usccKey } from './identity-keys.js';
import type { LinkResult, PageIdentity } from './link.types.js';

export type CandidateStatus = 'open' | 'registered' | 'dismissed';

/** A page as the candidate recorder reads it (a subset of the `pages` document). */
export interface CandidatePage extends PageIdentity, ShopLikePage {
  url: string;
  registered_domain?: string;
  fetched_at: string;
}

/** Folds pages (`params.pages`, distinct URLs) of one domain into its candidate. */
const RECORD_SCRIPT = `
def s = ctx._source;
boolean changed = false;
if (s.first_seen == null || s.first_seen.compareTo(params.first_seen) > 0) { s.first_seen = params.first_seen; changed = true; }
if (s.last_seen == null || s.last_seen.compareTo(params.last_seen) < 0) { s.last_seen = params.last_seen; changed = true; }
if (s.evidence == null) { s.evidence = new HashMap(); }
def e = s.evidence;
if (s.sample_urls == null) { s.sample_urls = new ArrayList(); }
for (def p : params.pages) {
  if (!s.sample_urls.contains(p.url)) {
    s.page_count = (s.page_count == null ? 0 : s.page_count) + 1;
    e.price_count = (e.price_count == null ? 0 : e.price_count) + p.price_count;
    e.structured_price_count = (e.structured_price_count == null ? 0 : e.structured_price_count) + p.structured_price_count;
    if (s.sample_urls.size() < params.max_urls) { s.sample_urls.add(p.url); }
    changed = true;
  }
}
for (def entry : params.sets.entrySet()) {
  def target = entry.getKey().startsWith('evidence.') ? e : s;
  def field = entry.getKey().startsWith('evidence.') ? entry.getKey().substring(9) : entry.getKey();
  def list = target[field];
  if (list == null) { list = new ArrayList(); target[field] = list; }
  else if (!(list instanceof List)) { def one = list; list = new ArrayList(); list.add(one); target[field] = list; }
  for (def v : entry.getValue()) { if (!list.contains(v)) { list.add(v); changed = true; } }
}
if (changed) { s.updated_at = params.now; } else { ctx.op = 'noop'; }
`;

/** What one page shows of an unregistered operator, before pages of its domain are folded into one write. */
export interface CandidateEvidence {
  domain: string;
  url: string;
  seenAt: string;
  priceCount: number;
  structuredPriceCount: number;
  /** Values added to list fields (`evidence.*` under `evidence`). */
  sets: Record<string, string[]>;
}

/** The claimed-operator ids named in a link reason (`claims uscc:op-1`). */
function claimedOperators(link: LinkResult): string[] {
  return [...link.reason.matchAll(/claims \w+:([^;\s]+)/g)].map((m) => m[1] as string);
}

function districtOf(uscc: string): string | null {
  const code = usccKey(uscc).slice(2, 8);
  return /^\d{6}$/.test(code) ? code : null;
}

/** Options of {@link CandidateRepository}. */
export interface CandidateRepositoryOptions {
  prefix: string;
  /** Clock for `updated_at` / `status_changed_at`. @default () => new Date() */
  now?: () => Date;
}

export class CandidateRepository {
  readonly alias: string;
  private readonly now: () => Date;

  constructor(
    private readonly engine: EnginePort,
    options: CandidateRepositoryOptions,
  ) {
    this.alias = aliasName(options.prefix, 'candidates');
    this.now = options.now ?? (() => new Date());
  }

  /** What `page` shows of an unregistered operator, or null when it is linked or not e-commerce. */
  evidenceOf(page: CandidatePage, link: LinkResult): CandidateEvidence | null {
    if (link.operator_id !== null) return null;
    const signals = ecommerceSignals(page);
    if (!signals.ecommerce) return null;
    const host = hostKey(page.host);
    const domain = page.registered_domain || registeredKey(host);
    if (domain === '') return null;
    const ids = page.identifiers ?? {};
    const usccs = [...(ids.uscc ?? []), ...(ids.uscc_invalid ?? [])];
    return {
      domain,
      url: page.url,
      seenAt: page.fetched_at,
      priceCount: signals.priceCount,
      structuredPriceCount: signals.structuredPriceCount,
      sets: {
        hosts: [host],
        'evidence.cart_signals': signals.cartSignals,
        'evidence.uscc': ids.uscc ?? [],
        'evidence.uscc_invalid': ids.uscc_invalid ?? [],
        'evidence.icp': ids.icp ?? [],
        'evidence.licence': ids.licence ?? [],
        'evidence.claimed_operator_ids': claimedOperators(link),
        district_hints: usccs.map(districtOf).filter((d): d is string => d !== null),
      },
    };
  }

  /**
   * The write that records `page` as evidence of an unregistered operator, or null when the page is
   * linked or does not look like e-commerce.
   */
  operationFor(page: CandidatePage, link: LinkResult): BulkOperation | null {
    const evidence = this.evidenceOf(page, link);
    return evidence ? this.operationForEvidence([evidence]) : null;
  }

  /** One write folding the evidence of pages of one domain (`list[0].domain`) into its candidate. */
  operationForEvidence(list: readonly CandidateEvidence[]): BulkOperation {
    const [first] = list as [CandidateEvidence, ...CandidateEvidence[]];
    const byUrl = new Map<string, CandidateEvidence>();
    for (const evidence of list) if (!byUrl.has(evidence.url)) byUrl.set(evidence.url, evidence);
    const pages = [...byUrl.values()];
    const times = list.map((e) => e.seenAt).sort();
    const firstSeen = times[0] ?? first.seenAt;
    const lastSeen = times[times.length - 1] ?? first.seenAt;
    const sets: Record<string, string[]> = {};
    for (const evidence of list) {
      for (const [key, values] of Object.entries(evidence.sets)) {
        const union = (sets[key] ??= []);
        for (const value of values) if (!union.includes(value)) union.push(value);
      }
    }
    const now = this.now().toISOString();
    const script: Script = {
      source: RECORD_SCRIPT,
      params: {
        pages: pages.map((e) => ({
          url: e.url,
          price_count: e.priceCount,
          structured_price_count: e.structuredPriceCount,
        })),
        first_seen: firstSeen,
        last_seen: lastSeen,
        now,
        max_urls: MAX_CANDIDATE_SAMPLE_URLS,
        sets,
      },
    };
    const sum = (pick: (e: CandidateEvidence) => number): number =>
      pages.reduce((total, e) => total + pick(e), 0);
    const upsert = {
      id: first.domain,
      domain: first.domain,
      status: 'open' satisfies CandidateStatus,
      status_changed_at: now,
      first_seen: firstSeen,
      last_seen: lastSeen,
      sample_urls: pages.slice(0, MAX_CANDIDATE_SAMPLE_URLS).map((e) => e.url),
      page_count: pages.length,
      evidence: {
        price_count: sum((e) => e.priceCount),
        structured_price_count: sum((e) => e.structuredPriceCount),
        ...Object.fromEntries(
          Object.entries(sets)
            .filter(([k]) => k.startsWith('evidence.'))
            .map(([k, v]) => [k.slice(9), v]),
        ),
      },
      hosts: sets.hosts ?? [],
      district_hints: sets.district_hints ?? [],
      updated_at: now,
    };
    return { op: 'update', index: this.alias, id: first.domain, script, upsert, retryOnConflict: 5 };
  }

  /** Records `page` if it is an unlinked e-commerce page; returns whether a candidate was touched. */
  async record(page: CandidatePage, link: LinkResult): Promise<boolean> {
    const operation = this.operationFor(page, link);
    if (!operation) return false;
    const result = await this.engine.bulk([operation]);
    const item = result.items[0];
    if (!item?.ok) {
      throw new AppError(
        `Recording candidate ${operation.id} failed: ${item?.error?.reason ?? 'no result'}`,
        {
          code: 'CANDIDATE_WRITE_FAILED',
          retryable: (item?.status ?? 0) === 429,
          details: { domain: operation.id, error: item?.error },
        },
      );
    }
    return true;
  }

  /**
   * Marks the candidate of `domain` as `registered` to `operatorId` (when an operator now covers it).
   * A dismissed candidate stays dismissed. Returns whether a candidate changed.
   */
  async markRegistered(domain: string, operatorId: string): Promise<boolean> {
    const now = this.now().toISOString();
    try {
      const result = await this.engine.update(
        this.alias,
        domain,
        {
          script: {
            source: `
if (ctx._source.status == 'open') { ctx._source.status = 'registered'; ctx._source.operator_id = params.operator_id;
  ctx._source.status_changed_at = params.now; ctx._source.updated_at = params.now; } else { ctx.op = 'noop'; }`,
            params: { operator_id: operatorId, now },
          },
        },
        { refresh: true },
      );
      return result.result === 'updated';
    } catch (error) {
      if (errorCode(error) === EngineErrorCode.NotFound) return false;
      throw error;
    }
  }
}
