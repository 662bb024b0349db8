/**
 * The operators' CLI: `argus crawl <url|file>...`, `argus status`, `argus search "<query>"`,
 * `argus dead-letters [--replay]`. Run with `npm run argus -- <command>` or `./bin/argus.js`.
 */
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import type { EnginePort } from '../engine/port.js';
import { createFrontier } from '../indexer/frontier/frontier.js';
import { BulkWriter } from '../indexer/index/bulk-writer.js';
import { DeadLetterStore } from '../indexer/index/dead-letters.js';
import { createProgressReporter } from '../indexer/pipeline/crawl-progress.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { formatSummary, summariseCrawl } from '../indexer/pipeline/crawl-summary.js';
import { queueSeeds, readSeeds } from '../indexer/pipeline/seeds.js';
import { aliasName } from '../mappings/index.js';
import { migrate } from '../mappings/migrate.js';
import { searchPages } from '../search/search-pages.js';

async function withEngine<T>(work: (engine: EnginePort) => Promise<T>): Promise<T> {
  const engine = await createEngine();
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

async function crawl(targets: string[], options: { queue: string }): Promise<void> {
  const seeds = readSeeds(targets);
  await withEngine(async (engine) => {
    await migrate(engine, { prefix: config().INDEX_PREFIX });
    const runtime = await startCrawlRuntime({ engine, frontier: { name: options.queue } });
    try {
      console.log(`crawl: ${await queueSeeds(runtime.frontier, seeds)} seeds queued`);
      const progress = createProgressReporter(runtime.frontier);
      await runtime.waitUntilIdle({ onTick: progress.tick });
      progress.stop();
      console.log(formatSummary(await summariseCrawl(engine, runtime.prefix, runtime.frontier)));
    } finally {
      await runtime.close();
    }
  });
}

async function status(options: { queue: string }): Promise<void> {
  const prefix = config().INDEX_PREFIX;
  await withEngine(async (engine) => {
    const [info, health, pages, ads] = await Promise.all([
      engine.info(),
      engine.health(),
      engine.count(aliasName(prefix, 'pages')).catch(() => 0),
      engine.count(aliasName(prefix, 'ads')).catch(() => 0),
    ]);
    const frontier = createFrontier({ name: options.queue });
    const redis = new Redis(config().REDIS_URL);
    try {
      const progress = await frontier.progress();
      const deadLetters = await new DeadLetterStore(redis, `${config().QUEUE_PREFIX}:${prefix}`).count();
      console.log(`engine: ${info.flavour} ${info.version} (${health.status})`);
      console.log(`index: pages=${pages} ads=${ads} dead_letters=${deadLetters}`);
      console.log(
        `crawl "${options.queue}": discovered=${progress.discovered} done=${progress.done} failed=${progress.failed} ` +
          `waiting=${progress.waiting} active=${progress.active} delayed=${progress.delayed} paused=${progress.paused}`,
      );
    } finally {
      await frontier.close();
      redis.disconnect();
    }
  });
}

async function search(query: string, options: { size: string; domain?: string }): Promise<void> {
  await withEngine(async (engine) => {
    const result = await searchPages(engine, {
      prefix: config().INDEX_PREFIX,
      query,
      size: Number(options.size),
      ...(options.domain ? { domain: options.domain } : {}),
    });
    console.log(`${result.total} pages (${result.tookMs} ms)`);
    for (const hit of result.hits) {
      console.log(`\n${hit.title || '(no title)'}\n  ${hit.url}`);
      for (const fragment of hit.fragments) console.log(`  … ${fragment.replace(/<\/?em>/g, '**')} …`);
    }
  });
}

async function deadLetters(options: { replay?: boolean }): Promise<void> {
  const prefix = config().INDEX_PREFIX;
  const redis = new Redis(config().REDIS_URL);
  try {
    const store = new DeadLetterStore(redis, `${config().QUEUE_PREFIX}:${prefix}`);
    if (!options.replay) {
      for (const letter of await store.list()) {
        console.log(
          `${letter.failedAt} ${letter.operation.op} ${letter.operation.index}/${letter.operation.id}: ${letter.error.type} ${letter.error.reason}`,
        );
      }
      console.log(`${await store.count()} dead letters`);
      return;
    }
    await withEngine(async (engine) => {
      const writer = new BulkWriter(engine, { deadLetters: store });
      const report = await store.replay((operation) => writer.add(operation));
      await writer.close();
      console.log(
        `replayed=${report.attempted} written=${report.written} failed_again=${report.failedAgain}`,
      );
    });
  } finally {
    redis.disconnect();
  }
}

const program = new Command('argus').description('Argus: crawl, index and search e-commerce operators');
program
  .command('crawl')
  .argument('<targets...>', 'URLs, or files with one URL per line')
  .option('--queue <name>', 'crawl (queue) name', 'crawl')
  .description('crawl URLs and their sites until done, then print a summary')
  .action(crawl);
program
  .command('status')
  .option('--queue <name>', 'crawl (queue) name', 'crawl')
  .description('engine, index and crawl figures')
  .action(status);
program
  .command('search')
  .argument('<query>', 'terms, "phrases", -exclusions')
  .option('--size <n>', 'hits to show', '10')
  .option('--domain <domain>', 'only this domain and its subdomains')
  .description('full-text search over crawled pages')
  .action(search);
program
  .command('dead-letters')
  .option('--replay', 'write them again')
  .description('list or replay refused writes')
  .action(deadLetters);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? `argus: ${error.message}` : error);
  process.exit(1);
});
