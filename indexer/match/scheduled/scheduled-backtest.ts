/**
 * Back-test of a scheduled rule before it is saved: the rule is validated like a save, then evaluated
 * over its last N closed windows (nothing is written) — what it would have found in each window and
 * how many alerts that would have made after its realert interval.
 */
import { NonRetryableError } from '../../../core/errors.js';
import type { EnginePort } from '../../../engine/port.js';
import type { RuleRepository } from '../rule.repository.js';
import type { RuleInput } from '../rule.types.js';
import { evaluateScheduledRule, isScheduledRule, type ScheduledFinding } from './schedule-evaluator.js';
import { iso, lastClosedWindow, windowAt } from './schedule-window.js';

/** Options of {@link backtestScheduledRule}. */
export interface ScheduledBacktestOptions {
  prefix: string;
  /** Validates and compiles the rule exactly as saving would. */
  rules: RuleRepository;
  input: RuleInput;
  /** Closed windows to evaluate, newest first. @default 7 (at most 90) */
  windows?: number;
  /** @default Date.now() */
  nowMs?: number;
}

export interface ScheduledBacktestWindow {
  start: string;
  end: string;
  findings: ScheduledFinding[];
}

export interface ScheduledBacktestResult {
  /** Newest first. */
  windows: ScheduledBacktestWindow[];
  findings: number;
  /** Findings that would have become alerts (one per group and window, after `realert_ms`). */
  alertsWouldCreate: number;
}

export async function backtestScheduledRule(
  engine: EnginePort,
  options: ScheduledBacktestOptions,
): Promise<ScheduledBacktestResult> {
  const rule = await options.rules.validate(options.input);
  if (!isScheduledRule(rule)) {
    throw new NonRetryableError(`Rule ${rule.id} has no schedule; back-test it with backtestRule`, {
      code: 'RULE_NOT_SCHEDULED',
      httpStatus: 400,
      details: { id: rule.id },
    });
  }
  const count = Math.min(Math.max(options.windows ?? 7, 1), 90);
  const last = lastClosedWindow(rule.schedule, options.nowMs ?? Date.now());
  const windows: ScheduledBacktestWindow[] = [];
  for (let i = 0; i < count; i++) {
    const window = windowAt(rule.schedule, last.startMs - i * rule.schedule.timeframe_ms);
    const findings = await evaluateScheduledRule(engine, options.prefix, rule, window);
    windows.push({ start: iso(window.startMs), end: iso(window.endMs), findings });
  }
  // Realert replayed oldest first: a group alerts again only once realert_ms has passed.
  const realertMs = rule.schedule.realert_ms ?? 0;
  const lastAlert = new Map<string, number>();
  let alerts = 0;
  for (const w of [...windows].reverse()) {
    const startMs = Date.parse(w.start);
    for (const f of w.findings) {
      const group = f.group ?? '*';
      const previous = lastAlert.get(group);
      if (previous !== undefined && startMs - previous < realertMs) continue;
      lastAlert.set(group, startMs);
      alerts++;
    }
  }
  return {
    windows,
    findings: windows.reduce((n, w) => n + w.findings.length, 0),
    alertsWouldCreate: alerts,
  };
}
