import { type AlertCounts, type Doc } from '../api/types';

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function sumValues(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Doc;
  if (typeof record.total === 'number') return record.total;
  return Object.values(record).reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
}

/**
 * Alerts of a status (and severity) from `GET /api/alerts/counts`, read from any of the obvious
 * shapes: `{ status: { severity: n } }`, `{ byStatus, bySeverity }`, `{ counts: [{ status, severity, count }] }`.
 */
export function countOf(counts: AlertCounts | undefined, status?: string, severity?: string): number {
  if (!counts) return 0;
  const cells = counts.counts ?? counts.cells ?? counts.items;
  if (Array.isArray(cells)) {
    return (cells as Doc[])
      .filter((c) => (!status || c.status === status) && (!severity || c.severity === severity))
      .reduce((sum, c) => sum + (num(c.count) ?? 0), 0);
  }
  const matrix = (counts.byStatusSeverity ?? counts.matrix ?? counts.counts ?? counts) as Doc;
  if (!status) {
    if (severity) {
      const bySeverity = counts.bySeverity as Doc | undefined;
      if (bySeverity) return num(bySeverity[severity]) ?? 0;
      return Object.values(matrix).reduce<number>(
        (sum, row) => sum + (row && typeof row === 'object' ? (num((row as Doc)[severity]) ?? 0) : 0),
        0,
      );
    }
    return num(counts.total) ?? 0;
  }
  const row = matrix[status] ?? (counts.byStatus as Doc | undefined)?.[status];
  if (severity) return row && typeof row === 'object' ? (num((row as Doc)[severity]) ?? 0) : 0;
  return sumValues(row) ?? 0;
}
