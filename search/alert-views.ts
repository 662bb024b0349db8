/** Read-side views of alerts for the workbench: counts by status × severity, and an alert's audit trail. */
import type { Doc, EnginePort } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';

export const ALERT_STATUS_VALUES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export const ALERT_SEVERITY_VALUES = ['low', 'medium', 'high', 'critical'] as const;

export interface AlertCounts {
  total: number;
  byStatus: Record<string, number>;
  bySeverity: Record<string, number>;
  /** status → severity → count, every status and severity present (0 when none). */
  matrix: Record<string, Record<string, number>>;
}

type Buckets = { buckets?: Array<{ key: unknown; doc_count: number; severity?: Buckets }> };

/** Counts of the alerts passing `filters` (the caller's scope among them), by status and severity. */
export async function alertCounts(engine: EnginePort, prefix: string, filters: Doc[]): Promise<AlertCounts> {
  const result = await engine.search({
    index: aliasName(prefix, 'alerts'),
    size: 0,
    trackTotalHits: true,
    query: { bool: { filter: filters } },
    aggs: {
      status: {
        terms: { field: 'status', size: 10 },
        aggs: { severity: { terms: { field: 'severity', size: 10 } } },
      },
    },
  });
  const zero = (): Record<string, number> => Object.fromEntries(ALERT_SEVERITY_VALUES.map((s) => [s, 0]));
  const matrix: Record<string, Record<string, number>> = Object.fromEntries(
    ALERT_STATUS_VALUES.map((s) => [s, zero()]),
  );
  const byStatus: Record<string, number> = Object.fromEntries(ALERT_STATUS_VALUES.map((s) => [s, 0]));
  const bySeverity = zero();
  for (const status of (result.aggregations?.status as Buckets | undefined)?.buckets ?? []) {
    const key = String(status.key);
    byStatus[key] = status.doc_count;
    const row = (matrix[key] ??= zero());
    for (const severity of status.severity?.buckets ?? []) {
      const sev = String(severity.key);
      row[sev] = severity.doc_count;
      bySeverity[sev] = (bySeverity[sev] ?? 0) + severity.doc_count;
    }
  }
  return { total: result.total, byStatus, bySeverity, matrix };
}

export interface AuditRecord {
  at: string;
  actor: string;
  action: string;
  outcome: string;
  details: Doc;
}

/** The audit entries of one target, oldest first (at most 200). */
export async function auditTrail(
  engine: EnginePort,
  prefix: string,
  targetType: string,
  targetId: string,
): Promise<AuditRecord[]> {
  const result = await engine
    .search<AuditRecord>({
      index: aliasName(prefix, 'audit'),
      size: 200,
      query: { bool: { filter: [{ term: { target_type: targetType } }, { term: { target_id: targetId } }] } },
      sort: [{ at: { order: 'asc', unmapped_type: 'date' } }],
      source: ['at', 'actor', 'action', 'outcome', 'details'],
    })
    .catch((error: unknown) => {
      if (isMissingIndex(error)) return { hits: [] };
      throw error;
    });
  return result.hits.map((hit) => hit.source);
}

function isMissingIndex(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENGINE_NOT_FOUND';
}
