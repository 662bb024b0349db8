import { api } from './client';
import { field, text, type AlertAction, type Doc } from './types';

/** The version guard the API wants back with an action (409 when someone changed the alert since). */
export function alertVersion(alert: Doc): number | string | undefined {
  return field<number | string>(alert, 'version', '_version', 'etag');
}

export function actOnAlert(alert: Doc, action: AlertAction, reason?: string): Promise<Doc> {
  return api<Doc>(`/api/alerts/${encodeURIComponent(text(alert, 'id'))}/actions`, {
    body: { action, ...(reason ? { reason } : {}), version: alertVersion(alert) },
  });
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

/** The live (open or acknowledged) alerts raised on one document. */
export async function alertsOfDocument(docId: string, embedded?: unknown): Promise<Doc[]> {
  if (Array.isArray(embedded)) return embedded as Doc[];
  try {
    const page = await api<{ items: Doc[] }>('/api/alerts', { query: { doc: docId, size: 20 } });
    return page.items.filter((a) => text(a, 'doc_id', 'docId') === docId);
  } catch {
    return [];
  }
}
