/**
 * A crawl worker in its own process, for the crash and shutdown tests:
 * `node --import tsx tests/frontier/support/crawl-child.ts '<ChildOptions JSON>'`.
 * Prints `ready` on stdout once it listens for jobs; SIGTERM closes it gracefully (the default).
 */
import { Redis } from 'ioredis';
import { config } from '../../../core/config.js';
import { startCrawlWorker } from '../../../indexer/frontier/crawl.worker.js';
import { createFrontier } from '../../../indexer/frontier/frontier.js';
import { httpProcess } from './http-process.js';

/** What the parent test passes as the only argument. */
export interface ChildOptions {
  prefix: string;
  name: string;
  port: number;
  /** Redis SET the child adds every fetched URL to. */
  doneKey: string;
  concurrency: number;
  perHostConcurrency: number;
  leaseTtlMs: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const redis = new Redis(config().REDIS_URL);
const frontier = createFrontier({ prefix: options.prefix, name: options.name });
const worker = startCrawlWorker({
  frontier,
  processUrl: httpProcess({
    port: options.port,
    onFetched: async (task) => {
      await redis.sadd(options.doneKey, task.url);
    },
  }),
  concurrency: options.concurrency,
  perHostConcurrency: options.perHostConcurrency,
  minDelayMs: 0,
  leaseTtlMs: options.leaseTtlMs,
  lockDurationMs: options.lockDurationMs,
  stalledIntervalMs: options.stalledIntervalMs,
  recrawlPollMs: 0,
});
await worker.ready();
process.stdout.write('ready\n');
