/** Dedupe keys: one live alert per rule, owner (operator, else site, else host) and document. */
import { createHash } from 'node:crypto';
import type { RuleHit } from './alert.types.js';

export function dedupeKey(hit: RuleHit): string {
  // Scheduled findings: one alert per rule, group and window start, whichever worker evaluates it.
  if (hit.window) return `${hit.rule.id}|${hit.window.group ?? '*'}|window:${hit.window.start}`;
  const owner = hit.doc.operator_id ?? hit.doc.site ?? hit.doc.host ?? '-';
  return `${hit.rule.id}|${owner}|${hit.kind}:${hit.doc.id}`;
}

/** The live alert's id for a key: stable, so a realtime get finds it without a refresh. */
export function alertIdFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
