/**
 * Delivery state per alert: each notification record is appended to the alert's `notifications`
 * (a scripted update, retried on conflict, so it never races the alert service's guarded writes
 * into a lost record).
 */
import type { Logger } from 'pino';
import type { BulkOperation, EnginePort, RefreshPolicy } from '../../../engine/port.js';
import type { ChannelName, DeliveryStatus, NotificationRecord } from '../../../notify/types.js';

/** One delivery of one alert, as its `notifications` field stores it. */
export interface AlertDeliveryRecord {
  channel: ChannelName;
  /** Where it went, without secrets (`recipientOf`). */
  recipient: string;
  /** `queued`: waiting in a digest until `sent_at` is written by the flush. */
  status: DeliveryStatus | 'queued';
  attempts: number;
  /** When the delivery ended (or was queued). */
  sent_at: string;
  error?: string;
  route_id?: string;
  digest?: boolean;
}

/** A dispatcher's record as the alert stores it (the index is strict: only the mapped fields). */
export function deliveryRecordOf(
  sent: NotificationRecord,
  extra: Pick<AlertDeliveryRecord, 'route_id' | 'digest'> = {},
): AlertDeliveryRecord {
  const record: AlertDeliveryRecord = {
    channel: sent.channel,
    recipient: sent.recipient,
    status: sent.status,
    attempts: sent.attempts,
    sent_at: sent.sent_at,
    ...extra,
  };
  if (sent.error !== undefined) record.error = sent.error;
  return record;
}

const APPEND = `
if (ctx._source.notifications == null) { ctx._source.notifications = new ArrayList(); }
ctx._source.notifications.addAll(params.records);
`;

/** Appends records to alerts, one scripted update per alert, in one bulk request. */
export async function appendDeliveries(
  engine: EnginePort,
  alertsIndex: string,
  entries: ReadonlyArray<{ alertId: string; records: AlertDeliveryRecord[] }>,
  options: { refresh?: RefreshPolicy; log?: Logger } = {},
): Promise<void> {
  const operations: BulkOperation[] = entries
    .filter((e) => e.records.length > 0)
    .map((e) => ({
      op: 'update',
      index: alertsIndex,
      id: e.alertId,
      script: { source: APPEND, params: { records: e.records }, lang: 'painless' },
      retryOnConflict: 10,
    }));
  if (operations.length === 0) return;
  const result = await engine.bulk(operations, { refresh: options.refresh ?? false });
  const failed = result.items.filter((item) => !item.ok);
  if (failed.length > 0) {
    options.log?.warn(
      { failed: failed.map((f) => ({ id: f.id, error: f.error?.reason })) },
      'delivery state not written on some alerts',
    );
  }
}
