import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { createFetcher, createRobotsCache, createSsrfGuard, type Fetcher } from '../fetch/index.js';
import { startCrawlWorker, type CrawlWorker, type CrawlWorkerOptions } from '../frontier/crawl.worker.js';
import { createFrontier, type Frontier, type FrontierOptions } from '../frontier/frontier.js';
import { AdIndexer } from '../index/ad-indexer.js';
import { BulkWriter } from '../index/bulk-writer.js';
import { DeadLetterStore } from '../index/dead-letters.js';
import { LandingCopy } from '../index/landing-copy.js';
import { PageIndexer } from '../index/page-indexer.js';
import type { Matcher } from '../match/matcher.js';
import { LinkStage } from '../link/link-stage.js';
import { operatorsChangedChannel } from '../link/operator-directory.js';
import { createFrameCreativeResolver } from './frame-creatives.js';
import { createProcessUrl, type PipelineDeps } from './process-url.js';

/** Options of {@link startCrawlRuntime}; every field defaults from `core/config.ts`. */
export interface CrawlRuntimeOptions {
  /** Index prefix. @default config INDEX_PREFIX */
  prefix?: string;
  engine?: EnginePort;
  frontier?: FrontierOptions;
  /** Worker tuning (concurrency, politeness, stalled checks). */
  worker?: Omit<CrawlWorkerOptions, 'frontier' | 'processUrl'>;
  /** SSRF allow-list and resolve map, beside those of the config (the demo web adds its own). */
  allowPrivate?: readonly string[];
  resolve?: readonly string[];
  /** Start no worker: only the frontier (to add seeds, read progress). */
  workerless?: boolean;
  onIndexed?: PipelineDeps['onIndexed'];
  /** Percolates every new or changed page and every ad sighting against the enabled rules. */
  matcher?: Matcher;
  /** Link pages and ads to registered operators. @default true */
  linking?: boolean;
  /** Crawl ads' landing pages and copy their title and text onto the ads (index/landing-copy.ts). @default true */
  landingCopy?: boolean;
}

/** A crawl in one process: the frontier, a worker running fetch → extract → index, and the writers. */
export interface CrawlRuntime {
  readonly engine: EnginePort;
  readonly frontier: Frontier;
  readonly worker?: CrawlWorker;
  readonly writer: BulkWriter;
  readonly deadLetters: DeadLetterStore;
  readonly prefix: string;
  /** Waits until the frontier has nothing waiting, active or delayed, then flushes the writer. */
  waitUntilIdle(options?: { pollMs?: number; onTick?: () => void | Promise<void> }): Promise<void>;
  close(): Promise<void>;
}

function listOf(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function matchingHooks(options: CrawlRuntimeOptions): Pick<PipelineDeps, 'onIndexed' | 'onAdIndexed'> {
  const { matcher, onIndexed } = options;
  if (!matcher) return onIndexed ? { onIndexed } : {};
  return {
    onIndexed: async (result, task) => {
      // Unchanged pages were matched when they last changed; a failed write has nothing to match.
      if (result.ok && result.change !== 'unchanged') await matcher.onIndexed(result.id, 'page');
      await onIndexed?.(result, task);
    },
    onAdIndexed: async (adId) => {
      await matcher.onIndexed(adId, 'ad');
    },
  };
}

export async function startCrawlRuntime(options: CrawlRuntimeOptions = {}): Promise<CrawlRuntime> {
  const cfg = config();
  const prefix = options.prefix ?? cfg.INDEX_PREFIX;
  const engine = options.engine ?? (await createEngine());
  const redis = new Redis(cfg.REDIS_URL, { maxRetriesPerRequest: null });
  const deadLetters = new DeadLetterStore(redis, `${cfg.QUEUE_PREFIX}:${prefix}`);
  const writer = new BulkWriter(engine, { deadLetters });
  const guard = createSsrfGuard({
    allowPrivate: [...listOf(cfg.CRAWL_ALLOW_PRIVATE), ...(options.allowPrivate ?? [])],
    resolve: [...listOf(cfg.CRAWL_RESOLVE), ...(options.resolve ?? [])],
  });
  const fetcher: Fetcher = createFetcher({ guard });
  const robots = createRobotsCache({ fetcher });
  const frontier = createFrontier({
    attempts: cfg.CRAWL_ATTEMPTS,
    backoffMs: cfg.CRAWL_BACKOFF_MS,
    ...options.frontier,
  });
  const link =
    options.linking === false
      ? undefined
      : await LinkStage.create(engine, {
          prefix,
          changeChannel: operatorsChangedChannel(prefix),
          // Link writes join the crawl's batches and dead letters instead of a `_bulk` per page.
          writer,
        });
  const processUrl = createProcessUrl({
    engine,
    prefix,
    fetcher,
    robots,
    pages: new PageIndexer(engine, writer, { prefix }),
    ads: new AdIndexer(writer, prefix),
    resolveFrame: createFrameCreativeResolver({ fetcher }),
    ...(link ? { link } : {}),
    ...(options.landingCopy === false
      ? {}
      : {
          landing: new LandingCopy(engine, { prefix, writer, normalize: options.frontier?.normalize ?? {} }),
        }),
    ...matchingHooks(options),
  });
  const worker = options.workerless
    ? undefined
    : startCrawlWorker({
        frontier,
        processUrl,
        lockDurationMs: cfg.CRAWL_LOCK_DURATION_MS,
        stalledIntervalMs: cfg.CRAWL_STALLED_INTERVAL_MS,
        ...options.worker,
      });
  await worker?.ready();

  return {
    engine,
    frontier,
    ...(worker ? { worker } : {}),
    writer,
    deadLetters,
    prefix,
    async waitUntilIdle({ pollMs = 500, onTick } = {}) {
      // Two idle readings in a row: a job finishing may enqueue links just after the first.
      let idleReadings = 0;
      while (idleReadings < 2) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        await onTick?.();
        idleReadings = (await frontier.isIdle()) ? idleReadings + 1 : 0;
      }
      await writer.flush();
    },
    async close() {
      await worker?.close();
      await writer.close();
      await link?.close();
      fetcher.close();
      await frontier.close();
      redis.disconnect();
      if (!options.engine) await engine.close();
    },
  };
}
