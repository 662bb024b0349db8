/** Settings and results that `bench/crawl.bench.ts` exchanges with its child processes, as JSON. */

/** What both crawlers are given, so they crawl the same web under the same politeness. */
export interface CrawlSettings {
  seeds: string[];
  /** `host:port:127.0.0.1` entries of the demo web. */
  resolve: string[];
  /** Fetches in flight over all hosts. */
  concurrency: number;
  /** Argus only: fetches in flight per host (Crawlee has no such limit). */
  perHostConcurrency: number;
  /** Minimum gap between request starts to one host (Crawlee: `sameDomainDelaySecs`). */
  minDelayMs: number;
  /** Links deeper than this are not followed (seeds are depth 0). */
  maxDepth: number;
  /** Time limit of one fetch. */
  timeoutMs: number;
  /** Tries per URL in total for retryable failures. */
  attempts: number;
}

/** The Argus crawl child: where it writes. Indices are created and dropped by the parent. */
export interface ArgusChildSettings extends CrawlSettings {
  /** Pages per site (registered domain); Crawlee has no such budget, so the bench sets it out of reach. */
  siteBudget: number;
  indexPrefix: string;
  queuePrefix: string;
  queueName: string;
}

/** What a crawl child prints as its last stdout line, `result=<json>`. */
export interface CrawlChildResult {
  /** Pages fetched and handed to the pipeline (Argus: frontier `done`; Crawlee: request handler runs). */
  pages: number;
  failed: number;
  failedByCode: Record<string, number>;
  /** Links not queued, per reason (Argus: frontier skip reasons; Crawlee: `onSkippedRequest` reasons). */
  skipped: Record<string, number>;
  /** From the first seed queued until the crawl is idle (Argus: writer flushed too). */
  seconds: number;
  /** `process.resourceUsage().maxRSS` of the child, in MB. */
  peakRssMb: number;
  /** `process.memoryUsage()` at the end, in MB: how much of the peak was the V8 heap. */
  memoryAtEndMb: Record<string, number>;
  /** Argus only: the highest value of each `process.memoryUsage()` field, sampled every 100 ms, in MB. */
  peakMemoryMb?: Record<string, number>;
  /**
   * Argus only: operations the pipeline sent through `bulk` (bulk writer and link stage), items the bulk
   * writer failed for good, and wall time with at least one `bulk` / `mget` call in flight.
   */
  writeOps?: number;
  /** Argus only: jobs queued (fetches scheduled; links refused by robots.txt when found are not). */
  queued?: number;
  writeFailed?: number;
  bulkBusySeconds?: number;
  mgetBusySeconds?: number;
  bulkCalls?: number;
  mgetCalls?: number;
  searchCalls?: number;
  searchBusySeconds?: number;
}

export const RESULT_PREFIX = 'result=';

/** Prints the result line the parent waits for. */
export function printResult(result: CrawlChildResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

const toMb = (bytes: number): number => Math.round(bytes / 104_857.6) / 10;

/** `process.memoryUsage()` in MB, one decimal. */
export function memoryUsageMb(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(process.memoryUsage() as unknown as Record<string, number>).map(([name, bytes]) => [
      name,
      toMb(bytes),
    ]),
  );
}

/**
 * Samples `process.memoryUsage()` every `intervalMs` and keeps each field's highest value: which part of
 * the peak RSS was V8 heap (`heapTotal`, `heapUsed`) and which was off-heap (`external`, `arrayBuffers`).
 */
export function sampleMemoryPeaks(intervalMs = 100): { stop(): Record<string, number> } {
  const peaks: Record<string, number> = {};
  const sample = (): void => {
    for (const [name, bytes] of Object.entries(process.memoryUsage() as unknown as Record<string, number>))
      peaks[name] = Math.max(peaks[name] ?? 0, bytes);
  };
  const timer = setInterval(sample, intervalMs).unref();
  sample();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peaks).map(([name, bytes]) => [name, toMb(bytes)]));
    },
  };
}

/** Peak resident set size of this process so far, in MB (`maxRSS` is in KB). */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
