import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ChildOptions } from './support/crawl-child.js';
import { CrawlHarness, waitFor } from './support/harness.js';
import { httpProcess } from './support/http-process.js';
import { page, type SiteServer } from './support/site-server.js';

const HOST = 'slow-shop.test';
const CHILD = fileURLToPath(new URL('./support/crawl-child.ts', import.meta.url));
/** Short locks and stalled checks so that a dead worker's jobs come back in about a second. */
const FAST_RECOVERY = { leaseTtlMs: 1500, lockDurationMs: 1000, stalledIntervalMs: 500 };

let h: CrawlHarness;
const children: ChildProcess[] = [];

beforeEach(() => {
  h = new CrawlHarness();
});

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h.cleanup();
});

async function spawnWorker(options: ChildOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await waitFor('child worker ready', () => out.includes('ready') || child.exitCode !== null, 30_000);
  if (!out.includes('ready')) throw new Error(`child worker exited with ${child.exitCode}`);
  return child;
}

function inFlight(server: SiteServer): number {
  return server.requests.filter((r) => r.endedAt === undefined).length;
}

describe('crawl worker processes', () => {
  it('when a worker is killed with SIGKILL mid-crawl, another worker finishes every URL and none is lost', async () => {
    const paths = Array.from({ length: 10 }, (_v, i) => `/p${i + 1}`);
    const server = await h.server((_host, path) => ({
      ...(path === '/' ? page(...paths) : page()),
      delayMs: 300,
    }));
    const frontier = h.frontier();
    const doneKey = `${h.prefix}:done`;
    const child = await spawnWorker({
      prefix: h.prefix,
      name: frontier.name,
      port: server.port,
      doneKey,
      concurrency: 2,
      perHostConcurrency: 2,
      ...FAST_RECOVERY,
    });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor(
      'some pages done, some in flight',
      async () => (await h.redis.scard(doneKey)) >= 2 && inFlight(server) > 0,
    );
    const interrupted = server.requests.filter((r) => r.endedAt === undefined).map((r) => r.path);
    child.kill('SIGKILL');
    await once(child, 'exit');

    await h.worker({
      frontier,
      processUrl: httpProcess({
        port: server.port,
        onFetched: (task) => h.redis.sadd(doneKey, task.url).then(() => undefined),
      }),
      concurrency: 2,
      perHostConcurrency: 2,
      minDelayMs: 0,
      ...FAST_RECOVERY,
    });
    await waitFor(
      'every URL done',
      async () => (await h.redis.scard(doneKey)) === 11 && frontier.isIdle(),
      30_000,
    );

    const expected = ['/', ...paths].map((p) => `${server.origin(HOST)}${p}`).sort();
    expect((await h.redis.smembers(doneKey)).sort()).toEqual(expected);
    for (const path of interrupted) expect(server.hits(HOST, path)).toBeGreaterThanOrEqual(2);
    expect(await frontier.progress()).toMatchObject({ failed: 0, waiting: 0, active: 0, delayed: 0 });
  });

  it('on SIGTERM, finishes the running fetch, leaves waiting URLs queued and exits 0', async () => {
    const server = await h.server((_host, path) => (path === '/slow' ? { delayMs: 800 } : page()));
    const frontier = h.frontier();
    const doneKey = `${h.prefix}:done`;
    const child = await spawnWorker({
      prefix: h.prefix,
      name: frontier.name,
      port: server.port,
      doneKey,
      concurrency: 2,
      perHostConcurrency: 1,
      ...FAST_RECOVERY,
    });
    const [slow, later] = [`${server.origin(HOST)}/slow`, `${server.origin(HOST)}/later`];
    await frontier.addSeeds([slow]);
    await waitFor('slow page in flight', () => inFlight(server) === 1);
    await frontier.addSeeds([later]);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(0);
    expect(await h.redis.smembers(doneKey)).toEqual([slow]);
    const jobs = await frontier.queue.getJobs(['completed', 'waiting', 'delayed', 'active']);
    const slowJob = jobs.find((job) => job.data.url === slow);
    const laterJob = jobs.find((job) => job.data.url === later);
    expect(await slowJob?.getState()).toBe('completed');
    expect(['waiting', 'delayed']).toContain(await laterJob?.getState());
    expect(server.hits(HOST, '/later')).toBe(0);
  });
});
