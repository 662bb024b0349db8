/**
 * Links a page (or a landing domain) to an operator from what it shows: identifiers (USCC 1.0, licence
 * and ICP 0.9) and where it lives (shop URL 0.9, exact domain 0.8, registered domain 0.6). The highest
 * confidence wins; other operators that evidence pointed at are named in `reason` as conflicts.
 *
 * An identifier claimed on a host that no operator registered, by an operator that registered other
 * hosts, does not link: that is someone else's site wearing the operator's identity (a lookalike, or a
 * site not yet registered), and it goes to review as a candidate instead of routing to the operator.
 */
import { hostKey, icpKeys, licenceKey, registeredKey, usccKey } from './identity-keys.js';
import {
  EVIDENCE_CONFIDENCE,
  UNLINKED_REASON,
  type Evidence,
  type EvidenceKind,
  type LinkableOperator,
  type LinkResult,
  type PageIdentity,
} from './link.types.js';
import type { OperatorIndex } from './operator-index.js';

const KIND_ORDER: readonly EvidenceKind[] = [
  'shop_url',
  'uscc',
  'licence',
  'icp',
  'domain',
  'registered_domain',
];

export const UNLINKED: LinkResult = Object.freeze({
  operator_id: null,
  confidence: 0,
  reason: UNLINKED_REASON,
  jurisdiction: Object.freeze({}),
  licence_on_file: false,
});

function pathOf(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

function identifierEvidence(index: OperatorIndex, page: PageIdentity): Evidence[] {
  const out: Evidence[] = [];
  const push = (ids: ReadonlySet<string> | undefined, kind: EvidenceKind, value: string): void => {
    for (const operatorId of ids ?? [])
      out.push({ operatorId, kind, confidence: EVIDENCE_CONFIDENCE[kind], value });
  };
  const ids = page.identifiers ?? {};
  for (const uscc of ids.uscc ?? []) push(index.byUsccKey(usccKey(uscc)), 'uscc', uscc);
  for (const licence of ids.licence ?? []) push(index.byLicenceKey(licenceKey(licence)), 'licence', licence);
  for (const icp of ids.icp ?? []) {
    const seen = new Set<string>();
    for (const key of icpKeys(icp)) {
      for (const id of index.byIcpKey(key) ?? []) {
        if (!seen.has(id)) push(new Set([id]), 'icp', icp);
        seen.add(id);
      }
    }
  }
  return out;
}

function hostEvidence(index: OperatorIndex, host: string, path: string): Evidence[] {
  const out: Evidence[] = [];
  const shop = index.shopUrlOwner(host, path);
  if (shop) {
    out.push({
      operatorId: shop.operatorId,
      kind: 'shop_url',
      confidence: EVIDENCE_CONFIDENCE.shop_url,
      value: `${shop.host}${shop.path}`,
    });
  }
  for (const operatorId of index.ownersOfHost(host) ?? []) {
    out.push({ operatorId, kind: 'domain', confidence: EVIDENCE_CONFIDENCE.domain, value: host });
  }
  if (out.length > 0) return out;
  const domain = registeredKey(host);
  const owners = index.ownersOfRegisteredDomain(domain);
  // Two operators under one registered domain: the domain alone cannot tell them apart.
  if (owners?.size === 1) {
    const [operatorId] = owners;
    if (operatorId) {
      out.push({
        operatorId,
        kind: 'registered_domain',
        confidence: EVIDENCE_CONFIDENCE.registered_domain,
        value: domain,
      });
    }
  }
  return out;
}

interface Candidate {
  operatorId: string;
  best: Evidence;
  kinds: Set<EvidenceKind>;
}

/** How closely evidence places the page on an operator's own site; identifiers place it nowhere. */
const HOST_SPECIFICITY: Partial<Record<EvidenceKind, number>> = {
  shop_url: 3,
  domain: 2,
  registered_domain: 1,
};

function hostSpecificity(c: Candidate): number {
  return Math.max(0, ...[...c.kinds].map((k) => HOST_SPECIFICITY[k] ?? 0));
}

function rank(a: Candidate, b: Candidate): number {
  if (a.best.confidence !== b.best.confidence) return b.best.confidence - a.best.confidence;
  // At equal confidence the operator whose own site the page is on wins: a shop's URL or host is more
  // specific than its platform's identifiers printed on every shop page.
  const specificity = hostSpecificity(b) - hostSpecificity(a);
  if (specificity !== 0) return specificity;
  if (a.kinds.size !== b.kinds.size) return b.kinds.size - a.kinds.size;
  return a.operatorId < b.operatorId ? -1 : a.operatorId > b.operatorId ? 1 : 0;
}

function candidatesOf(evidence: Evidence[]): Candidate[] {
  const byOperator = new Map<string, Candidate>();
  for (const e of evidence) {
    const c = byOperator.get(e.operatorId);
    if (!c) {
      byOperator.set(e.operatorId, { operatorId: e.operatorId, best: e, kinds: new Set([e.kind]) });
      continue;
    }
    c.kinds.add(e.kind);
    const better =
      e.confidence > c.best.confidence ||
      (e.confidence === c.best.confidence && KIND_ORDER.indexOf(e.kind) < KIND_ORDER.indexOf(c.best.kind));
    if (better) c.best = e;
  }
  return [...byOperator.values()].sort(rank);
}

/** Links what a page shows to the best-supported operator of `index`. */
export function linkIdentity(index: OperatorIndex, page: PageIdentity): LinkResult {
  const host = hostKey(page.host);
  const onHost = host === '' ? [] : hostEvidence(index, host, pathOf(page.url));
  const hostOwned = onHost.length > 0;
  const claims: string[] = [];
  // A platform's identifiers are printed on its shops' pages: there they say nothing about who runs the page.
  const platforms = new Set(onHost.map((e) => index.get(e.operatorId)?.platform_id).filter((id) => !!id));
  const byIdentifier = identifierEvidence(index, page).filter((e) => {
    if (platforms.has(e.operatorId) && !onHost.some((h) => h.operatorId === e.operatorId)) return false;
    const foreign = !hostOwned && index.hasWebPresence(e.operatorId) && !index.ownsHost(e.operatorId, host);
    if (foreign) claims.push(`claims ${e.kind}:${e.operatorId}`);
    return !foreign;
  });
  const ranked = candidatesOf([...byIdentifier, ...onHost]);
  const winner = ranked[0];
  if (!winner) {
    return claims.length > 0
      ? { ...UNLINKED, reason: `unregistered_host; ${[...new Set(claims)].join('; ')}` }
      : UNLINKED;
  }
  const conflicts = ranked.slice(1).map((c) => `conflict ${c.best.kind}:${c.operatorId}`);
  const reason = [`${winner.best.kind}:${winner.best.value}`, ...conflicts].join('; ');
  const operator = index.get(winner.operatorId);
  return {
    operator_id: winner.operatorId,
    confidence: winner.best.confidence,
    reason,
    jurisdiction: { ...(operator?.jurisdiction ?? {}) },
    licence_on_file: licenceOnFile(operator),
  };
}

function licenceOnFile(operator: LinkableOperator | undefined): boolean {
  if (!operator) return false;
  const validUscc = !!operator.uscc && operator.uscc_valid !== false;
  return validUscc || (operator.licence_numbers?.length ?? 0) > 0 || (operator.icp_numbers?.length ?? 0) > 0;
}
