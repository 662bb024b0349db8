/**
 * The scheduled-rule runner: on each tick, every enabled scheduled rule is evaluated over its last
 * closed window and its findings become alerts through the AlertService. Idempotent per window: a
 * Redis key per rule and window start is taken (SET NX) before evaluating and marked done after, so
 * a second tick or a second worker skips the window; the alert's dedupe key is rule + group + window
 * start as well, so even a repeated evaluation lands on the same alert.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { logger } from '../../../core/logger.js';
import type { EnginePort } from '../../../engine/port.js';
import { aliasName } from '../../../mappings/index.js';
import type { AlertService } from '../../alert/alert.service.js';
import type { Jurisdiction, RecordedHit, RuleHit } from '../../alert/alert.types.js';
import type { Rule } from '../rule.types.js';
import {
  evaluateScheduledRule,
  isScheduledRule,
  type ScheduledFinding,
  type ScheduledRule,
} from './schedule-evaluator.js';
import { iso, lastClosedWindow, type TimeWindow } from './schedule-window.js';

/** Options of {@link ScheduledRuleRunner}. */
export interface ScheduledRuleRunnerOptions {
  /** Index prefix (`INDEX_PREFIX`, or a test's random prefix). */
  prefix: string;
  alerts: AlertService;
  redis: Redis;
  /** Prefix of the runner's Redis keys. @default `argus:${prefix}:scheduled` */
  keyPrefix?: string;
  /** Longest one rule's evaluation may hold its window before another worker may take it. @default 300_000 */
  lockMs?: number;
  /** Most scheduled rules read per tick. @default 1_000 */
  maxRules?: number;
  /** @default logger('scheduled') */
  log?: Logger;
}

/** What one rule's window run did. */
export interface ScheduledRunReport {
  ruleId: string;
  windowStart: string;
  windowEnd: string;
  /** `evaluated`; `already_done` / `locked` when another run owns the window; `failed`. */
  status: 'evaluated' | 'already_done' | 'locked' | 'failed';
  findings: ScheduledFinding[];
  alerts: RecordedHit[];
  /** Findings kept silent by the rule's realert interval. */
  suppressed: number;
  error?: string;
}

const DONE = 'done';
const HOUR_MS = 3_600_000;

// Deletes the lock only when it still holds this run's token (a slow run must not free another's).
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class ScheduledRuleRunner {
  private readonly keyPrefix: string;
  private readonly log: Logger;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: ScheduledRuleRunnerOptions,
  ) {
    this.keyPrefix = options.keyPrefix ?? `argus:${options.prefix}:scheduled`;
    this.log = options.log ?? logger('scheduled');
  }

  /** Enabled scheduled rules, by id. */
  async scheduledRules(): Promise<ScheduledRule[]> {
    const result = await this.engine.search<Rule>({
      index: aliasName(this.options.prefix, 'rules'),
      query: { bool: { filter: [{ term: { enabled: true } }, { exists: { field: 'schedule.type' } }] } },
      size: this.options.maxRules ?? 1_000,
      sort: [{ id: 'asc' }],
    });
    return result.hits.map((h) => h.source).filter(isScheduledRule);
  }

  /** Runs every enabled scheduled rule over its last closed window at `nowMs`; one rule failing spares the rest. */
  async runDue(nowMs: number = Date.now()): Promise<ScheduledRunReport[]> {
    const reports: ScheduledRunReport[] = [];
    for (const rule of await this.scheduledRules()) {
      reports.push(await this.runWindow(rule, lastClosedWindow(rule.schedule, nowMs)));
    }
    return reports;
  }

  /** Evaluates `rule` over `window` once (per rule and window start, across workers) and records alerts. */
  async runWindow(rule: ScheduledRule, window: TimeWindow): Promise<ScheduledRunReport> {
    const base = {
      ruleId: rule.id,
      windowStart: iso(window.startMs),
      windowEnd: iso(window.endMs),
      findings: [],
      alerts: [],
      suppressed: 0,
    };
    const key = `${this.keyPrefix}:window:${rule.id}:${window.startMs}`;
    const token = randomBytes(8).toString('hex');
    const taken = await this.options.redis.set(key, token, 'PX', this.options.lockMs ?? 300_000, 'NX');
    if (taken !== 'OK') {
      const held = await this.options.redis.get(key);
      return { ...base, status: held === DONE ? 'already_done' : 'locked' };
    }
    try {
      const findings = await evaluateScheduledRule(this.engine, this.options.prefix, rule, window);
      const { hits, suppressed } = await this.toHits(rule, window, findings);
      const alerts = await this.options.alerts.recordHits(hits);
      // Kept past the next window's close: by then no tick asks for this window again.
      const keepMs = 2 * rule.schedule.timeframe_ms + HOUR_MS;
      await this.options.redis.set(key, DONE, 'PX', keepMs);
      return { ...base, status: 'evaluated', findings, alerts, suppressed };
    } catch (error) {
      await this.options.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
      this.log.error({ err: error, ruleId: rule.id, window: base.windowStart }, 'scheduled rule failed');
      return { ...base, status: 'failed', error: (error as Error).message };
    }
  }

  private async toHits(
    rule: ScheduledRule,
    window: TimeWindow,
    findings: ScheduledFinding[],
  ): Promise<{ hits: RuleHit[]; suppressed: number }> {
    const hits: RuleHit[] = [];
    let suppressed = 0;
    for (const f of findings) {
      if (await this.silenced(rule, window, f)) {
        suppressed++;
        continue;
      }
      hits.push(toRuleHit(rule, window, f));
    }
    return { hits, suppressed };
  }

  /** Realert: the first window alerting a group holds the key; other windows stay silent until it expires. */
  private async silenced(rule: ScheduledRule, window: TimeWindow, f: ScheduledFinding): Promise<boolean> {
    const realertMs = rule.schedule.realert_ms ?? 0;
    if (realertMs <= 0) return false;
    const key = `${this.keyPrefix}:realert:${rule.id}:${f.group ?? '*'}`;
    const owner = String(window.startMs);
    if ((await this.options.redis.set(key, owner, 'PX', realertMs, 'NX')) === 'OK') return false;
    return (await this.options.redis.get(key)) !== owner;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A finding as a RuleHit: a synthetic document naming rule, window and group. */
export function toRuleHit(rule: ScheduledRule, window: TimeWindow, f: ScheduledFinding): RuleHit {
  const sample = f.sample ?? {};
  const site = f.groupField === 'site' ? f.group : str(sample.site);
  const host = str(sample.host) ?? str(sample.landing_domain);
  const url = str(sample.url) ?? str(sample.landing_url);
  const operator = str(sample.operator_id);
  const where = sample.jurisdiction as Jurisdiction | undefined;
  const group = f.group !== undefined ? `#${f.group}` : '';
  const { id, name, version, severity, category, legal_basis } = rule;
  return {
    rule: { id, name, version, severity, category, ...(legal_basis ? { legal_basis } : {}) },
    kind: rule.target === 'pages' ? 'page' : 'ad',
    doc: {
      id: `${rule.schedule.type}@${iso(window.startMs)}${group}`,
      ...(url ? { url } : {}),
      ...(host ? { host } : {}),
      ...(site ? { site } : {}),
      ...(operator ? { operator_id: operator } : {}),
      ...(where && typeof where === 'object' ? { jurisdiction: where } : {}),
    },
    indexedAt: window.endMs,
    window: {
      type: rule.schedule.type,
      start: iso(window.startMs),
      end: iso(window.endMs),
      ...(f.groupField ? { group_field: f.groupField } : {}),
      ...(f.group !== undefined ? { group: f.group } : {}),
      count: f.count,
      ...(f.reference !== undefined ? { reference: f.reference } : {}),
      ...(f.terms ? { terms: f.terms } : {}),
      summary: f.summary,
    },
  };
}
