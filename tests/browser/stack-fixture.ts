/**
 * The whole stack a browser test drives, in-process and on its own prefix: the built UI, the engine,
 * a small demo web crawled through the real pipeline (matching and alerts on), the demo registry and
 * rule pack, the SSE hub, and the API on port 0 serving web/dist. Chromium is Debian's, headless.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../api/app.js';
import { config } from '../../core/config.js';
import { generateDemoWeb, startDemoServer, type DemoServer, type GroundTruth } from '../../demo/index.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import { toNotifyNotice } from '../../indexer/alert/notice-bridge.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { startCrawlRuntime, type CrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import { aliasName } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { SseHub } from '../../notify/index.js';
import { importDemoRegistry } from '../../registry/demo-registry.js';
import { loadRulePack } from '../../rules/loader.js';
import { ensureWebBuilt } from '../../scripts/build-web.js';
import { testPrefix } from '../support/ids.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');
export const DEMO_ADMIN = { username: 'admin', password: 'argus-admin-demo' };

const silent = { info: () => undefined, warn: () => undefined } as unknown as Parameters<
  typeof migrate
>[1]['log'];

export interface BrowserStack {
  baseUrl: string;
  truth: GroundTruth;
  engine: EnginePort;
  prefix: string;
  /** The in-app stream the alert inbox follows; tests publish on it to see live updates. */
  hub: SseHub;
  browser: Browser;
  /** A fresh page (own context: own cookies and storage) at 1440×900. */
  newPage(): Promise<Page>;
  /** Saves a full-page PNG under test-artifacts/screenshots/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds the UI if stale, crawls a small demo web into a fresh prefix, serves the API and starts Chromium. */
export async function startBrowserStack(label: string): Promise<BrowserStack> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium fonts-wqy-zenhei (or set CHROMIUM_PATH)`,
    );
  }
  await ensureWebBuilt();
  const prefix = testPrefix(label);
  const engine = await createEngine();
  await migrate(engine, { prefix, log: silent });
  const web = generateDemoWeb({ seed: 11, sites: 4, pages: 12, ads: 20 });
  const demo: DemoServer = await startDemoServer(web);
  await importDemoRegistry(engine, prefix, web.truth);
  await loadRulePack(new RuleRepository(engine, { prefix }), { actor: 'browser-test' });

  const redis = new Redis(config().REDIS_URL);
  const hub = new SseHub(redis, { prefix: `${prefix}:q` });
  await hub.start();
  // In-app only: every new alert goes on the SSE stream the alert inbox follows.
  const alerts = new AlertService(engine, {
    prefix,
    notify: async (notice) => void (await hub.publish(toNotifyNotice(notice))),
  });
  const matcher = new Matcher(engine, { prefix, alerts });
  const runtime: CrawlRuntime = await startCrawlRuntime({
    engine,
    prefix,
    matcher,
    frontier: { name: 'crawl', prefix: `${prefix}:q`, backoffMs: 100 },
    worker: { concurrency: 16, handleSignals: false },
    resolve: demo.resolveEntries(),
    allowPrivate: ['127.0.0.1/32'],
  });
  await queueSeeds(runtime.frontier, demo.seeds());
  await runtime.waitUntilIdle({ pollMs: 300 });
  await matcher.flush();
  for (const index of ['pages', 'ads', 'alerts', 'rules']) await engine.refresh(aliasName(prefix, index));

  const keyPrefix = `${prefix}:api`;
  const app = createApp({
    engine,
    prefix,
    redis,
    frontier: runtime.frontier,
    hub,
    redisPing: async () => (await redis.ping()) === 'PONG',
    auth: { keyPrefix },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    baseUrl,
    truth: web.truth,
    engine,
    prefix,
    hub,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl });
      return context.newPage();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await runtime.frontier.obliterate();
      await runtime.close();
      await matcher.flush();
      await hub.close();
      await demo.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await dropIndices(engine, { prefix });
      await engine.close();
    },
  };
}
