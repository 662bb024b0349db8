/** Windows of scheduled rules: closed, aligned to multiples of the timeframe since the epoch (UTC). */
import type { Schedule } from './schedule.types.js';

/** A half-open time window [startMs, endMs). */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/**
 * The last closed window at `nowMs`: for a one-hour timeframe at 10:20, [09:00, 10:00). Every worker
 * computes the same window for the same moment, so the window start names the run (idempotency).
 */
export function lastClosedWindow(schedule: Pick<Schedule, 'timeframe_ms'>, nowMs: number): TimeWindow {
  const size = schedule.timeframe_ms;
  const endMs = Math.floor(nowMs / size) * size;
  return { startMs: endMs - size, endMs };
}

/** The window starting at `startMs` (the caller names it; the API's "run this window"). */
export function windowAt(schedule: Pick<Schedule, 'timeframe_ms'>, startMs: number): TimeWindow {
  return { startMs, endMs: startMs + schedule.timeframe_ms };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A date range filter on `field` for [fromMs, toMs). */
export function rangeFilter(field: string, fromMs: number, toMs: number): Record<string, unknown> {
  return { range: { [field]: { gte: iso(fromMs), lt: iso(toMs), format: 'strict_date_optional_time' } } };
}
