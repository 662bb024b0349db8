/**
 * `npm run bench:alerts [-- --docs 1000 --rate 50 --sites 200]`: real-time matching latency. Loads 1,000
 * then 10,000 enabled rules (query strings compiled by the rule repository: terms, term sets, proximity,
 * exclusions, `domain:` / `site:` / `price:` filters), then feeds synthetic pages and ads at a steady
 * rate through the real index path (PageIndexer / AdIndexer over the BulkWriter) and the Matcher, as
 * the crawl runtime wires them: a document is handed to the matcher when its write is acknowledged, and
 * the time until its alert is written to the `alerts` index is the latency (`Matcher.latenciesMs`).
 * Prints `alert_latency_p50_ms_1k`, `alert_latency_p99_ms_1k`, the same for `_10k`, and
 * `percolate_docs_per_sec` (percolation alone, batches as the matcher sends them, at 10k rules).
 * Its random-prefix indices are removed at the end, also on Ctrl-C. It uses no queue or Redis key.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { positiveInt } from './support/cli-options.js';
import { pino } from 'pino';
import { createEngine } from '../engine/index.js';
import type { BulkOperation, Doc, EnginePort } from '../engine/port.js';
import { AlertService } from '../indexer/alert/alert.service.js';
import { AdIndexer, type AdSighting } from '../indexer/index/ad-indexer.js';
import { BulkWriter } from '../indexer/index/bulk-writer.js';
import { PageIndexer } from '../indexer/index/page-indexer.js';
import { Matcher } from '../indexer/match/matcher.js';
import { RuleRepository } from '../indexer/match/rule.repository.js';
import { targetsFor, type DocKind, type Rule } from '../indexer/match/rule.types.js';
import {
  adsDefinition,
  aliasName,
  alertsDefinition,
  auditDefinition,
  pageVersionsDefinition,
  pagesDefinition,
  RULE_QUERY_FIELD,
  ruleVersionsDefinition,
  rulesDefinition,
} from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { meterEngine } from './support/engine-meter.js';
import { BenchCleanup, fixed, printCores, printLoad } from './support/bench-lifecycle.js';
import { percentile } from './support/search-mix.js';
import { benchAd, benchPage, syntheticRules, type SyntheticRuleOptions } from './support/synthetic-rules.js';

interface BenchOptions {
  docs: number;
  rate: number;
  tickMs: number;
  sites: number;
  percolateDocs: number;
  batch: number;
  inFlight: number;
}

const DEFINITIONS = [
  pagesDefinition,
  pageVersionsDefinition,
  adsDefinition,
  rulesDefinition,
  ruleVersionsDefinition,
  alertsDefinition,
  auditDefinition,
];
const PHASES = [
  { label: '1k', rules: 1_000 },
  { label: '10k', rules: 10_000 },
] as const;
/** One document in four is an ad, as on the demo web's shop pages. */
const AD_EVERY = 4;

function parseOptions(argv: string[]): BenchOptions {
  return new Command('bench:alerts')
    .option('--docs <n>', 'documents fed per phase (pages and ads, 3:1)', positiveInt, 1_000)
    .option('--rate <n>', 'documents per second fed to the index path', positiveInt, 50)
    .option('--tick-ms <n>', 'documents are fed in one burst per tick', positiveInt, 100)
    .option('--sites <n>', 'sites the documents and site-scoped rules spread over', positiveInt, 200)
    .option('--percolate-docs <n>', 'documents percolated for percolate_docs_per_sec', positiveInt, 1_000)
    .option('--batch <n>', 'Matcher maxBatch (documents per percolation)', positiveInt, 100)
    .option('--in-flight <n>', 'Matcher maxInFlightPerKind (percolations per kind at once)', positiveInt, 1)
    .parse(argv)
    .opts<BenchOptions>();
}

/** Rules `[from, to)` of the `to`-rule set, compiled and bulk-indexed as the repository stores them. */
async function loadRules(
  engine: EnginePort,
  repository: RuleRepository,
  range: { from: number; to: number },
  generated: SyntheticRuleOptions,
): Promise<number> {
  const startedAt = performance.now();
  const now = new Date().toISOString();
  const rules = syntheticRules(range.to, generated).slice(range.from);
  for (let start = 0; start < rules.length; start += 500) {
    const operations: BulkOperation[] = [];
    for (const r of rules.slice(start, start + 500)) {
      const rule: Rule = {
        id: r.id,
        name: r.id,
        target: r.target,
        query: await repository.compile(r.query, r.target),
        query_source: r.query,
        severity: 'medium',
        category: 'bench',
        enabled: true,
        tags: ['bench'],
        version: 1,
        created_at: now,
        created_by: 'bench',
        updated_at: now,
        updated_by: 'bench',
      };
      operations.push({
        op: 'index',
        index: repository.rulesIndex,
        id: rule.id,
        doc: { ...rule, [RULE_QUERY_FIELD]: rule.query },
      });
    }
    const result = await engine.bulk(operations);
    const failed = result.items.find((item) => !item.ok);
    if (failed) throw new Error(`rule ${failed.id} refused: ${JSON.stringify(failed.error)}`);
  }
  await engine.refresh(repository.rulesIndex);
  return (performance.now() - startedAt) / 1000;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface FeedResult {
  seconds: number;
  latenciesMs: number[];
  matchedDocs: number;
  docsWithHits: number;
  failedWrites: number;
  /** Engine calls of the index path, matcher and alert service: `method:calls/mean_ms/max_ms`. */
  engineCalls: string;
}

/** Feeds `docs` documents at `rate`/s through index → matcher; resolves when every alert is stored. */
async function feed(
  base: EnginePort,
  prefix: string,
  ruleCount: number,
  options: BenchOptions,
): Promise<FeedResult> {
  const log = pino({ level: 'error' }, pino.destination(2));
  const metered = meterEngine(base);
  const engine = metered.engine;
  const writer = new BulkWriter(engine);
  const pages = new PageIndexer(engine, writer, { prefix });
  const ads = new AdIndexer(writer, prefix);
  const alerts = new AlertService(engine, { prefix, log });
  const matcher = new Matcher(engine, {
    prefix,
    alerts,
    log,
    maxBatch: options.batch,
    maxInFlightPerKind: options.inFlight,
  });
  const generated = { sites: options.sites };
  const outcomes: Array<Promise<{ hits: number } | undefined>> = [];
  let failedWrites = 0;
  const perTick = Math.max(1, Math.round((options.rate * options.tickMs) / 1000));
  const startedAt = performance.now();
  for (let n = 0; n < options.docs; n += perTick) {
    const tickAt = performance.now();
    for (let k = n; k < Math.min(n + perTick, options.docs); k++) {
      if (k % AD_EVERY === AD_EVERY - 1) {
        const sighting = benchAd(k, ruleCount, generated);
        outcomes.push(
          ads.record(sighting).then(async (written) => {
            if (!written.ok) return void (failedWrites += 1);
            return { hits: (await matcher.onIndexed(sighting.id, 'ad')).ruleIds.length };
          }),
        );
      } else {
        outcomes.push(
          pages.index(benchPage(k, ruleCount, generated)).then(async (result) => {
            if (!result.ok) return void (failedWrites += 1);
            return { hits: (await matcher.onIndexed(result.id, 'page')).ruleIds.length };
          }),
        );
      }
    }
    await sleep(Math.max(0, tickAt + options.tickMs - performance.now()));
  }
  const settled = await Promise.all(outcomes);
  await matcher.flush();
  const seconds = (performance.now() - startedAt) / 1000;
  await writer.close();
  const matched = settled.filter((o): o is { hits: number } => o !== undefined);
  return {
    seconds,
    latenciesMs: [...matcher.latenciesMs],
    matchedDocs: matched.length,
    docsWithHits: matched.filter((o) => o.hits > 0).length,
    failedWrites,
    engineCalls: metered.summary(),
  };
}

/** An ad as the ads index stores its first sighting (what the matcher reads back and percolates). */
function storedAd(sighting: AdSighting): Doc {
  const { page_url, site, seen_at, ...creative } = sighting;
  return {
    ...creative,
    page_urls: [page_url],
    sites: [site],
    page_count: 1,
    seen_count: 1,
    first_seen: seen_at,
    last_seen: seen_at,
  };
}

/** Percolation alone: documents in batches as the matcher sends them, one request at a time. */
async function percolateRate(
  engine: EnginePort,
  rulesIndex: string,
  ruleCount: number,
  options: BenchOptions,
): Promise<number> {
  const generated = { sites: options.sites };
  const byKind: Record<DocKind, Doc[]> = { page: [], ad: [] };
  for (let n = 0; n < options.percolateDocs; n++) {
    // Distinct from the fed documents, so nothing is served from a cache of the same request.
    const k = options.docs + n;
    if (k % AD_EVERY === AD_EVERY - 1) byKind.ad.push(storedAd(benchAd(k, ruleCount, generated)));
    else byKind.page.push({ ...benchPage(k, ruleCount, generated) });
  }
  const startedAt = performance.now();
  for (const kind of ['page', 'ad'] as const) {
    const docs = byKind[kind];
    for (let start = 0; start < docs.length; start += options.batch) {
      await engine.percolate({
        index: rulesIndex,
        field: RULE_QUERY_FIELD,
        documents: docs.slice(start, start + options.batch),
        filter: { bool: { filter: [{ term: { enabled: true } }, { terms: { target: targetsFor(kind) } }] } },
        size: 10_000,
        source: ['id'],
      });
    }
  }
  return options.percolateDocs / ((performance.now() - startedAt) / 1000);
}

async function runPhase(
  engine: EnginePort,
  prefix: string,
  repository: RuleRepository,
  phase: { label: string; rules: number; from: number },
  options: BenchOptions,
): Promise<number> {
  const loadSeconds = await loadRules(
    engine,
    repository,
    { from: phase.from, to: phase.rules },
    { sites: options.sites },
  );
  console.log(`rules_${phase.label}=${await engine.count(repository.rulesIndex)}`);
  console.log(`rules_load_seconds_${phase.label}=${fixed(loadSeconds)}`);
  printLoad(`before_${phase.label}`);
  const fed = await feed(engine, prefix, phase.rules, options);
  printLoad(`after_${phase.label}`);
  console.log(`docs_fed_${phase.label}=${options.docs}`);
  console.log(`docs_matched_${phase.label}=${fed.matchedDocs}`);
  console.log(`docs_with_hits_${phase.label}=${fed.docsWithHits}`);
  console.log(`write_failed_${phase.label}=${fed.failedWrites}`);
  console.log(`alerts_written_${phase.label}=${fed.latenciesMs.length}`);
  console.log(`feed_seconds_${phase.label}=${fixed(fed.seconds)}`);
  console.log(`alert_latency_p50_ms_${phase.label}=${fixed(percentile(fed.latenciesMs, 50), 0)}`);
  console.log(`alert_latency_p99_ms_${phase.label}=${fixed(percentile(fed.latenciesMs, 99), 0)}`);
  console.log(`# engine calls during the feed: method:calls/mean_ms/max_ms`);
  console.log(`engine_calls_${phase.label}=${fed.engineCalls}`);
  console.log(`alert_latency_max_ms_${phase.label}=${fixed(Math.max(...fed.latenciesMs), 0)}`);
  const rate = await percolateRate(engine, repository.rulesIndex, phase.rules, options);
  console.log(`percolate_docs_per_sec_${phase.label}=${fixed(rate, 1)}`);
  return rate;
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const cleanup = new BenchCleanup();
  const engine = await createEngine();
  const prefix = `bench-alerts-${randomBytes(4).toString('hex')}`;
  try {
    cleanup.add('indices', () => dropIndices(engine, { prefix, definitions: DEFINITIONS }));
    await migrate(engine, { prefix, definitions: DEFINITIONS, log: pino({ level: 'silent' }) });
    const repository = new RuleRepository(engine, { prefix });
    console.log(
      '# bench:alerts: synthetic rules and documents; index path + Matcher + AlertService in-process',
    );
    console.log(`docs_per_phase=${options.docs}`);
    console.log(`feed_rate_docs_per_sec=${options.rate}`);
    console.log(`tick_ms=${options.tickMs}`);
    console.log(`matcher_max_batch=${options.batch}`);
    console.log(`matcher_in_flight_per_kind=${options.inFlight}`);
    console.log(`sites=${options.sites}`);
    console.log(`alias=${aliasName(prefix, 'alerts')}`);
    printCores();
    let from = 0;
    let rate = Number.NaN;
    for (const phase of PHASES) {
      rate = await runPhase(engine, prefix, repository, { ...phase, from }, options);
      from = phase.rules;
    }
    console.log(`percolate_docs_per_sec=${fixed(rate, 1)}`);
  } finally {
    await cleanup.run();
    await engine.close();
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
