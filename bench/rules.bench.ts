/**
 * `npm run bench:rules [-- --sites 30 --pages 60 --seed 42 --concurrency 32]`: serves a demo web (its own
 * process), crawls and indexes it with the built-in rule pack matching every new page and ad on ingest
 * (the real Matcher → AlertService path), then compares the alerts stored with the ground-truth labels.
 * Prints `name=value` lines: a per-rule and a per-category table, `rules_precision_min=`,
 * `rules_recall_min=` (goal ≥ 0.9 each). See bench/support/rule-scoring.ts for what a label expects.
 * Indices and Redis keys of its random prefix are removed at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { nonNegativeInt, positiveInt } from './support/cli-options.js';
import { pino } from 'pino';
import { config } from '../core/config.js';
import { loadGroundTruth, type GroundTruth, type ViolationType } from '../demo/index.js';
import { createEngine, scanAll } from '../engine/index.js';
import type { EnginePort } from '../engine/port.js';
import { AlertService } from '../indexer/alert/alert.service.js';
import { createFrontier } from '../indexer/frontier/frontier.js';
import { Matcher } from '../indexer/match/matcher.js';
import type { DocKind } from '../indexer/match/rule.types.js';
import { RuleRepository } from '../indexer/match/rule.repository.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../indexer/pipeline/seeds.js';
import { aliasName, INDEX_DEFINITIONS } from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { importDemoRegistry } from '../registry/demo-registry.js';
import { loadRulePack, readRulePack } from '../rules/loader.js';
import { startDemoProcess, type DemoProcess } from './support/bench-processes.js';
import { BenchCleanup, dropRedisKeys, fixed, printCores, printLoad } from './support/bench-lifecycle.js';
import {
  docKey,
  scoreCategories,
  scoreRules,
  termsOfQuery,
  type Label,
  type Score,
  type ScoredDoc,
  type ScoredRule,
} from './support/rule-scoring.js';

interface BenchOptions {
  sites: number;
  pages: number;
  seed: number;
  concurrency: number;
}

/** Every index: the demo registry is imported, as the main job does, so pages link to operators. */
const DEFINITIONS = INDEX_DEFINITIONS;
/** The violation types the demo web labels: only rules of these categories can be scored. */
const LABELLED: readonly ViolationType[] = [
  'ad_law_absolute',
  'false_health_claim',
  'missing_licence',
  'misleading_price',
];

function parseOptions(argv: string[]): BenchOptions {
  return new Command('bench:rules')
    .option('--sites <n>', 'demo shops (fixed sites come on top)', positiveInt, 30)
    .option('--pages <n>', 'pages per demo shop', positiveInt, 60)
    .option('--seed <n>', 'demo web seed', nonNegativeInt, 42)
    .option('--concurrency <n>', 'fetches in flight', positiveInt, 32)
    .parse(argv)
    .opts<BenchOptions>();
}

/** `host/path` of a URL without port or query: how demo pages and landing pages are keyed. */
function hostPath(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

async function scan(engine: EnginePort, prefix: string, name: string, source: string[]) {
  const index = aliasName(prefix, name);
  await engine.refresh(index);
  const docs: Array<Record<string, unknown>> = [];
  for await (const hit of scanAll(engine, { index, query: { match_all: {} }, source })) docs.push(hit.source);
  return docs;
}

/** Whether every term of the term labels appears in one of the document's indexed text fields. */
function termsShown(labels: readonly Label[], fields: unknown[]): boolean {
  const text = fields
    .flatMap((f): unknown[] => (Array.isArray(f) ? (f as unknown[]) : [f]))
    .filter((f): f is string => typeof f === 'string')
    .join('\n')
    .toLowerCase();
  return labels.every((l) => l.terms.every((t) => text.includes(t.toLowerCase())));
}

/** Every indexed page and ad with the labels of its ground-truth record (none when it has no record). */
async function indexedDocs(engine: EnginePort, prefix: string, truth: GroundTruth) {
  const pages = new Map(truth.pages.map((p) => [`${p.host}${p.path}`, p.violations]));
  const ads = new Map(truth.ads.map((a) => [`${a.landing_host}${a.landing_path}`, a.violations]));
  const docs: ScoredDoc[] = [];
  /** What an fp/fn example line shows of a document. */
  const shown = new Map<string, string>();
  const unlabelled = { pages: 0, ads: 0 };
  const termsNotInText = { pages: 0, ads: 0 };
  const pageSource = ['id', 'url', 'title', 'description', 'text'];
  for (const doc of await scan(engine, prefix, 'pages', pageSource)) {
    const labels = pages.get(hostPath(doc.url) ?? '');
    if (!labels) unlabelled.pages += 1;
    if (labels && !termsShown(labels, [doc.title, doc.description, doc.text])) termsNotInText.pages += 1;
    docs.push({ kind: 'page', id: String(doc.id), labels: labels ?? [] });
    shown.set(docKey('page', String(doc.id)), `${String(doc.url)} ${JSON.stringify(labels ?? [])}`);
  }
  const adSource = ['id', 'landing_url', 'creative_text', 'image_alt', 'landing_title', 'landing_text'];
  for (const doc of await scan(engine, prefix, 'ads', adSource)) {
    const labels = ads.get(hostPath(doc.landing_url) ?? '');
    if (!labels) unlabelled.ads += 1;
    const adText = [doc.creative_text, doc.image_alt, doc.landing_title, doc.landing_text];
    if (labels && !termsShown(labels, adText)) termsNotInText.ads += 1;
    docs.push({ kind: 'ad', id: String(doc.id), labels: labels ?? [] });
    const text = JSON.stringify([doc.creative_text, doc.image_alt, doc.landing_title]);
    shown.set(
      docKey('ad', String(doc.id)),
      `${String(doc.landing_url)} ${text} ${JSON.stringify(labels ?? [])}`,
    );
  }
  return { docs, unlabelled, shown, termsNotInText };
}

/** Rule ids per document, from the alerts the matcher stored. */
async function firedRules(engine: EnginePort, prefix: string) {
  const fired = new Map<string, Set<string>>();
  const alerts = await scan(engine, prefix, 'alerts', ['rule_id', 'target', 'doc_id']);
  for (const a of alerts) {
    const key = docKey(a.target === 'ad' ? 'ad' : 'page', String(a.doc_id));
    fired.set(key, (fired.get(key) ?? new Set()).add(String(a.rule_id)));
  }
  return { fired, alerts: alerts.length };
}

async function scoredRules(): Promise<{ scored: ScoredRule[]; unscored: string[] }> {
  const scored: ScoredRule[] = [];
  const unscored: string[] = [];
  for (const rule of await readRulePack()) {
    // Scheduled rules judge windows of many documents (the matcher never percolates them).
    if (rule.schedule !== undefined || !(LABELLED as readonly string[]).includes(rule.category)) {
      unscored.push(rule.id);
      continue;
    }
    const terms = termsOfQuery(rule.query);
    const kinds: DocKind[] =
      rule.target === 'both' ? ['page', 'ad'] : [rule.target === 'ads' ? 'ad' : 'page'];
    for (const kind of kinds)
      scored.push({ id: rule.id, kind, category: rule.category, ...(terms ? { terms } : {}) });
  }
  return { scored, unscored };
}

function printTable(title: string, scores: Score[], shown: ReadonlyMap<string, string>): void {
  console.log(`# ${title}: name kind level tp fp fn precision recall`);
  for (const s of scores) {
    const row = [s.name, s.kind, s.level, s.tp, s.fp, s.fn, fixed(s.precision, 3), fixed(s.recall, 3)];
    console.log(`${title}=${row.join(',')}`);
    for (const key of s.examples?.fp ?? []) console.log(`#   fp ${key} ${shown.get(key) ?? ''}`);
    for (const key of s.examples?.fn ?? []) console.log(`#   fn ${key} ${shown.get(key) ?? ''}`);
  }
}

async function crawlWithMatching(
  engine: EnginePort,
  prefix: string,
  options: BenchOptions,
  demo: DemoProcess,
) {
  // A failed match batch is an alert lost for good (the page is not matched again until it changes).
  const errors = pino({ level: 'error' }, pino.destination(2));
  const alerts = new AlertService(engine, { prefix, log: errors });
  const matcher = new Matcher(engine, { prefix, alerts, log: errors });
  const runtime = await startCrawlRuntime({
    prefix,
    engine,
    matcher,
    frontier: { name: 'crawl', prefix, siteBudget: 1_000_000_000, attempts: 4 },
    worker: {
      concurrency: options.concurrency,
      minDelayMs: 0,
      maxCrawlDelayMs: 0,
      recrawlPollMs: 0,
      handleSignals: false,
    },
    resolve: demo.resolve,
    allowPrivate: ['127.0.0.1/32'],
  });
  try {
    const startedAt = performance.now();
    await queueSeeds(runtime.frontier, demo.seeds);
    await runtime.waitUntilIdle({ pollMs: 200 });
    await matcher.flush();
    const progress = await runtime.frontier.progress();
    return { seconds: (performance.now() - startedAt) / 1000, progress };
  } finally {
    await runtime.close();
  }
}

async function runBench(engine: EnginePort, options: BenchOptions, cleanup: BenchCleanup): Promise<void> {
  const prefix = `bench-rules-${randomBytes(4).toString('hex')}`;
  const tmp = await mkdtemp(join(tmpdir(), 'argus-bench-rules-'));
  cleanup.add('temp files', () => rm(tmp, { recursive: true, force: true }));
  cleanup.add('indices', () => dropIndices(engine, { prefix, definitions: DEFINITIONS }));
  cleanup.add('queue', async () => {
    const frontier = createFrontier({ name: 'crawl', prefix });
    await frontier.obliterate();
    await frontier.close();
    await dropRedisKeys([`${prefix}:*`, `${config().QUEUE_PREFIX}:${prefix}:*`]);
  });
  await migrate(engine, { prefix, definitions: DEFINITIONS, log: pino({ level: 'silent' }) });
  const pack = await loadRulePack(new RuleRepository(engine, { prefix }));
  const demo = await startDemoProcess({ ...options, groundTruthPath: join(tmp, 'ground-truth.json') });
  cleanup.add('demo web', () => demo.stop());
  const truth = await loadGroundTruth(demo.groundTruthPath);
  const registry = await importDemoRegistry(engine, prefix, truth);
  if (!registry.operators.ok)
    throw new Error(`demo registry import failed: ${JSON.stringify(registry.operators)}`);
  console.log('# bench:rules: demo web in its own process; crawl + real-time matching in this one');
  console.log(`sites=${options.sites}`);
  console.log(`pages_per_site=${options.pages}`);
  console.log(`seed=${options.seed}`);
  console.log(`demo_pages=${demo.pages}`);
  console.log(`pack_rules=${pack.created.length}`);
  console.log(`registry_operators=${registry.operators.created + registry.operators.updated}`);
  printCores();
  printLoad('before_crawl');
  const crawl = await crawlWithMatching(engine, prefix, options, demo);
  printLoad('after_crawl');
  console.log(`crawl_seconds=${fixed(crawl.seconds)}`);
  console.log(`pages_fetched=${crawl.progress.done}`);
  console.log(`fetch_failed=${crawl.progress.failed}`);
  console.log(`fetch_failed_by_code=${JSON.stringify(crawl.progress.failedByCode)}`);

  const { docs, unlabelled, shown, termsNotInText } = await indexedDocs(engine, prefix, truth);
  const { fired, alerts } = await firedRules(engine, prefix);
  const { scored, unscored } = await scoredRules();
  console.log(`pages_indexed=${docs.filter((d) => d.kind === 'page').length}`);
  console.log(`ads_indexed=${docs.filter((d) => d.kind === 'ad').length}`);
  console.log('# unlabelled: indexed documents without a ground-truth record (any hit on them is a fp)');
  console.log(`pages_unlabelled=${unlabelled.pages}`);
  console.log(`ads_unlabelled=${unlabelled.ads}`);
  console.log(`alerts=${alerts}`);
  console.log("# labelled terms not in the indexed text: no text rule can find them (an ad's text includes");
  console.log("# its landing page's title and excerpt: a pop-up creative may show only its image and alt)");
  console.log(`pages_terms_not_in_text=${termsNotInText.pages}`);
  console.log(`ads_terms_not_in_text=${termsNotInText.ads}`);
  if (unscored.length > 0)
    console.log(
      `# not scored (scheduled, or no ground-truth label for their category): ${unscored.join(' ')}`,
    );
  console.log(
    "# level: category = the labels name the rule's category and it is its only rule for the target;",
  );
  console.log(
    "# terms = several rules share category and target, so the label's terms say which should fire",
  );
  const rules = scoreRules(docs, scored, fired);
  const categories = scoreCategories(docs, scored, fired);
  printTable('rule', rules, shown);
  printTable('category', categories, shown);
  console.log(`rules_precision_min=${fixed(Math.min(...rules.map((s) => s.precision)), 3)}`);
  console.log(`rules_recall_min=${fixed(Math.min(...rules.map((s) => s.recall)), 3)}`);
  console.log(`categories_precision_min=${fixed(Math.min(...categories.map((s) => s.precision)), 3)}`);
  console.log(`categories_recall_min=${fixed(Math.min(...categories.map((s) => s.recall)), 3)}`);
}

async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const cleanup = new BenchCleanup();
  const engine = await createEngine();
  try {
    await runBench(engine, options, cleanup);
  } finally {
    await cleanup.run();
    await engine.close();
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
