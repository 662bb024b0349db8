import type { JurisdictionRef, Operator } from '../../registry/types.js';

/** The fields of an operator linking reads; the rest of `Operator` may be absent. */
export type LinkableOperator = Pick<Operator, 'id'> &
  Partial<
    Pick<
      Operator,
      | 'name'
      | 'uscc'
      | 'uscc_valid'
      | 'licence_numbers'
      | 'icp_numbers'
      | 'domains'
      | 'shop_urls'
      | 'platform_id'
      | 'type'
      | 'jurisdiction'
      | 'status'
    >
  >;

/** What a page shows about who runs it, in the `pages` mapping's field names. */
export interface PageIdentity {
  url?: string;
  host: string;
  identifiers?: {
    uscc?: string[];
    uscc_invalid?: string[];
    icp?: string[];
    licence?: string[];
  };
}

/** How one piece of evidence points at an operator; the order is the tie-break order at equal confidence. */
export type EvidenceKind = 'shop_url' | 'uscc' | 'licence' | 'icp' | 'domain' | 'registered_domain';

/** Confidence of each kind of evidence (issue 4: USCC 1.0, licence/ICP 0.9, shop URL 0.9, domain 0.8, registered domain 0.6). */
export const EVIDENCE_CONFIDENCE: Readonly<Record<EvidenceKind, number>> = {
  uscc: 1,
  licence: 0.9,
  icp: 0.9,
  shop_url: 0.9,
  domain: 0.8,
  registered_domain: 0.6,
};

export interface Evidence {
  operatorId: string;
  kind: EvidenceKind;
  confidence: number;
  /** The identifier or host that matched. */
  value: string;
}

/** The outcome of linking one page or landing domain. */
export interface LinkResult {
  /** null when nothing links (or only a claim on a host the operator never registered). */
  operator_id: string | null;
  /** 0 when unlinked. */
  confidence: number;
  /**
   * Why, as `kind:value` of the winning evidence, then `; conflict kind:operator` for each operator that
   * other evidence pointed at, e.g. `uscc:91330106MAWD8LHN4D; conflict domain:op-mall`.
   */
  reason: string;
  /** The operator's jurisdiction; `{}` when unlinked. */
  jurisdiction: JurisdictionRef;
  /**
   * The registry holds a USCC (valid check digit), a licence or an ICP number of the linked operator: a page
   * of it showing none is 未亮照 (not shown), not unlicensed operation. false when unlinked.
   */
  licence_on_file: boolean;
}

export const UNLINKED_REASON = 'no_match';
