/**
 * Digest aggregation (pure): the notices of one rule, for one jurisdiction, within one interval
 * become one digest notice. The jurisdiction is part of the key so a digest never carries alerts
 * to people outside their scope.
 */
import { SEVERITIES, type AlertNotice, type DigestItem, type Severity } from './types.js';

/** A notice and when its alert was hit. */
export interface TimedNotice {
  notice: AlertNotice;
  at: Date | string;
}

/** Options of {@link aggregateDigests}. */
export interface DigestOptions {
  /** Interval length; windows are aligned on multiples of it since the epoch. */
  intervalMs: number;
  /** Groups of one notice stay as they are (not wrapped in a digest). @default true */
  keepSingles?: boolean;
}

export interface DigestWindow {
  start: Date;
  end: Date;
}

/** The aligned window `[start, end)` that holds `at`. */
export function digestWindow(at: Date | string, intervalMs: number): DigestWindow {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError('intervalMs must be > 0');
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) throw new RangeError(`Bad time: ${String(at)}`);
  const start = Math.floor(time / intervalMs) * intervalMs;
  return { start: new Date(start), end: new Date(start + intervalMs) };
}

function jurisdictionKey(notice: AlertNotice): string {
  const j = notice.jurisdiction;
  return [j.city ?? '', j.county ?? '', j.station ?? '', j.grid ?? ''].join('/');
}

function maxSeverity(notices: AlertNotice[]): Severity {
  let best = 0;
  for (const notice of notices) best = Math.max(best, SEVERITIES.indexOf(notice.severity));
  return SEVERITIES[best] ?? 'low';
}

function itemsOf(timed: TimedNotice): DigestItem[] {
  const { notice } = timed;
  if (notice.digest && notice.items) return notice.items;
  const at = new Date(timed.at).toISOString();
  return notice.alertIds.map((alertId) => ({
    alertId,
    title: notice.title,
    url: notice.url,
    hits: notice.hits,
    at,
  }));
}

/** One digest notice for a group of the same rule, jurisdiction and window. */
export function buildDigest(group: TimedNotice[], window: DigestWindow): AlertNotice {
  const first = group[0];
  if (!first) throw new RangeError('An empty group has no digest');
  const notices = group.map((g) => g.notice);
  const items = group.flatMap(itemsOf).sort((a, b) => a.at.localeCompare(b.at));
  const alertIds = [...new Set(notices.flatMap((n) => n.alertIds))];
  const hits = notices.reduce((sum, n) => sum + n.hits, 0);
  const { ruleName } = first.notice;
  return {
    alertIds,
    ruleId: first.notice.ruleId,
    ruleName,
    severity: maxSeverity(notices),
    category: first.notice.category,
    legalBasis: first.notice.legalBasis,
    title: `${ruleName}: ${alertIds.length} 条预警 / ${alertIds.length} alerts`,
    summary: `规则「${ruleName}」在本时段命中 ${hits} 次。Rule "${ruleName}" hit ${hits} times in this interval.`,
    jurisdiction: first.notice.jurisdiction,
    hits,
    digest: true,
    items,
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
  };
}

/**
 * Groups notices per rule, jurisdiction and aligned interval; returns one notice per group, ordered
 * by window then rule. A group of one stays itself unless `keepSingles` is false.
 */
export function aggregateDigests(entries: readonly TimedNotice[], options: DigestOptions): AlertNotice[] {
  const groups = new Map<string, { window: DigestWindow; members: TimedNotice[] }>();
  for (const entry of entries) {
    const window = digestWindow(entry.at, options.intervalMs);
    const key = `${window.start.getTime()}|${entry.notice.ruleId}|${jurisdictionKey(entry.notice)}`;
    const group = groups.get(key) ?? { window, members: [] };
    group.members.push(entry);
    groups.set(key, group);
  }
  const keepSingles = options.keepSingles ?? true;
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([, group]) =>
      keepSingles && group.members.length === 1 && group.members[0]
        ? group.members[0].notice
        : buildDigest(group.members, group.window),
    );
}
