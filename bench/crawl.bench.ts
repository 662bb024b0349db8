/**
 * `npm run bench:crawl [-- --sites 100 --pages 200 --concurrency 64 --skip-crawlee]`: crawls the demo web
 * end to end and prints `name=value` lines (comments start with `#`):
 * - the Argus crawl (fetch → extract → index) in a child process, after the demo bureau's registry is
 *   imported as `npm start` does: pages/s, docs/s, peak RSS;
 * - `pipeline_vs_bulk`, read as the issue defines it: the pipeline's indexing throughput ÷ raw `_bulk` of
 *   the same documents, both measured in this run after the crawl, on the same engine. The pipeline's
 *   indexing throughput is its index stage (bulk writer, create-or-compare change detection, versions,
 *   coalesced ad upserts, link-stage writes: the code the crawl runs) fed what fetch and extract produced
 *   (read back from the crawl), in docs/s. Raw `_bulk` writes the documents that stage produced, in
 *   batches like the writer's, one request at a time, timed over the `bulk` calls only. Both count the same
 *   documents (pages + page-versions + ads). `end_to_end_vs_bulk` is the stricter other reading: the whole
 *   crawl's docs/s (fetch and extract included, so bounded by the demo web and cheerio, not by indexing)
 *   over the same raw `_bulk` figure;
 * - ad and identifier precision/recall against the demo's ground truth;
 * - Crawlee's CheerioCrawler on the same web, same concurrency and politeness: `argus_vs_crawlee`.
 * The demo web runs in its own child process. Indices, queues and temp files are removed at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from './support/cli-options.js';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { config } from '../core/config.js';
import { scoreAds, scoreIdentifiers, type IndexedAd, type IndexedPage } from '../demo/evaluation.js';
import { loadGroundTruth } from '../demo/index.js';
import { createEngine } from '../engine/index.js';
import type { EnginePort } from '../engine/port.js';
import { createFrontier } from '../indexer/frontier/frontier.js';
import { crawlWorkerNodeArgs } from '../indexer/pipeline/worker-heap.js';
import { adsDefinition, aliasName, pageVersionsDefinition, pagesDefinition } from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { importDemoRegistry } from '../registry/demo-registry.js';
import { runCrawlChild, startDemoProcess, type DemoProcess } from './support/bench-processes.js';
import type { ArgusChildSettings, CrawlChildResult, CrawlSettings } from './support/crawl-bench.types.js';
import { PIPELINE_BATCH, replayIndices, type ReplayResult } from './support/index-replay.js';
import { replayIndexStage, type IndexStageReplayResult } from './support/index-stage-replay.js';

interface BenchOptions {
  sites: number;
  pages: number;
  seed: number;
  concurrency: number;
  perHostConcurrency?: number;
  minDelayMs: number;
  maxDepth: number;
  skipCrawlee?: boolean;
  cpuProf?: string;
}

/** Out of reach: Crawlee has no per-site budget, and the mall's shops share one site. */
const SITE_BUDGET = 1_000_000_000;
/** The documents compared with raw bulk: pages, their versions and ads. */
const REPLAY_DEFINITIONS = [pagesDefinition, pageVersionsDefinition, adsDefinition];
const INDEX_NAMES = REPLAY_DEFINITIONS.map((d) => d.name);

function parseOptions(argv: string[]): BenchOptions {
  const cfg = config();
  return new Command('bench:crawl')
    .option('--sites <n>', 'demo shops (fixed sites come on top)', positiveInt, 100)
    .option('--pages <n>', 'pages per demo shop', positiveInt, 200)
    .option('--seed <n>', 'demo web seed', nonNegativeInt, 42)
    .option('--concurrency <n>', 'fetches in flight over all hosts (both crawlers)', positiveInt, 64)
    .option(
      '--per-host-concurrency <n>',
      'Argus fetches in flight per host (default: --concurrency)',
      positiveInt,
    )
    .option('--min-delay-ms <n>', 'gap between request starts to one host (both crawlers)', nonNegativeInt, 0)
    .option('--max-depth <n>', 'link depth limit (both crawlers)', nonNegativeInt, cfg.CRAWL_MAX_DEPTH)
    .option('--skip-crawlee', 'do not run the Crawlee comparison')
    .option('--cpu-prof <dir>', 'write a V8 CPU profile of the Argus worker to this folder')
    .parse(argv)
    .opts<BenchOptions>();
}

/** Deletes every Redis key under the bench's own queue prefix (queue, politeness, dead letters). */
async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(config().REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

interface Evaluation {
  pages: IndexedPage[];
  ads: IndexedAd[];
}

/** Bulks the crawl's documents into fresh indices and keeps what scoring needs. */
async function replayAndCollect(engine: EnginePort, from: string, to: string) {
  const evaluation: Evaluation = { pages: [], ads: [] };
  for (const name of INDEX_NAMES) await engine.refresh(aliasName(from, name));
  const replay = await replayIndices(engine, {
    from,
    to,
    names: INDEX_NAMES,
    onDocument(name, doc) {
      if (name === 'pages') {
        const page = doc as unknown as IndexedPage;
        evaluation.pages.push({
          url: page.url,
          ...(page.identifiers ? { identifiers: page.identifiers } : {}),
        });
      } else if (name === 'ads') {
        const ad = doc as unknown as IndexedAd;
        evaluation.ads.push({ id: ad.id, ...(ad.landing_url ? { landing_url: ad.landing_url } : {}) });
      }
    },
  });
  return { replay, evaluation };
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'NaN');

/** The machine is shared: the 1-minute load average says how much else ran beside the bench. */
function printLoad(phase: string): void {
  console.log(`loadavg_${phase}=${fixed(loadavg()[0] ?? Number.NaN)}`);
}

function printSettings(options: BenchOptions, demo: DemoProcess): void {
  console.log('# bench:crawl: demo web in its own process; Argus worker in a child process');
  console.log(`sites=${options.sites}`);
  console.log(`pages_per_site=${options.pages}`);
  console.log(`demo_pages=${demo.pages}`);
  console.log(`seeds=${demo.seeds.length}`);
  console.log(`concurrency=${options.concurrency}`);
  console.log(`per_host_concurrency=${options.perHostConcurrency ?? options.concurrency}`);
  console.log(`min_delay_ms=${options.minDelayMs}`);
  console.log(`max_depth=${options.maxDepth}`);
  console.log(`site_budget=${SITE_BUDGET}`);
  console.log(`worker_heap_mb=${config().CRAWL_WORKER_HEAP_MB}`);
  console.log(`bulk_batch=${PIPELINE_BATCH.maxOperations} ops or ${PIPELINE_BATCH.maxBytes} bytes`);
}

function printArgus(argus: CrawlChildResult, replay: ReplayResult): void {
  const pages = replay.docsByIndex.pages ?? 0;
  console.log(`pages=${pages}`);
  console.log(`pages_fetched=${argus.pages}`);
  console.log(`failed=${argus.failed}`);
  console.log(`failed_by_code=${JSON.stringify(argus.failedByCode)}`);
  console.log(`skipped_links=${JSON.stringify(argus.skipped)}`);
  console.log(`crawl_seconds=${fixed(argus.seconds)}`);
  console.log(`pages_per_sec=${fixed(pages / argus.seconds, 1)}`);
  console.log(`# docs = pages + page-versions + ads documents in the indices after the crawl`);
  console.log(`docs=${replay.docs}`);
  console.log(`docs_by_index=${JSON.stringify(replay.docsByIndex)}`);
  console.log(`docs_per_sec=${fixed(replay.docs / argus.seconds, 1)}`);
  console.log('# write_ops = operations the pipeline sent through bulk (ad sightings are scripted upserts)');
  console.log(`write_ops=${argus.writeOps ?? 0}`);
  console.log(`write_failed=${argus.writeFailed ?? 0}`);
  console.log(`pipeline_bulk_calls=${argus.bulkCalls ?? 0}`);
  console.log(`pipeline_bulk_busy_seconds=${fixed(argus.bulkBusySeconds ?? 0)}`);
  console.log(`pipeline_mget_calls=${argus.mgetCalls ?? 0}`);
  console.log(`pipeline_mget_busy_seconds=${fixed(argus.mgetBusySeconds ?? 0)}`);
  console.log('# searches: ads landing on new pages (landing copy, batched), operator lookups, summary');
  console.log(`pipeline_search_calls=${argus.searchCalls ?? 0}`);
  console.log(`pipeline_search_busy_seconds=${fixed(argus.searchBusySeconds ?? 0)}`);
  console.log(`jobs_queued=${argus.queued ?? 0}`);
  console.log(`worker_peak_rss_mb=${fixed(argus.peakRssMb, 1)}`);
  console.log(`worker_memory_at_end_mb=${JSON.stringify(argus.memoryAtEndMb)}`);
  console.log(
    '# worker_peak_memory_mb: each process.memoryUsage() field at its highest (sampled every 100 ms)',
  );
  console.log(`worker_peak_memory_mb=${JSON.stringify(argus.peakMemoryMb ?? {})}`);
  console.log('# *_busy_seconds: wall time with at least one such call of the pipeline in flight');
}

interface IndexStageFigures {
  run: IndexStageReplayResult;
  docsByIndex: Record<string, number>;
}

/** Docs per index under `prefix` (refreshed first): what the index-stage replay produced. */
async function countDocs(engine: EnginePort, prefix: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of INDEX_NAMES) {
    await engine.refresh(aliasName(prefix, name));
    counts[name] = await engine.count(aliasName(prefix, name));
  }
  return counts;
}

function printVersusBulk(argus: CrawlChildResult, replay: ReplayResult, stage: IndexStageFigures): void {
  const bulkDocsPerSec = replay.docs / replay.bulkSeconds;
  console.log(`bulk_docs=${replay.docs}`);
  console.log(`bulk_failed=${replay.failed}`);
  console.log(`bulk_batches=${replay.batches}`);
  console.log(`bulk_mb=${fixed(replay.megabytes, 1)}`);
  console.log(`bulk_seconds=${fixed(replay.bulkSeconds)}`);
  console.log(`bulk_docs_per_sec=${fixed(bulkDocsPerSec, 1)}`);
  const stageDocs = Object.values(stage.docsByIndex).reduce((sum, n) => sum + n, 0);
  console.log("# index stage: the crawl's index code fed what fetch and extract produced (see header)");
  console.log(`index_stage_pages=${stage.run.pages}`);
  console.log(`index_stage_sightings=${stage.run.sightings}`);
  console.log(`index_stage_write_ops=${stage.run.writeOps}`);
  console.log(`index_stage_write_failed=${stage.run.writeFailed}`);
  console.log(`index_stage_docs=${stageDocs}`);
  console.log(`index_stage_docs_by_index=${JSON.stringify(stage.docsByIndex)}`);
  console.log(`index_stage_seconds=${fixed(stage.run.seconds)}`);
  const stageDocsPerSec = stageDocs / stage.run.seconds;
  console.log(`index_stage_docs_per_sec=${fixed(stageDocsPerSec, 1)}`);
  console.log('# pipeline_vs_bulk = index_stage_docs_per_sec / bulk_docs_per_sec (goal >= 0.8)');
  console.log(`pipeline_vs_bulk=${fixed(stageDocsPerSec / bulkDocsPerSec)}`);
  console.log('# end_to_end_vs_bulk = docs_per_sec of the whole crawl / bulk_docs_per_sec');
  console.log(`end_to_end_vs_bulk=${fixed(replay.docs / argus.seconds / bulkDocsPerSec)}`);
}

async function printScores(groundTruthPath: string, evaluation: Evaluation): Promise<void> {
  const truth = await loadGroundTruth(groundTruthPath);
  const ads = scoreAds(truth, evaluation.pages, evaluation.ads);
  const ids = scoreIdentifiers(truth, evaluation.pages);
  console.log(`ads_indexed=${evaluation.ads.length}`);
  console.log(`ads_precision=${fixed(ads.precision, 3)}`);
  console.log(`ads_recall=${fixed(ads.recall, 3)}`);
  console.log(`ads_tp_fp_fn=${ads.truePositives},${ads.falsePositives},${ads.falseNegatives}`);
  console.log(`identifiers_precision=${fixed(ids.precision, 3)}`);
  console.log(`identifiers_recall=${fixed(ids.recall, 3)}`);
  for (const [type, score] of Object.entries(ids.byType)) {
    console.log(`identifiers_${type}=${fixed(score.precision, 3)},${fixed(score.recall, 3)}`);
  }
}

function printCrawlee(crawlee: CrawlChildResult, argusPagesPerSec: number, options: BenchOptions): void {
  console.log(
    '# crawlee: CheerioCrawler (@crawlee/cheerio) runs the same extractPage and enqueues its links',
  );
  console.log('# (strategy same-domain = Argus site scope); it does NOT index anything.');
  console.log(`# crawlee settings: min=max concurrency ${options.concurrency} (no autoscaling),`);
  console.log(`# sameDomainDelaySecs=${options.minDelayMs / 1000} (per registered domain, Argus: per host),`);
  console.log('# respectRobotsTxtFile userAgent ArgusBot, maxCrawlDepth and retries as Argus, default');
  console.log(
    '# got-scraping headers and session pool, request queue persisted to a temp CRAWLEE_STORAGE_DIR.',
  );
  const perHost = options.perHostConcurrency ?? options.concurrency;
  console.log(`# differences: no per-host concurrency cap (Argus: ${perHost}); Crawlee ignores`);
  console.log('# Crawl-delay, so Argus caps Crawl-delay at min_delay_ms; .test hosts resolve through a');
  console.log('# dns.lookup override in the Crawlee child (Argus: its SSRF guard resolve map).');
  console.log(`crawlee_pages=${crawlee.pages}`);
  console.log(`crawlee_failed=${crawlee.failed}`);
  console.log(`crawlee_failed_by_code=${JSON.stringify(crawlee.failedByCode)}`);
  console.log(`crawlee_skipped_links=${JSON.stringify(crawlee.skipped)}`);
  console.log(`crawlee_seconds=${fixed(crawlee.seconds)}`);
  const crawleePagesPerSec = crawlee.pages / crawlee.seconds;
  console.log(`crawlee_pages_per_sec=${fixed(crawleePagesPerSec, 1)}`);
  console.log(`crawlee_peak_rss_mb=${fixed(crawlee.peakRssMb, 1)}`);
  console.log(`crawlee_memory_at_end_mb=${JSON.stringify(crawlee.memoryAtEndMb)}`);
  console.log(`argus_vs_crawlee=${fixed(argusPagesPerSec / crawleePagesPerSec)}`);
}

async function printCandidates(engine: EnginePort, prefix: string): Promise<void> {
  const candidates = aliasName(prefix, 'candidates');
  await engine.refresh(candidates);
  console.log('# candidates: unregistered-operator candidates the link stage wrote (not replayed)');
  console.log(`candidates=${await engine.count(candidates)}`);
}

function runCrawlee(options: BenchOptions, demo: DemoProcess, tmp: string): Promise<CrawlChildResult> {
  return runCrawlChild('bench/support/crawlee-crawl.child.ts', crawlSettings(options, demo), {
    env: { CRAWLEE_STORAGE_DIR: join(tmp, 'crawlee'), CRAWLEE_PURGE_ON_START: 'true', LOG_LEVEL: 'error' },
  });
}

function crawlSettings(options: BenchOptions, demo: DemoProcess): CrawlSettings {
  const cfg = config();
  return {
    seeds: demo.seeds,
    resolve: demo.resolve,
    concurrency: options.concurrency,
    perHostConcurrency: options.perHostConcurrency ?? options.concurrency,
    minDelayMs: options.minDelayMs,
    maxDepth: options.maxDepth,
    timeoutMs: cfg.CRAWL_TIMEOUT_MS,
    attempts: 4,
  };
}

async function runBench(
  options: BenchOptions,
  demo: DemoProcess,
  engine: EnginePort,
  tmp: string,
): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const crawlPrefix = `bench-crawl-${id}`;
  const bulkPrefix = `bench-bulk-${id}`;
  const stagePrefix = `bench-stage-${id}`;
  const settings: ArgusChildSettings = {
    ...crawlSettings(options, demo),
    siteBudget: SITE_BUDGET,
    indexPrefix: crawlPrefix,
    queuePrefix: `bench-crawl-${id}`,
    queueName: 'crawl',
  };
  const silent = pino({ level: 'silent' });
  try {
    // As `npm start` crawls: the demo bureau's registry imported first, so the link stage links pages to
    // their operators and only unregistered shops become candidates (index stage replay alike).
    const truth = await loadGroundTruth(demo.groundTruthPath);
    for (const prefix of [crawlPrefix, stagePrefix]) {
      await migrate(engine, { prefix, log: silent });
      await importDemoRegistry(engine, prefix, truth);
    }
    await migrate(engine, { prefix: bulkPrefix, definitions: REPLAY_DEFINITIONS, log: silent });
    printLoad('before_argus');
    const argus = await runCrawlChild('bench/support/argus-crawl.child.ts', settings, {
      env: { QUEUE_PREFIX: settings.queuePrefix, INDEX_PREFIX: crawlPrefix, LOG_LEVEL: 'error' },
      // Started as `npm run start:worker` starts a worker: under CRAWL_WORKER_HEAP_MB.
      nodeArgs: [
        ...crawlWorkerNodeArgs(),
        ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : []),
      ],
    });
    printLoad('after_argus');
    const { replay, evaluation } = await replayAndCollect(engine, crawlPrefix, bulkPrefix);
    printArgus(argus, replay);
    const run = await replayIndexStage(engine, {
      from: crawlPrefix,
      to: stagePrefix,
      concurrency: options.concurrency * 4,
    });
    printVersusBulk(argus, replay, { run, docsByIndex: await countDocs(engine, stagePrefix) });
    await printCandidates(engine, crawlPrefix);
    await printScores(demo.groundTruthPath, evaluation);
    if (options.skipCrawlee) return;
    printLoad('before_crawlee');
    const crawlee = await runCrawlee(options, demo, tmp);
    printLoad('after_crawlee');
    printCrawlee(crawlee, (replay.docsByIndex.pages ?? 0) / argus.seconds, options);
  } finally {
    await dropIndices(engine, { prefix: crawlPrefix });
    await dropIndices(engine, { prefix: bulkPrefix, definitions: REPLAY_DEFINITIONS });
    await dropIndices(engine, { prefix: stagePrefix });
    const frontier = createFrontier({ name: settings.queueName, prefix: settings.queuePrefix });
    await frontier.obliterate();
    await frontier.close();
    await dropRedisKeys(settings.queuePrefix);
  }
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const tmp = await mkdtemp(join(tmpdir(), 'argus-bench-crawl-'));
  const engine = await createEngine();
  let demo: DemoProcess | undefined;
  try {
    demo = await startDemoProcess({ ...options, groundTruthPath: join(tmp, 'ground-truth.json') });
    printSettings(options, demo);
    await runBench(options, demo, engine, tmp);
  } finally {
    await demo?.stop();
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
