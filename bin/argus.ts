/**
 * The operators' CLI: `argus crawl <url|file>...`, `argus status`, `argus search "<query>"`,
 * `argus dead-letters [--replay]`, `argus rules import <file.yaml> [--dry-run]`,
 * `argus rules run-scheduled [--at <time>]`, `argus rules recompile`. Run with `npm run argus -- <command>` or `./bin/argus.js`.
 */
import { readFile } from 'node:fs/promises';
import { load } from 'cheerio/slim';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import type { EnginePort } from '../engine/port.js';
import { createFrontier } from '../indexer/frontier/frontier.js';
import { AlertService } from '../indexer/alert/alert.service.js';
import { formatImportReport, importElastAlertRules } from '../indexer/match/elastalert/elastalert-import.js';
import { RuleRepository } from '../indexer/match/rule.repository.js';
import { ScheduledRuleRunner } from '../indexer/match/scheduled/scheduled-runner.js';
import { BulkWriter } from '../indexer/index/bulk-writer.js';
import { DeadLetterStore } from '../indexer/index/dead-letters.js';
import { createProgressReporter } from '../indexer/pipeline/crawl-progress.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { formatSummary, summariseCrawl } from '../indexer/pipeline/crawl-summary.js';
import { queueSeeds, readSeeds } from '../indexer/pipeline/seeds.js';
import { aliasName } from '../mappings/index.js';
import { migrate } from '../mappings/migrate.js';
import { searchDocuments } from '../search/search-documents.js';

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
    // The API's search, unscoped: the operators' CLI runs on the server with every district in view.
    const result = await searchDocuments(engine, {
      prefix: config().INDEX_PREFIX,
      kind: 'pages',
      query,
      scope: [],
      size: Number(options.size),
      filters: options.domain ? { domain: options.domain } : {},
    });
    console.log(`${result.total} pages (${result.tookMs} ms)`);
    for (const hit of result.hits) {
      console.log(`\n${hit.title || '(no title)'}\n  ${hit.url}`);
      for (const fragment of hit.highlights.text ?? hit.highlights.title ?? []) {
        console.log(`  … ${plainFragment(fragment)} …`);
      }
    }
  });
}

/** A highlight fragment for the terminal: `<mark>` as `**`, HTML entities decoded. */
function plainFragment(fragment: string): string {
  return load(fragment.replace(/<\/?mark>/g, '**')).text();
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

async function importRules(file: string, options: { dryRun?: boolean; actor: string }): Promise<void> {
  const text = await readFile(file, 'utf8');
  await withEngine(async (engine) => {
    const prefix = config().INDEX_PREFIX;
    if (!options.dryRun) await migrate(engine, { prefix });
    const results = await importElastAlertRules(new RuleRepository(engine, { prefix }), text, {
      dryRun: options.dryRun ?? false,
      actor: options.actor,
    });
    console.log(formatImportReport(results, options.dryRun ?? false));
    if (results.some((r) => r.status === 'failed')) process.exitCode = 2;
  });
}

async function runScheduled(options: { at?: string }): Promise<void> {
  const at = options.at ? Date.parse(options.at) : Date.now();
  if (Number.isNaN(at)) throw new Error(`--at: "${options.at}" is not a date`);
  const cfg = config();
  const redis = new Redis(cfg.REDIS_URL);
  try {
    await withEngine(async (engine) => {
      const alerts = new AlertService(engine, { prefix: cfg.INDEX_PREFIX });
      const runner = new ScheduledRuleRunner(engine, {
        prefix: cfg.INDEX_PREFIX,
        alerts,
        redis,
        keyPrefix: `${cfg.QUEUE_PREFIX}:${cfg.INDEX_PREFIX}:scheduled`,
      });
      const reports = await runner.runDue(at);
      for (const r of reports) {
        console.log(
          `${r.ruleId} [${r.windowStart}, ${r.windowEnd}) ${r.status}: findings=${r.findings.length} alerts=${r.alerts.length} suppressed=${r.suppressed}${r.error ? ` error=${r.error}` : ''}`,
        );
        for (const f of r.findings) console.log(`  ${f.summary}`);
      }
      console.log(`${reports.length} scheduled rules`);
    });
  } finally {
    redis.disconnect();
  }
}

async function recompileRules(options: { actor: string }): Promise<void> {
  await withEngine(async (engine) => {
    const repository = new RuleRepository(engine, { prefix: config().INDEX_PREFIX });
    const report = await repository.recompile({ actor: options.actor });
    for (const id of report.changed) console.log(`recompiled ${id}`);
    console.log(`${report.changed.length} rules recompiled, ${report.unchanged.length} unchanged`);
  });
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

const rules = program.command('rules').description('saved violation rules');
rules
  .command('import')
  .argument('<file>', 'ElastAlert2 rules, one or many YAML documents')
  .option('--dry-run', 'map and validate only; save nothing')
  .option('--actor <name>', 'recorded as the author', 'elastalert-import')
  .description('import ElastAlert2 rules (any, frequency, spike, flatline, new_term, cardinality)')
  .action(importRules);
rules
  .command('recompile')
  .option('--actor <name>', 'recorded as the author of the new versions', 'recompile')
  .description("compile every saved rule's query again (after an upgrade of the query compiler)")
  .action(recompileRules);
rules
  .command('run-scheduled')
  .option('--at <time>', 'evaluate the windows closed at this time (ISO 8601)')
  .description('evaluate every enabled scheduled rule over its last closed window once')
  .action(runScheduled);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? `argus: ${error.message}` : error);
  process.exit(1);
});
