/**
 * Turns rule hits into alerts with noise control: one live alert per dedupe key (a repeat hit bumps
 * `hit_count` and `last_hit_at`), a resolved alert re-opens as a new alert only after the realert
 * interval (the old one is archived as `${id}.${generation}`), a false positive stays silent for the
 * rule version it was marked on. Lifecycle changes are guarded by seq_no/primary_term and audited.
 */
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type {
  BulkOperation,
  ConcurrencyGuard,
  EnginePort,
  GetResult,
  RefreshPolicy,
} from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import { writeAudit } from './audit.js';
import { alertIdFor, dedupeKey } from './dedupe.js';
import type {
  Alert,
  AlertNotice,
  AlertStatus,
  HitOutcome,
  NotifyFn,
  RecordedHit,
  RuleHit,
} from './alert.types.js';

/** Options of {@link AlertService}. */
export interface AlertServiceOptions {
  prefix: string;
  /** Called once per new (or realerted) alert, after it is stored. */
  notify?: NotifyFn;
  /** A resolved alert re-opens as a new one only after this long. @default 86_400_000 (one day) */
  realertIntervalMs?: number;
  /** Refresh policy of alert writes (tests use true). @default false */
  refresh?: RefreshPolicy;
  /** @default logger('alert') */
  log?: Logger;
}

/** An alert with its concurrency token. */
export interface StoredAlert {
  alert: Alert;
  seqNo: number;
  primaryTerm: number;
}

/** Who changes an alert's state, why, and (optionally) which read they acted on. */
export interface TransitionOptions {
  actor: string;
  note?: string;
  /** seq_no/primary_term the actor read; a newer write makes this change a 409. */
  guard?: ConcurrencyGuard;
}

export type AlertAction = 'acknowledge' | 'resolve' | 'false_positive';

const TRANSITIONS: Record<AlertAction, { from: AlertStatus[]; to: AlertStatus }> = {
  acknowledge: { from: ['open'], to: 'acknowledged' },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  false_positive: { from: ['open', 'acknowledged'], to: 'false_positive' },
};

const MAX_ATTEMPTS = 5;

/** A dedupe group's outcome and the writes that make it so (none when suppressed). */
interface GroupPlan {
  key: string;
  hits: RuleHit[];
  outcome: HitOutcome;
  alert: Alert;
  operations: BulkOperation[];
}

function storedOf(got: GetResult<Alert> | undefined): StoredAlert | undefined {
  if (!got?.found || !got.source) return undefined;
  return { alert: got.source, seqNo: got.seqNo ?? 0, primaryTerm: got.primaryTerm ?? 1 };
}

export class AlertService {
  readonly alertsIndex: string;
  private readonly log: Logger;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: AlertServiceOptions,
  ) {
    this.alertsIndex = aliasName(options.prefix, 'alerts');
    this.log = options.log ?? logger('alert');
  }

  /**
   * Records hits; hits sharing a dedupe key are one write. The whole batch costs one `mget` of the live
   * alerts and one `_bulk` (creates are create-only, dedupe updates and realerts carry the seq_no /
   * primary_term read); a group whose write fails (a concurrent writer, a rejected item) is re-read and
   * retried on its own. Results are in the order of `hits`.
   */
  async recordHits(hits: RuleHit[]): Promise<RecordedHit[]> {
    if (hits.length === 0) return [];
    const groups = new Map<string, number[]>();
    hits.forEach((hit, i) => {
      const key = dedupeKey(hit);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const entries = [...groups];
    const got = await this.engine.mget<Alert>(
      this.alertsIndex,
      entries.map(([key]) => alertIdFor(key)),
    );
    const plans = entries.map(([key, indices], g) =>
      this.plan(
        key,
        indices.map((i) => hits[i] as RuleHit),
        storedOf(got[g]),
      ),
    );
    const operations = plans.flatMap((p) => p.operations);
    const written =
      operations.length > 0
        ? await this.engine.bulk(operations, { refresh: this.options.refresh ?? false })
        : undefined;
    let cursor = 0;
    const slices = plans.map((p) => {
      const items = written?.items.slice(cursor, cursor + p.operations.length) ?? [];
      cursor += p.operations.length;
      return items;
    });
    const recorded = await Promise.all(
      plans.map(async (p, g) => {
        const failed = slices[g]?.find((item) => !item.ok);
        if (!failed) return this.finish(p);
        this.log.debug({ alertId: failed.id, status: failed.status }, 'alert write retried alone');
        return this.recordGroup(p.key, p.hits);
      }),
    );
    const out: RecordedHit[] = new Array<RecordedHit>(hits.length);
    entries.forEach(([, indices], g) =>
      indices.forEach((i, k) => (out[i] = (recorded[g] as RecordedHit[])[k] as RecordedHit)),
    );
    return out;
  }

  async get(id: string): Promise<StoredAlert | undefined> {
    const got = await this.engine.get<Alert>(this.alertsIndex, id);
    if (!got.found || !got.source) return undefined;
    return { alert: got.source, seqNo: got.seqNo ?? 0, primaryTerm: got.primaryTerm ?? 1 };
  }

  acknowledge(id: string, options: TransitionOptions): Promise<StoredAlert> {
    return this.transition(id, 'acknowledge', options);
  }

  resolve(id: string, options: TransitionOptions): Promise<StoredAlert> {
    return this.transition(id, 'resolve', options);
  }

  markFalsePositive(id: string, options: TransitionOptions): Promise<StoredAlert> {
    return this.transition(id, 'false_positive', options);
  }

  /** One lifecycle step; a stale guard is `ENGINE_VERSION_CONFLICT` (409), a wrong state `ALERT_INVALID_TRANSITION` (409). */
  async transition(id: string, action: AlertAction, options: TransitionOptions): Promise<StoredAlert> {
    const current = await this.get(id);
    if (!current) {
      throw new AppError(`Alert ${id} not found`, {
        code: 'ALERT_NOT_FOUND',
        httpStatus: 404,
        details: { id },
      });
    }
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(current.alert.status)) {
      throw new AppError(`Alert ${id} is ${current.alert.status}; cannot ${action}`, {
        code: 'ALERT_INVALID_TRANSITION',
        httpStatus: 409,
        details: { id, status: current.alert.status, action },
      });
    }
    const now = new Date().toISOString();
    const change: Partial<Alert> = { status: rule.to, updated_at: now };
    if (action === 'acknowledge')
      Object.assign(change, { acknowledged_at: now, acknowledged_by: options.actor });
    else
      Object.assign(change, {
        resolved_at: now,
        resolved_by: options.actor,
        resolution_note: options.note ?? '',
      });
    const guard = options.guard ?? { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm };
    const written = await this.engine.update(
      this.alertsIndex,
      id,
      { doc: change },
      { guard, refresh: this.options.refresh ?? false },
    );
    await writeAudit(
      this.engine,
      this.options.prefix,
      {
        actor: options.actor,
        action: `alert.${action}`,
        targetType: 'alert',
        targetId: id,
        details: { from: current.alert.status, to: rule.to, note: options.note ?? null },
      },
      this.options.refresh ?? false,
    );
    return { alert: { ...current.alert, ...change }, seqNo: written.seqNo, primaryTerm: written.primaryTerm };
  }

  /** One dedupe group on its own: read, plan, write; a version conflict re-reads (up to 5 attempts). */
  private async recordGroup(key: string, hits: RuleHit[]): Promise<RecordedHit[]> {
    for (let attempt = 1; ; attempt++) {
      const p = this.plan(key, hits, await this.get(alertIdFor(key)));
      if (p.operations.length === 0) return this.finish(p);
      const written = await this.engine.bulk(p.operations, { refresh: this.options.refresh ?? false });
      const failed = written.items.find((item) => !item.ok);
      if (!failed) return this.finish(p);
      if (failed.status !== 409 || attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          `Alert ${failed.id} could not be written: ${failed.error?.reason ?? failed.status}`,
          {
            code: failed.status === 409 ? 'ENGINE_VERSION_CONFLICT' : 'ALERT_WRITE_FAILED',
            httpStatus: failed.status === 409 ? 409 : 503,
            details: { id: failed.id, status: failed.status, type: failed.error?.type ?? null },
          },
        );
      }
    }
  }

  /** Stored: notify a new (or realerted) alert, and time every hit of the group. */
  private async finish(p: GroupPlan): Promise<RecordedHit[]> {
    const stored = Date.now();
    if (p.outcome === 'created' || p.outcome === 'realerted') await this.notify(p.alert);
    return p.hits.map((hit) => ({
      outcome: p.outcome,
      alertId: p.alert.id,
      latencyMs: stored - hit.indexedAt,
    }));
  }

  /** What a group of hits does to the live alert `current` (as read), and the writes that do it. */
  private plan(key: string, hits: RuleHit[], current: StoredAlert | undefined): GroupPlan {
    const id = alertIdFor(key);
    const index = this.alertsIndex;
    const latest = hits.reduce((a, b) => (b.rule.version > a.rule.version ? b : a));
    if (!current) {
      const alert = this.newAlert(id, key, latest, hits.length, 1);
      return {
        key,
        hits,
        outcome: 'created',
        alert,
        operations: [{ op: 'create', index, id, doc: { ...alert } }],
      };
    }
    const guard = { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm };
    const { alert: old } = current;
    if (old.status === 'open' || old.status === 'acknowledged') {
      const now = new Date().toISOString();
      const change = {
        hit_count: old.hit_count + hits.length,
        last_hit_at: now,
        updated_at: now,
        rule_version: Math.max(old.rule_version, latest.rule.version),
      };
      return {
        key,
        hits,
        outcome: 'deduplicated',
        alert: { ...old, ...change },
        operations: [{ op: 'update', index, id, doc: change, guard }],
      };
    }
    if (!this.mayRealert(old, latest))
      return { key, hits, outcome: 'suppressed', alert: old, operations: [] };
    const archiveId = `${id}.${old.generation}`;
    const alert = this.newAlert(id, key, latest, hits.length, old.generation + 1);
    return {
      key,
      hits,
      outcome: 'realerted',
      alert,
      operations: [
        { op: 'index', index, id: archiveId, doc: { ...old, id: archiveId } },
        { op: 'index', index, id, doc: { ...alert }, guard },
      ],
    };
  }

  private mayRealert(old: Alert, hit: RuleHit): boolean {
    if (old.status === 'false_positive' && hit.rule.version <= old.rule_version) return false;
    const resolvedAt = old.resolved_at ? Date.parse(old.resolved_at) : 0;
    return Date.now() - resolvedAt >= (this.options.realertIntervalMs ?? 86_400_000);
  }

  private newAlert(id: string, key: string, hit: RuleHit, count: number, generation: number): Alert {
    const now = new Date().toISOString();
    const { doc, rule } = hit;
    return {
      id,
      rule_id: rule.id,
      rule_version: rule.version,
      rule_name: rule.name,
      severity: rule.severity,
      category: rule.category,
      ...(rule.legal_basis ? { legal_basis: rule.legal_basis } : {}),
      target: hit.kind,
      doc_id: doc.id,
      ...(doc.url ? { url: doc.url } : {}),
      ...(doc.host ? { host: doc.host } : {}),
      ...(doc.site ? { site: doc.site } : {}),
      ...(doc.operator_id ? { operator_id: doc.operator_id } : {}),
      ...(doc.jurisdiction ? { jurisdiction: doc.jurisdiction } : {}),
      status: 'open',
      dedupe_key: key,
      generation,
      hit_count: count,
      first_hit_at: now,
      last_hit_at: now,
      created_at: now,
      updated_at: now,
      indexed_at: new Date(hit.indexedAt).toISOString(),
      alert_latency_ms: Date.now() - hit.indexedAt,
      ...(hit.window ? { window: hit.window } : {}),
    };
  }

  private async notify(alert: Alert): Promise<void> {
    if (!this.options.notify) return;
    const notice: AlertNotice = {
      alertId: alert.id,
      ruleId: alert.rule_id,
      ruleName: alert.rule_name,
      severity: alert.severity,
      category: alert.category,
      ...(alert.legal_basis ? { legalBasis: alert.legal_basis } : {}),
      target: alert.target,
      docId: alert.doc_id,
      ...(alert.url ? { url: alert.url } : {}),
      ...(alert.site ? { site: alert.site } : {}),
      ...(alert.operator_id ? { operatorId: alert.operator_id } : {}),
      ...(alert.jurisdiction ? { jurisdiction: alert.jurisdiction } : {}),
      firstHitAt: alert.first_hit_at,
      ...(alert.window ? { windowSummary: alert.window.summary } : {}),
    };
    try {
      await this.options.notify(notice);
    } catch (error) {
      // The alert is stored; a failing dispatcher must not lose it or fail the match.
      this.log.error({ err: error, alertId: alert.id }, 'notify failed');
    }
  }
}
