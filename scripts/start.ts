/**
 * `npm start`, the main job: local engine (when no ENGINE_URL is set) → migrate → demo web (when no
 * SEEDS are set) → crawl workers and API → crawl with progress → summary → keep serving.
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApp } from '../api/app.js';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import { migrate } from '../mappings/migrate.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { createProgressReporter } from '../indexer/pipeline/crawl-progress.js';
import { formatSummary, summariseCrawl } from '../indexer/pipeline/crawl-summary.js';
import { queueSeeds } from '../indexer/pipeline/seeds.js';
import { ensureEngineStarted, LocalEngineError } from './engine/local-engine.js';
import { startDemo, type RunningDemo } from './start/demo.js';

async function main(): Promise<void> {
  const cfg = config();
  if (!process.env.ENGINE_URL) await ensureEngineStarted();
  const engine = await createEngine();
  const report = await migrate(engine, { prefix: cfg.INDEX_PREFIX });
  console.log(`migrate: ${report.indices.map((i) => `${i.name} ${i.action}`).join(', ')}`);

  const seeds = cfg.SEEDS.split(/[\s,]+/).filter(Boolean);
  let demo: RunningDemo | undefined;
  if (seeds.length === 0 && cfg.DEMO) {
    demo = await startDemo();
    seeds.push(...demo.seeds);
    console.log(
      `demo web: ${demo.sites} sites on 127.0.0.1:${demo.port}, ground truth ${demo.groundTruthPath}`,
    );
  }
  const runtime = await startCrawlRuntime({
    engine,
    frontier: { name: demo ? 'demo' : 'crawl' },
    worker: { handleSignals: false },
    ...(demo ? { resolve: demo.resolveEntries, allowPrivate: ['127.0.0.1/32'] } : {}),
  });
  if (demo) await runtime.frontier.drain();

  const redis = new Redis(cfg.REDIS_URL, { lazyConnect: true });
  const app = createApp({
    engine,
    prefix: cfg.INDEX_PREFIX,
    frontier: runtime.frontier,
    redisPing: async () => (await redis.ping()) === 'PONG',
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(cfg.API_PORT, cfg.API_HOST, () => resolve(s));
  });
  const apiUrl = `http://${cfg.API_HOST}:${cfg.API_PORT}`;
  console.log(`api: listening on ${apiUrl}`);

  const queued = await queueSeeds(runtime.frontier, seeds);
  console.log(`crawl: ${queued} seeds queued`);
  const progress = createProgressReporter(runtime.frontier);
  await runtime.waitUntilIdle({ onTick: progress.tick });
  progress.stop();
  console.log(formatSummary(await summariseCrawl(engine, cfg.INDEX_PREFIX, runtime.frontier)));
  console.log(`\nArgus is serving. Open ${apiUrl}/api/search?q=最佳 or run: npm run argus -- search "最佳"`);

  const shutdown = async (): Promise<void> => {
    server.close();
    await runtime.close();
    await demo?.close();
    redis.disconnect();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalEngineError ? `engine: ${error.message}` : error);
  process.exit(1);
});
