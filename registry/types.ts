/**
 * The bureau's registry: its jurisdiction tree, the operators it supervises and its staff.
 * Shared by the registry stores, the linking stage, schedules, lookalike watch and the API.
 */

/** city bureau → county bureaus → field stations → grids. */
export type JurisdictionLevel = 'city' | 'county' | 'station' | 'grid';

export const JURISDICTION_LEVELS: readonly JurisdictionLevel[] = ['city', 'county', 'station', 'grid'];

export interface JurisdictionNode {
  /** Stable id, e.g. `330100` (city), `330106` (county), `330106-01` (station), `330106-01-g03` (grid). */
  id: string;
  level: JurisdictionLevel;
  name: string;
  /** null only for the city. */
  parent_id: string | null;
}

/**
 * Where a document, operator, alert or rule belongs: the id of its node at each level. A user scoped
 * to a node at level L sees exactly what has `jurisdiction[L] === node.id` (the city sees all).
 */
export interface JurisdictionRef {
  city?: string;
  county?: string;
  station?: string;
  grid?: string;
}

export type Role = 'admin' | 'supervisor' | 'inspector' | 'analyst' | 'public';

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  /** The node the user's powers are limited to (null for `public`). */
  scope_node_id: string | null;
  email?: string;
  disabled: boolean;
}

export type OperatorType =
  'platform' | 'third_party_shop' | 'self_run_site' | 'service_provider' | 'access_provider';

export type RiskTier = 'high' | 'medium' | 'low';

export type OperatorStatus = 'active' | 'suspended' | 'deregistered' | 'candidate';

export interface Operator {
  id: string;
  name: string;
  /** Unified social credit code; `uscc_valid` says whether its GB 32100-2015 check digit holds. */
  uscc: string | null;
  uscc_valid: boolean | null;
  licence_numbers: string[];
  icp_numbers: string[];
  /** Hosts the operator runs (`shop.example.com.cn`), and shop URLs on platforms. */
  domains: string[];
  shop_urls: string[];
  /** Operator id of the platform a third-party shop trades on. */
  platform_id: string | null;
  type: OperatorType;
  /** Operator class driving the inspection frequency, e.g. `source` (platforms, large sites), `normal`. */
  classification: string;
  risk_tier: RiskTier;
  status: OperatorStatus;
  contact: { person?: string; phone?: string; email?: string };
  address: string | null;
  /** 6-digit administrative division code of the registered address. */
  district: string | null;
  jurisdiction: JurisdictionRef;
  inspector_id: string | null;
  inspection_frequency_days: number;
  /** The "source" operators (platforms, service and access providers, large sites) get the closest watch. */
  source_focus: boolean;
  notes: string | null;
  created_at: string;
  updated_at: string;
}
