/**
 * The V8 heap limit of a crawl worker process (`CRAWL_WORKER_HEAP_MB`; why in `core/config.ts`). Node
 * takes it only as a start flag: `npm run start:worker` passes it, and so does every other launcher of a
 * worker process (bench:crawl's worker child) through {@link crawlWorkerNodeArgs}.
 */
import { getHeapStatistics } from 'node:v8';
import { config } from '../../core/config.js';

/** Node flags a crawl worker process starts with. */
export function crawlWorkerNodeArgs(heapMb = config().CRAWL_WORKER_HEAP_MB): string[] {
  return [`--max-old-space-size=${heapMb}`];
}

/** This process's V8 heap limit in MB (old space plus young generation). */
export function heapLimitMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 1_048_576);
}

/**
 * Whether this process runs under about the configured limit: the young generation adds up to a few
 * dozen MB to it; Node's default limit, a share of the machine's RAM, is far above.
 */
export function hasWorkerHeapLimit(heapMb = config().CRAWL_WORKER_HEAP_MB): boolean {
  return heapLimitMb() <= heapMb + 128;
}
