/** Alerts: what a rule hit becomes, its lifecycle, and the notice handed to the notify stage. */
import type { DocKind, Severity } from '../match/rule.types.js';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Jurisdiction {
  city?: string;
  county?: string;
  station?: string;
  grid?: string;
}

/** Scheduled rules only: the window and group an aggregate hit is about (one alert per rule, group, window). */
export interface HitWindow {
  /** The schedule type: frequency, spike, flatline, new_term, cardinality. */
  type: string;
  /** ISO start (inclusive) and end (exclusive) of the evaluated window. */
  start: string;
  end: string;
  group_field?: string;
  group?: string;
  /** What was measured in the window: hits, fetches, changes or distinct values. */
  count: number;
  /** Spike: hits of the previous window. */
  reference?: number;
  /** new_term: the values first seen in the window. */
  terms?: string[];
  /** One line for people, e.g. "12 hits in [09:00, 10:00) ≥ 10". */
  summary: string;
}

/** One rule matching one indexed document, or (with `window`) a scheduled rule's aggregate finding. */
export interface RuleHit {
  rule: {
    id: string;
    version: number;
    name: string;
    severity: Severity;
    category: string;
    legal_basis?: string;
  };
  kind: DocKind;
  doc: {
    id: string;
    url?: string;
    host?: string;
    site?: string;
    operator_id?: string;
    jurisdiction?: Jurisdiction;
  };
  /** When the document was indexed (ms since epoch): the start of the alert latency. */
  indexedAt: number;
  window?: HitWindow;
}

/** An alert as the `alerts` index stores it. */
export interface Alert {
  id: string;
  rule_id: string;
  rule_version: number;
  rule_name: string;
  severity: Severity;
  category: string;
  legal_basis?: string;
  target: DocKind;
  doc_id: string;
  url?: string;
  host?: string;
  site?: string;
  operator_id?: string;
  jurisdiction?: Jurisdiction;
  status: AlertStatus;
  assignee?: string;
  dedupe_key: string;
  generation: number;
  hit_count: number;
  first_hit_at: string;
  last_hit_at: string;
  created_at: string;
  updated_at: string;
  acknowledged_at?: string;
  acknowledged_by?: string;
  resolved_at?: string;
  resolved_by?: string;
  resolution_note?: string;
  indexed_at: string;
  alert_latency_ms: number;
  /** Scheduled rules only. */
  window?: HitWindow;
}

/** What the notify stage receives for a new alert (routing facts included). */
export interface AlertNotice {
  alertId: string;
  ruleId: string;
  ruleName: string;
  severity: Severity;
  category: string;
  legalBasis?: string;
  target: DocKind;
  docId: string;
  url?: string;
  site?: string;
  operatorId?: string;
  jurisdiction?: Jurisdiction;
  firstHitAt: string;
  /** Scheduled rules only: what was found in which window, in one line. */
  windowSummary?: string;
}

/** Injected notify callback (the notify stage's dispatcher). It may fail: the alert is already stored. */
export type NotifyFn = (notice: AlertNotice) => void | Promise<void>;

/** What recording one hit did. */
export type HitOutcome = 'created' | 'deduplicated' | 'realerted' | 'suppressed';

export interface RecordedHit {
  outcome: HitOutcome;
  alertId: string;
  /** indexed → alert stored, in ms. */
  latencyMs: number;
}
