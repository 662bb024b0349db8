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
import {
  memoryUsageMb,
  peakRssMb,
  printResult,
  sampleMemoryPeaks,
  type ArgusChildSettings,
} from './crawl-bench.types.js';

/** Calls of one engine method: how many, operations sent (bulk), wall time with at least one in flight. */
class CallMeter {
  calls = 0;
  operations = 0;
  busyMs = 0;
  private inFlight = 0;
  private since = 0;

  async measure<T>(operations: number, call: () => Promise<T>): Promise<T> {
    this.calls += 1;
    this.operations += operations;
    if (this.inFlight++ === 0) this.since = performance.now();
    try {
      return await call();
    } finally {
      if (--this.inFlight === 0) this.busyMs += performance.now() - this.since;
    }
  }
}

type Meters = Record<'bulk' | 'mget' | 'search', CallMeter>;

/** The engine port with `bulk`, `mget` and `search` metered (the index, link and match stages' calls). */
function meteredEngine(engine: EnginePort, meters: Meters): EnginePort {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      // Bound to the adapter itself: its methods may use private fields a proxy `this` cannot reach.
      const method = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
      if (property !== 'bulk' && property !== 'mget' && property !== 'search') return method;
      const meter = meters[property];
      return (...args: unknown[]) =>
        meter.measure(Array.isArray(args[0]) ? args[0].length : 0, () => method(...args));
    },
  });
}

async function main(settings: ArgusChildSettings): Promise<void> {
  const meters: Meters = { bulk: new CallMeter(), mget: new CallMeter(), search: new CallMeter() };
  const memory = sampleMemoryPeaks();
  const engine = await createEngine();
  const runtime = await startCrawlRuntime({
    prefix: settings.indexPrefix,
    engine: meteredEngine(engine, meters),
    frontier: {
      name: settings.queueName,
      prefix: settings.queuePrefix,
      maxDepth: settings.maxDepth,
      siteBudget: settings.siteBudget,
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
      memoryAtEndMb: memoryUsageMb(),
      peakMemoryMb: memory.stop(),
      writeOps: meters.bulk.operations,
      queued: progress.queued,
      writeFailed: runtime.writer.stats.failed,
      bulkBusySeconds: meters.bulk.busyMs / 1000,
      mgetBusySeconds: meters.mget.busyMs / 1000,
      bulkCalls: meters.bulk.calls,
      mgetCalls: meters.mget.calls,
      searchCalls: meters.search.calls,
      searchBusySeconds: meters.search.busyMs / 1000,
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
