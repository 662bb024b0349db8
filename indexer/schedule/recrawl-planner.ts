/**
 * Turns inspection frequencies into crawl times: every operator's sites (domains and shop URLs) get a
 * `next_fetch_at` in the frontier one interval after the operator's latest crawled page, or now when it
 * was never crawled or is overdue.
 */
import type { Logger } from 'pino';
import { isAppError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { scanAll } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { Operator } from '../../registry/types.js';
import type { Frontier } from '../frontier/frontier.js';
import { operatorActivity } from './operator-activity.js';
import { inspectionInterval, nextDueAt, type ScheduleTable } from './schedule-table.js';

export type PlannedOperator = Pick<
  Operator,
  | 'id'
  | 'domains'
  | 'shop_urls'
  | 'classification'
  | 'risk_tier'
  | 'source_focus'
  | 'type'
  | 'inspection_frequency_days'
>;

/** Options of {@link planRecrawls}. */
export interface PlanRecrawlsOptions {
  prefix: string;
  table: ScheduleTable;
  /** @default new Date() */
  now?: Date;
  /** Scheme of entry URLs made from bare domains. @default 'https' */
  scheme?: 'http' | 'https';
  /** Only these operators (e.g. after one changed). @default every operator in `entities` */
  operatorIds?: readonly string[];
  /** @default logger('recrawl-planner') */
  log?: Logger;
}

export interface PlannedRecrawl {
  operatorId: string;
  url: string;
  nextFetchAt: Date;
  intervalDays: number;
}

/** The entry URLs of an operator's sites: `scheme://domain/` and each shop URL. */
export function entryUrls(op: Pick<Operator, 'domains' | 'shop_urls'>, scheme: 'http' | 'https'): string[] {
  const urls = (op.domains ?? []).map(
    (d) => `${scheme}://${d.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')}/`,
  );
  for (const shop of op.shop_urls ?? []) urls.push(/^https?:\/\//i.test(shop) ? shop : `${scheme}://${shop}`);
  return [...new Set(urls)];
}

async function loadOperators(
  engine: EnginePort,
  prefix: string,
  ids?: readonly string[],
): Promise<PlannedOperator[]> {
  const query: Doc = ids ? { ids: { values: [...ids] } } : { match_all: {} };
  const operators: PlannedOperator[] = [];
  const source = [
    'id',
    'domains',
    'shop_urls',
    'classification',
    'risk_tier',
    'source_focus',
    'type',
    'inspection_frequency_days',
  ];
  for await (const hit of scanAll<PlannedOperator>(engine, {
    index: aliasName(prefix, 'entities'),
    query,
    source,
  })) {
    operators.push(hit.source);
  }
  return operators;
}

export interface RecrawlPlan {
  planned: PlannedRecrawl[];
  /** Entry URLs the frontier refused (a malformed domain in the registry), with its reason. */
  skipped: Array<{ operatorId: string; url: string; reason: string }>;
}

/** Sets `next_fetch_at` of every operator's entry URLs in `frontier`; a bad URL is skipped and reported. */
export async function planRecrawls(
  engine: EnginePort,
  frontier: Pick<Frontier, 'scheduleRecrawl'>,
  options: PlanRecrawlsOptions,
): Promise<RecrawlPlan> {
  const now = options.now ?? new Date();
  const scheme = options.scheme ?? 'https';
  const operators = await loadOperators(engine, options.prefix, options.operatorIds);
  const activity = await operatorActivity(
    engine,
    options.prefix,
    operators.map((o) => o.id),
  );
  const planned: PlannedRecrawl[] = [];
  const skipped: RecrawlPlan['skipped'] = [];
  for (const op of operators) {
    const last = activity.get(op.id)?.lastCrawledAt ?? null;
    const due = nextDueAt(options.table, op, last, now);
    const nextFetchAt = due.getTime() < now.getTime() ? now : due;
    const intervalDays = inspectionInterval(options.table, op).days;
    for (const url of entryUrls(op, scheme)) {
      try {
        await frontier.scheduleRecrawl(url, nextFetchAt);
        planned.push({ operatorId: op.id, url, nextFetchAt, intervalDays });
      } catch (error) {
        if (!isAppError(error) || error.retryable) throw error;
        skipped.push({ operatorId: op.id, url, reason: `${error.code}: ${error.message}` });
      }
    }
  }
  (options.log ?? logger('recrawl-planner')).info(
    { operators: operators.length, urls: planned.length, skipped: skipped.length },
    'recrawls planned',
  );
  return { planned, skipped };
}
