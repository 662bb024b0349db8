import { Redis } from 'ioredis';
import { config } from '../../../core/config.js';
import {
  startCrawlWorker,
  type CrawlWorker,
  type CrawlWorkerOptions,
} from '../../../indexer/frontier/crawl.worker.js';
import { createFrontier, type Frontier, type FrontierOptions } from '../../../indexer/frontier/frontier.js';
import { testPrefix } from '../../support/ids.js';
import { startSiteServer, type Route, type SiteServer } from './site-server.js';

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deletes every Redis key under `prefix:` (a test's own random prefix only). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** One test's crawl: its own key prefix, frontier, workers and servers, all removed by `cleanup()`. */
export class CrawlHarness {
  readonly prefix = testPrefix('frontier');
  readonly redis = new Redis(config().REDIS_URL);
  private readonly frontiers: Frontier[] = [];
  private readonly workers: CrawlWorker[] = [];
  private readonly servers: SiteServer[] = [];

  frontier(options: FrontierOptions = {}): Frontier {
    const frontier = createFrontier({ prefix: this.prefix, name: 'crawl', backoffMs: 50, ...options });
    this.frontiers.push(frontier);
    return frontier;
  }

  async worker(options: CrawlWorkerOptions): Promise<CrawlWorker> {
    const worker = startCrawlWorker({ handleSignals: false, recrawlPollMs: 0, ...options });
    this.workers.push(worker);
    await worker.ready();
    return worker;
  }

  async server(route: Route): Promise<SiteServer> {
    const server = await startSiteServer(route);
    this.servers.push(server);
    return server;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close(true)));
    await Promise.all(this.frontiers.map((f) => f.obliterate().then(() => f.close())));
    await Promise.all(this.servers.map((s) => s.close()));
    await deleteKeysUnder(this.redis, this.prefix);
    await this.redis.quit();
  }
}
