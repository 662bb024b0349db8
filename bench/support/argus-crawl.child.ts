/**
 * Child process of `npm run bench:crawl`: one Argus crawl worker (fetch → extract → index) over the demo
 * web, so its peak RSS is the worker's own. Usage:
 * `node --import tsx argus-crawl.child.ts '<ArgusChildSettings json>'`. The parent creates the indices
 * before and reads, scores and drops them after; this process only crawls and prints `result=<json>`.
 */
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { startCrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { peakRssMb, printResult, type ArgusChildSettings } from './crawl-bench.types.js';

interface BusyTime {
  bulkMs: number;
  mgetMs: number;
  bulkCalls: number;
  mgetCalls: number;
}

/** The engine port with the time spent in `bulk` and `mget` (the index stage's calls) added up. */
function timedEngine(engine: EnginePort, busy: BusyTime): EnginePort {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      // Bound to the adapter itself: its methods may use private fields a proxy `this` cannot reach.
      if (property !== 'bulk' && property !== 'mget')
        return (value as (...a: unknown[]) => unknown).bind(target);
      const [key, calls] =
        property === 'bulk' ? (['bulkMs', 'bulkCalls'] as const) : (['mgetMs', 'mgetCalls'] as const);
      return async (...args: unknown[]): Promise<unknown> => {
        const startedAt = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          busy[key] += performance.now() - startedAt;
          busy[calls] += 1;
        }
      };
    },
  });
}

async function main(settings: ArgusChildSettings): Promise<void> {
  const busy: BusyTime = { bulkMs: 0, mgetMs: 0, bulkCalls: 0, mgetCalls: 0 };
  const engine = await createEngine();
  const runtime = await startCrawlRuntime({
    prefix: settings.indexPrefix,
    engine: timedEngine(engine, busy),
    frontier: {
      name: settings.queueName,
      prefix: settings.queuePrefix,
      maxDepth: settings.maxDepth,
      attempts: settings.attempts,
    },
    worker: {
      concurrency: settings.concurrency,
      perHostConcurrency: settings.perHostConcurrency,
      minDelayMs: settings.minDelayMs,
      // Crawlee ignores Crawl-delay; capping it at the shared delay keeps the politeness the same.
      maxCrawlDelayMs: settings.minDelayMs,
      recrawlPollMs: 0,
      handleSignals: false,
    },
    resolve: settings.resolve,
    allowPrivate: ['127.0.0.1/32'],
  });
  try {
    const startedAt = performance.now();
    await queueSeeds(runtime.frontier, settings.seeds);
    await runtime.waitUntilIdle({ pollMs: 100 });
    const seconds = (performance.now() - startedAt) / 1000;
    const progress = await runtime.frontier.progress();
    printResult({
      pages: progress.done,
      failed: progress.failed,
      failedByCode: progress.failedByCode,
      skipped: progress.skipped,
      seconds,
      peakRssMb: peakRssMb(),
      writeOps: runtime.writer.stats.written,
      writeFailed: runtime.writer.stats.failed,
      bulkBusySeconds: busy.bulkMs / 1000,
      mgetBusySeconds: busy.mgetMs / 1000,
      bulkCalls: busy.bulkCalls,
      mgetCalls: busy.mgetCalls,
    });
  } finally {
    await runtime.close();
    await engine.close();
  }
}

main(JSON.parse(process.argv[2] ?? '{}') as ArgusChildSettings).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
