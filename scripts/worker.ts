/**
 * `npm run start:worker`: one crawl worker process (fetch → extract → index) on the queue CRAWL_QUEUE.
 * Run as many as the machine allows; they share politeness, budgets and counters through Redis.
 * SIGTERM/SIGINT finish running jobs and exit; a killed worker's jobs return through BullMQ's stalled check.
 */
import { config } from '../core/config.js';
import { logger } from '../core/logger.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { planRecrawls } from '../indexer/schedule/recrawl-planner.js';
import { loadScheduleTable } from '../indexer/schedule/schedule-table.js';

const log = logger('worker');
const cfg = config();
const runtime = await startCrawlRuntime({
  frontier: { name: cfg.CRAWL_QUEUE },
  worker: { handleSignals: false },
});
log.info({ queue: cfg.CRAWL_QUEUE, prefix: runtime.prefix }, 'crawl worker ready');

// Inspection schedules drive recrawls: each operator's sites get next_fetch_at from its class and
// risk tier. Idempotent, so several workers planning at once only repeat the same schedule.
const table = await loadScheduleTable();
const plan = (): void => {
  planRecrawls(runtime.engine, runtime.frontier, { prefix: runtime.prefix, table }).catch((error: unknown) =>
    log.warn({ err: error }, 'recrawl planning failed; next try at the next interval'),
  );
};
plan();
setInterval(plan, cfg.SCHEDULE_PLAN_INTERVAL_MS).unref();

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  void runtime.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
