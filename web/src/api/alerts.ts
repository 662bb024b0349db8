import { api } from './client';
import { field, text, type AlertAction, type Doc } from './types';

/** The version guard the API wants back with an action (409 when someone changed the alert since). */
export function alertVersion(alert: Doc): number | string | undefined {
  return field<number | string>(alert, 'version', '_version', 'etag');
}

/** Acts with the version the caller read; a listing row carries none, so it is read first. */
export async function actOnAlert(alert: Doc, action: AlertAction, reason?: string): Promise<Doc> {
  const path = `/api/alerts/${encodeURIComponent(text(alert, 'id'))}`;
  const version = alertVersion(alert) ?? alertVersion(await api<Doc>(path));
  return api<Doc>(`${path}/actions`, { body: { action, ...(reason ? { reason } : {}), version } });
}

export interface BulkResult {
  ok: number;
  failed: number;
}

/** `POST /api/alerts/bulk`; counts the per-id results however the API lists them. */
export async function bulkAct(ids: string[], action: AlertAction, reason?: string): Promise<BulkResult> {
  const answer = await api<Doc>('/api/alerts/bulk', { body: { ids, action, ...(reason ? { reason } : {}) } });
  const results = field<unknown>(answer, 'results', 'items');
  const list: Doc[] = Array.isArray(results)
    ? (results as Doc[])
    : results && typeof results === 'object'
      ? Object.values(results as Record<string, Doc>)
      : [];
  const ok = list.filter((r) => r.ok === true || r.status === 'ok' || r.status === 200).length;
  return { ok, failed: list.length - ok };
}

/**
 * Alerts matching `keep`, read through the filters the alert listing has (`rule`, or none) and narrowed
 * here: the listing cannot filter by document or operator.
 */
export async function alertsWhere(keep: (alert: Doc) => boolean, rules: string[] = []): Promise<Doc[]> {
  const queries = rules.length > 0 ? rules.map((rule) => ({ rule, size: 100 })) : [{ size: 100 }];
  const pages = await Promise.all(queries.map((query) => api<{ items: Doc[] }>('/api/alerts', { query })));
  const seen = new Set<string>();
  return pages
    .flatMap((page) => page.items)
    .filter((alert) => keep(alert) && !seen.has(text(alert, 'id')) && seen.add(text(alert, 'id')));
}
