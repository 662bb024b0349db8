/**
 * `npm run start:worker`: one crawl worker process (fetch → extract → index) on the queue CRAWL_QUEUE.
 * Run as many as the machine allows; they share politeness, budgets and counters through Redis.
 * SIGTERM/SIGINT finish running jobs and exit; a killed worker's jobs return through BullMQ's stalled check.
 * Started by `npm run start:worker`, it runs under the V8 heap limit CRAWL_WORKER_HEAP_MB (core/config.ts).
 */
import { Redis } from 'ioredis';
import { config } from '../core/config.js';
import { logger } from '../core/logger.js';
import { createAlerting } from '../indexer/alert/routing/index.js';
import { Matcher } from '../indexer/match/matcher.js';
import { startScheduledLoop } from '../indexer/match/scheduled/scheduled-loop.js';
import { ScheduledRuleRunner } from '../indexer/match/scheduled/scheduled-runner.js';
import { SseHub } from '../notify/index.js';
import { createEngine } from '../engine/index.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { hasWorkerHeapLimit, heapLimitMb } from '../indexer/pipeline/worker-heap.js';
import { planRecrawls } from '../indexer/schedule/recrawl-planner.js';
import { loadScheduleTable } from '../indexer/schedule/schedule-table.js';

const log = logger('worker');
const cfg = config();
if (!hasWorkerHeapLimit(cfg.CRAWL_WORKER_HEAP_MB)) {
  log.warn(
    { heapLimitMb: heapLimitMb(), CRAWL_WORKER_HEAP_MB: cfg.CRAWL_WORKER_HEAP_MB },
    'started without --max-old-space-size=CRAWL_WORKER_HEAP_MB (npm run start:worker passes it): the heap may grow to several times what the worker retains',
  );
}
const prefix = cfg.INDEX_PREFIX;
const engine = await createEngine();
// Alerts take the main job's routing and notification path (Redis outbox; flushers share it by lease).
const redis = new Redis(cfg.REDIS_URL);
const alerting = createAlerting(engine, { prefix, redis, hub: new SseHub(redis, {}) });
alerting.notifier.start();
// Every page and ad this worker indexes is matched against the enabled rules, as in the main job.
const matcher = new Matcher(engine, { prefix, alerts: alerting.alerts });
const runtime = await startCrawlRuntime({
  engine,
  matcher,
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

// Scheduled rules over their last closed window, idempotent per rule and window across workers.
const scheduled = startScheduledLoop(
  new ScheduledRuleRunner(runtime.engine, {
    prefix: runtime.prefix,
    alerts: alerting.alerts,
    redis,
    keyPrefix: `${cfg.QUEUE_PREFIX}:${runtime.prefix}:scheduled`,
  }),
  { intervalMs: cfg.SCHEDULED_RULES_INTERVAL_MS, log },
);

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  void scheduled
    .stop()
    .then(() => runtime.close())
    .then(() => matcher.flush())
    .then(() => alerting.stop())
    .then(() => engine.close())
    .then(() => {
      redis.disconnect();
      process.exit(0);
    });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
