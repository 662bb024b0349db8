/**
 * `npm start`, the main job: local engine (when no ENGINE_URL is set) → migrate → demo web (when no
 * SEEDS are set) → crawl workers and API → crawl with progress → summary → keep serving.
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createApiRedis, createApp } from '../api/app.js';
import { listenApi } from '../api/http/serve.js';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import { migrate } from '../mappings/migrate.js';
import { startCrawlRuntime } from '../indexer/pipeline/crawl-runtime.js';
import { createProgressReporter } from '../indexer/pipeline/crawl-progress.js';
import { formatSummary, summariseCrawl } from '../indexer/pipeline/crawl-summary.js';
import { queueSeeds } from '../indexer/pipeline/seeds.js';
import { createAlerting, ensureDemoRoutes } from '../indexer/alert/routing/index.js';
import { Matcher } from '../indexer/match/matcher.js';
import { startScheduledLoop } from '../indexer/match/scheduled/scheduled-loop.js';
import { ScheduledRuleRunner } from '../indexer/match/scheduled/scheduled-runner.js';
import { RuleRepository } from '../indexer/match/rule.repository.js';
import { SseHub } from '../notify/index.js';
import { importDemoRegistry } from '../registry/demo-registry.js';
import { loadRulePack } from '../rules/loader.js';
import { ensureEngineStarted, LocalEngineError } from './engine/local-engine.js';
import { ensureWebBuilt } from './build-web.js';
import { startDemo, type RunningDemo } from './start/demo.js';

async function main(): Promise<void> {
  const cfg = config();
  if (await ensureWebBuilt()) console.log('web: built the UI into web/dist');
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
  if (demo) {
    const registry = await importDemoRegistry(engine, cfg.INDEX_PREFIX, demo.truth);
    console.log(
      `registry: demo tree and operators imported (operators ok=${registry.operators.ok}, users created=${registry.usersCreated})`,
    );
  }
  const pack = await loadRulePack(new RuleRepository(engine, { prefix: cfg.INDEX_PREFIX }), {
    actor: 'start',
  });
  console.log(
    `rules: built-in pack created=${pack.created.length} updated=${pack.updated.length} unchanged=${pack.unchanged.length}`,
  );
  const redis = new Redis(cfg.REDIS_URL, { lazyConnect: true });
  const hub = new SseHub(redis, {});
  await hub.start();
  const alerting = createAlerting(engine, { prefix: cfg.INDEX_PREFIX, redis, hub });
  if (demo) {
    const demoRoutes = await ensureDemoRoutes(alerting.routes, {
      smtpConfigured: Boolean(process.env.SMTP_URL),
    });
    const where = demoRoutes.map(
      (r) => `${r.node_id}→${r.target.channel === 'email' ? r.target.to.join(',') : r.target.channel}`,
    );
    console.log(
      `routing: in-app for every alert; email digests every ${(demoRoutes[0]?.digest_interval_ms ?? 0) / 60_000} min ` +
        `via ${cfg.SMTP_URL} ${process.env.SMTP_URL ? 'enabled' : 'disabled (set SMTP_URL to enable)'}: ${where.join(' ')}`,
    );
  }
  alerting.notifier.start();
  const { alerts } = alerting;
  const matcher = new Matcher(engine, { prefix: cfg.INDEX_PREFIX, alerts });
  // Scheduled rules (frequency, spike, flatline, new_term, cardinality) over their last closed window.
  const scheduled = startScheduledLoop(
    new ScheduledRuleRunner(engine, {
      prefix: cfg.INDEX_PREFIX,
      alerts,
      redis,
      keyPrefix: `${cfg.QUEUE_PREFIX}:${cfg.INDEX_PREFIX}:scheduled`,
    }),
    { intervalMs: cfg.SCHEDULED_RULES_INTERVAL_MS },
  );

  const runtime = await startCrawlRuntime({
    engine,
    matcher,
    frontier: { name: demo ? 'demo' : 'crawl' },
    worker: { handleSignals: false },
    ...(demo ? { resolve: demo.resolveEntries, allowPrivate: ['127.0.0.1/32'] } : {}),
  });
  if (demo) await runtime.frontier.drain();

  // Requests fail fast while Redis is away; the alerting and crawl clients above wait out reconnects.
  const apiRedis = createApiRedis(cfg.REDIS_URL);
  const app = createApp({
    engine,
    prefix: cfg.INDEX_PREFIX,
    frontier: runtime.frontier,
    redis: apiRedis,
    redisPing: async () => (await apiRedis.ping()) === 'PONG',
    hub,
  });
  const server: Server = await listenApi(app, cfg.API_PORT, cfg.API_HOST);
  const apiUrl = `http://${cfg.API_HOST}:${cfg.API_PORT}`;
  console.log(`api: listening on ${apiUrl}`);

  const queued = await queueSeeds(runtime.frontier, seeds);
  console.log(`crawl: ${queued} seeds queued`);
  const progress = createProgressReporter(runtime.frontier);
  await runtime.waitUntilIdle({ onTick: progress.tick });
  progress.stop();
  await matcher.flush();
  console.log(formatSummary(await summariseCrawl(engine, cfg.INDEX_PREFIX, runtime.frontier)));
  const alertCount = await engine.count(`${cfg.INDEX_PREFIX}-alerts`).catch(() => 0);
  console.log(`alerts: ${alertCount} raised by the built-in rules (in-app stream; see /api/alerts)`);
  console.log(`\nArgus is serving at ${apiUrl}`);
  console.log(
    `  api:     ${apiUrl}/api/docs (OpenAPI at ${apiUrl}/api/openapi.json, metrics at ${apiUrl}/metrics)`,
  );
  console.log(`  web UI:  ${apiUrl}/   (the workbench; zh-CN by default, English in the top bar)`);
  console.log(
    `  search:  npm run argus -- search "最佳"   (or ${apiUrl}/api/search?q=${encodeURIComponent('最佳')} after POST /api/auth/login)`,
  );
  if (demo)
    console.log(
      '  sign in: admin / argus-admin-demo, inspector-a / argus-inspector-a (see registry/demo-registry.ts)',
    );

  const shutdown = async (): Promise<void> => {
    server.close();
    await scheduled.stop();
    await runtime.close();
    await matcher.flush();
    await alerting.stop();
    await hub.close();
    await demo?.close();
    redis.disconnect();
    apiRedis.disconnect();
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
