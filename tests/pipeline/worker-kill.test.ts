/**
 * A crawl worker process killed with SIGKILL mid-crawl: its jobs come back through BullMQ's stalled
 * check, a second worker finishes the crawl, no URL is lost and no page is indexed twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateDemoWeb, startDemoServer, type DemoServer } from '../../demo/index.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { createFrontier, type Frontier } from '../../indexer/frontier/frontier.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { aliasName, INDEX_DEFINITIONS } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

// The worker matches what it indexes, so it needs the rules, alerts and routes indices too.
const definitions = INDEX_DEFINITIONS;
const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a crawl worker killed with SIGKILL', () => {
  let server: DemoServer;
  let engine: EnginePort;
  let frontier: Frontier;
  let prefix: string;
  let queuePrefix: string;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    server = await startDemoServer(generateDemoWeb({ seed: 5, sites: 3, pages: 20, ads: 10 }));
    engine = await createEngine();
    prefix = testPrefix('kill');
    queuePrefix = testPrefix('kq');
    await migrate(engine, { prefix, definitions, log: silent });
    frontier = createFrontier({ name: 'crawl', prefix: queuePrefix });
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await frontier.obliterate();
    await frontier.close();
    await server.close();
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
      env: {
        ...process.env,
        INDEX_PREFIX: prefix,
        QUEUE_PREFIX: queuePrefix,
        CRAWL_QUEUE: 'crawl',
        CRAWL_RESOLVE: server.resolveEntries().join(','),
        CRAWL_ALLOW_PRIVATE: '127.0.0.1/32',
        CRAWL_CONCURRENCY: '8',
        CRAWL_LOCK_DURATION_MS: '2000',
        CRAWL_STALLED_INTERVAL_MS: '1000',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  test('loses no URL and indexes no page twice', async () => {
    await queueSeeds(frontier, server.seeds());
    const first = startWorker();
    await until(async () => (await frontier.progress()).done >= 15, 60_000);
    const beforeKill = await frontier.progress();
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(beforeKill.waiting + beforeKill.delayed + beforeKill.active).toBeGreaterThan(0);

    startWorker();
    await until(async () => frontier.isIdle(), 120_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await until(async () => frontier.isIdle(), 30_000);

    const progress = await frontier.progress();
    await engine.refresh(aliasName(prefix, 'pages'));
    const indexed = await engine.search({
      index: aliasName(prefix, 'pages'),
      size: 0,
      trackTotalHits: true,
      aggs: {
        urls: { cardinality: { field: 'url' } },
        duplicates: { terms: { field: 'url', min_doc_count: 2, size: 5 } },
      },
    });
    const failedOtherThanRobots = progress.failed - (progress.failedByCode.ROBOTS_DISALLOWED ?? 0);
    // Every discovered URL ended done or failed for a reason; none is stuck or lost.
    expect(progress.waiting + progress.active + progress.delayed).toBe(0);
    expect(failedOtherThanRobots).toBe(0);
    expect(indexed.total).toBe(progress.discovered - (progress.failedByCode.ROBOTS_DISALLOWED ?? 0));
    expect((indexed.aggregations?.urls as { value: number }).value).toBe(indexed.total);
    expect((indexed.aggregations?.duplicates as { buckets: unknown[] }).buckets).toEqual([]);
  }, 240_000);
});
