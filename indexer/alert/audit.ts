/**
 * Audit trail in the `audit` index, hash-chained per target: the entries of one object (an alert, a
 * route, a rule) form one chain `<target_type>:<target_id>` numbered 1, 2, 3…, each carrying the hash
 * of the one before (`prev_hash`) and its own `hash` = sha256 over its canonical JSON (keys sorted,
 * `hash` left out, `prev_hash` in). A changed, removed or reordered entry breaks its chain, which
 * {@link verifyAuditChain} finds.
 *
 * Why per target, not one global chain: a global chain serialises every audited write in the city on
 * one head, and two API processes would race for it constantly. One object's changes are already
 * serialised (alerts by their seq_no guard), so a per-target chain rarely sees a race, and when it
 * does the entry id `<chain>:<seq>` is written create-only: the loser re-reads the head and links
 * after the winner. No lock, no lost entry.
 */
import { createHash } from 'node:crypto';
import { errorCode } from '../../core/errors.js';
import { scanAll } from '../../engine/deep-paging.js';
import { EngineErrorCode } from '../../engine/errors.js';
import type { EnginePort, RefreshPolicy } from '../../engine/port.js';
import { canonicalJson } from '../../mappings/definition.js';
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

/** An entry as the `audit` index stores it. */
export interface StoredAuditEntry {
  id: string;
  chain: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  outcome: 'ok' | 'denied' | 'failed';
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** `prev_hash` of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

const MAX_LINK_ATTEMPTS = 20;

export function auditChainOf(targetType: string, targetId: string): string {
  return `${targetType}:${targetId}`;
}

/** sha256 over the entry's canonical JSON without `hash` (so `prev_hash` is covered). */
export function auditHash(entry: Omit<StoredAuditEntry, 'hash'> | StoredAuditEntry): string {
  const rest: Record<string, unknown> = { ...entry };
  delete rest.hash;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

async function chainHead(
  engine: EnginePort,
  index: string,
  chain: string,
): Promise<{ seq: number; hash: string }> {
  // The search may lag a refresh behind; realtime gets walk from there to the true head.
  const latest = await engine.search<StoredAuditEntry>({
    index,
    query: { term: { chain } },
    sort: [{ seq: 'desc' }],
    size: 1,
    source: ['seq', 'hash'],
  });
  let head = { seq: 0, hash: GENESIS_HASH };
  const hit = latest.hits[0]?.source;
  if (hit) head = { seq: hit.seq, hash: hit.hash };
  for (;;) {
    const next = await engine.get<StoredAuditEntry>(index, `${chain}:${head.seq + 1}`);
    if (!next.found || !next.source) return head;
    head = { seq: next.source.seq, hash: next.source.hash };
  }
}

/** Writes one entry at the head of its target's chain; returns its id (`<chain>:<seq>`). */
export async function writeAudit(
  engine: EnginePort,
  prefix: string,
  entry: AuditEntry,
  refresh: RefreshPolicy = false,
): Promise<string> {
  const index = aliasName(prefix, 'audit');
  const chain = auditChainOf(entry.targetType, entry.targetId);
  for (let attempt = 1; ; attempt++) {
    const head = await chainHead(engine, index, chain);
    const seq = head.seq + 1;
    const doc: Omit<StoredAuditEntry, 'hash'> = {
      id: `${chain}:${seq}`,
      chain,
      seq,
      at: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      outcome: entry.outcome ?? 'ok',
      details: entry.details ?? {},
      prev_hash: head.hash,
    };
    try {
      await engine.index(
        index,
        doc.id,
        { ...doc, hash: auditHash(doc) },
        {
          createOnly: true,
          refresh,
        },
      );
      return doc.id;
    } catch (error) {
      // Someone linked this seq first: link after them.
      if (errorCode(error) !== EngineErrorCode.VersionConflict || attempt >= MAX_LINK_ATTEMPTS) throw error;
    }
  }
}

/** One break found by {@link verifyAuditChain}. */
export interface AuditChainProblem {
  chain: string;
  seq: number;
  id: string;
  /** `hash_mismatch`: the entry was changed; `prev_hash_mismatch`: the one before was changed or replaced; `seq_gap`: an entry is missing. */
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap';
}

export interface AuditChainReport {
  ok: boolean;
  chains: number;
  entries: number;
  /** Entries written before the chain existed (no `chain` field): not verifiable. */
  unchained: number;
  problems: AuditChainProblem[];
}

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditOptions {
  /** Only this chain (e.g. `auditChainOf('alert', id)`); every chain when left out. */
  chain?: string;
}

/**
 * Re-reads chains in order and recomputes every hash. Detects a changed entry, an entry removed from
 * the middle and a forged link. Dropping the newest entries of a chain leaves a shorter valid chain:
 * anchor heads elsewhere (a signed daily digest) if that matters.
 */
export async function verifyAuditChain(
  engine: EnginePort,
  prefix: string,
  options: VerifyAuditOptions = {},
): Promise<AuditChainReport> {
  const index = aliasName(prefix, 'audit');
  await engine.refresh(index);
  const report: AuditChainReport = { ok: true, chains: 0, entries: 0, unchained: 0, problems: [] };
  if (!options.chain) {
    report.unchained = await engine.count(index, { bool: { must_not: { exists: { field: 'chain' } } } });
  }
  let chain: string | undefined;
  let prev = { seq: 0, hash: GENESIS_HASH };
  for await (const hit of scanAll<StoredAuditEntry>(engine, {
    index,
    query: options.chain ? { term: { chain: options.chain } } : { exists: { field: 'chain' } },
    sort: [{ chain: 'asc' }, { seq: 'asc' }],
  })) {
    const entry = hit.source;
    if (entry.chain !== chain) {
      chain = entry.chain;
      prev = { seq: 0, hash: GENESIS_HASH };
      report.chains++;
    }
    report.entries++;
    const at = { chain: entry.chain, seq: entry.seq, id: hit.id };
    if (entry.seq !== prev.seq + 1) report.problems.push({ ...at, reason: 'seq_gap' });
    else if (entry.prev_hash !== prev.hash) report.problems.push({ ...at, reason: 'prev_hash_mismatch' });
    if (auditHash(entry) !== entry.hash) report.problems.push({ ...at, reason: 'hash_mismatch' });
    prev = { seq: entry.seq, hash: entry.hash };
  }
  report.ok = report.problems.length === 0;
  return report;
}
