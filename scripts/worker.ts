/**
 * `npm run start:worker`: one crawl worker process (fetch → extract → index) on the queue CRAWL_QUEUE.
 * Run as many as the machine allows; they share politeness, budgets and counters through Redis.
 * SIGTERM/SIGINT finish running jobs and exit; a killed worker's jobs return through BullMQ's stalled check.
 */
import { config } from '../core/config.js';
import { logger } from '../core/logger.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';

const log = logger('worker');
const cfg = config();
const runtime = await startCrawlRuntime({
  frontier: { name: cfg.CRAWL_QUEUE },
  worker: { handleSignals: false },
});
log.info({ queue: cfg.CRAWL_QUEUE, prefix: runtime.prefix }, 'crawl worker ready');

let stopping = false;
const stop = (): void => {
  if (stopping) process.exit(1);
  stopping = true;
  void runtime.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
