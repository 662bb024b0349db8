/** Audit trail entries for alert (and rule) changes in the `audit` index, each with its content hash. */
import { createHash, randomUUID } from 'node:crypto';
import type { EnginePort, RefreshPolicy } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';

/** One audit entry as a stage records it. */
export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  outcome?: 'ok' | 'denied' | 'failed';
  details?: Record<string, unknown>;
}

/** Writes one entry; returns its id. */
export async function writeAudit(
  engine: EnginePort,
  prefix: string,
  entry: AuditEntry,
  refresh: RefreshPolicy = false,
): Promise<string> {
  const doc = {
    id: randomUUID(),
    at: new Date().toISOString(),
    actor: entry.actor,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    outcome: entry.outcome ?? 'ok',
    details: entry.details ?? {},
  };
  const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
  await engine.index(aliasName(prefix, 'audit'), doc.id, { ...doc, hash }, { refresh });
  return doc.id;
}
