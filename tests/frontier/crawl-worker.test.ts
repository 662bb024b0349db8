import { getEventListeners } from 'node:events';
import { CrawlHarness, sleep, waitFor } from './support/harness.js';
import { httpProcess } from './support/http-process.js';
import { page, type SeenRequest } from './support/site-server.js';

const HOST = 'shop-a.test';
/** Request starts are stamped at the server; allow for the hop from the lease grant to the socket. */
const TOLERANCE_MS = 15;
let h: CrawlHarness;

beforeEach(() => {
  h = new CrawlHarness();
});

afterEach(async () => {
  await h.cleanup();
});

function startGaps(requests: SeenRequest[]): number[] {
  const starts = requests.map((r) => r.startedAt).sort((a, b) => a - b);
  return starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
}

describe('crawl worker: retries', () => {
  it('when the host answers 503 then 200, retries with exponential backoff and succeeds', async () => {
    const server = await h.server((_host, path, hit) =>
      path === '/flaky' && hit <= 2 ? { status: 503 } : page(),
    );
    const frontier = h.frontier({ attempts: 4, backoffMs: 200 });
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await frontier.addSeeds([`${server.origin(HOST)}/flaky`]);
    await waitFor('page done', async () => (await frontier.progress()).done === 1);

    expect(server.hits(HOST, '/flaky')).toBe(3);
    const [first, second] = startGaps(server.requests);
    expect(first).toBeGreaterThanOrEqual(200 - TOLERANCE_MS);
    expect(second).toBeGreaterThanOrEqual(400 - TOLERANCE_MS);
    expect(await frontier.progress()).toMatchObject({ retried: 2, failed: 0, done: 1 });
  });

  it('when the host answers 404, does not retry and records the failure with its code', async () => {
    const server = await h.server(() => ({ status: 404 }));
    const frontier = h.frontier({ attempts: 4, backoffMs: 50 });
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    const url = `${server.origin(HOST)}/gone`;
    await frontier.addSeeds([url]);
    await waitFor('failure recorded', async () => (await frontier.progress()).failed === 1);
    await waitFor('job failed', async () => (await frontier.queue.getFailedCount()) === 1);

    expect(server.hits(HOST, '/gone')).toBe(1);
    expect(await frontier.progress()).toMatchObject({ retried: 0, failedByCode: { HTTP_404: 1 } });
    expect(await frontier.failures()).toEqual([
      expect.objectContaining({ url, code: 'HTTP_404', attempts: 1 }),
    ]);
    const [job] = await frontier.queue.getFailed();
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/^HTTP_404: /);
  });

  it('when retries run out, fails the URL for good with the last error code', async () => {
    const server = await h.server(() => ({ status: 503 }));
    const frontier = h.frontier({ attempts: 3, backoffMs: 20 });
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await frontier.addSeeds([`${server.origin(HOST)}/down`]);
    await waitFor('failure recorded', async () => (await frontier.progress()).failed === 1);

    expect(server.hits(HOST, '/down')).toBe(3);
    expect(await frontier.progress()).toMatchObject({ retried: 2, failedByCode: { HTTP_503: 1 } });
  });

  it('when processUrl throws a plain error (a bug), fails at once with CRAWL_PROCESSOR_ERROR', async () => {
    const server = await h.server(() => page());
    const frontier = h.frontier({ attempts: 4 });
    let calls = 0;
    await h.worker({
      frontier,
      processUrl: () => {
        calls += 1;
        return Promise.reject(new TypeError('cannot read properties of undefined'));
      },
      minDelayMs: 0,
    });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor('failure recorded', async () => (await frontier.progress()).failed === 1);

    expect(calls).toBe(1);
    expect(await frontier.progress()).toMatchObject({
      retried: 0,
      failedByCode: { CRAWL_PROCESSOR_ERROR: 1 },
    });
  });
});

describe('crawl worker: politeness', () => {
  it('never exceeds the per-host limit over two workers, while running several hosts at once', async () => {
    const hosts = ['shop-a.test', 'shop-b.test', 'shop-c.test'];
    const server = await h.server((_host, path) =>
      path === '/' ? { ...page('/1', '/2', '/3', '/4', '/5', '/6'), delayMs: 80 } : { delayMs: 80 },
    );
    const frontier = h.frontier();
    const options = { frontier, processUrl: httpProcess({ port: server.port }), concurrency: 6 };
    await h.worker({ ...options, perHostConcurrency: 2, minDelayMs: 0 });
    await h.worker({ ...options, perHostConcurrency: 2, minDelayMs: 0 });
    await frontier.addSeeds(hosts.map((host) => `${server.origin(host)}/`));
    await waitFor('all pages done', async () => (await frontier.progress()).done === 21, 30_000);

    expect(server.requests).toHaveLength(21);
    for (const host of hosts) expect(server.maxInFlight(host)).toBeLessThanOrEqual(2);
    expect(Math.max(...hosts.map((host) => server.maxInFlight(host)))).toBe(2);
    expect(server.maxInFlight()).toBeGreaterThan(2);
  });

  it('spaces request starts to one host by at least the minimum delay', async () => {
    const server = await h.server((_host, path) => (path === '/' ? page('/1', '/2', '/3', '/4') : page()));
    const frontier = h.frontier();
    await h.worker({
      frontier,
      processUrl: httpProcess({ port: server.port }),
      concurrency: 5,
      perHostConcurrency: 5,
      minDelayMs: 150,
    });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor('all pages done', async () => (await frontier.progress()).done === 5);

    const gaps = startGaps(server.requests);
    expect(gaps).toHaveLength(4);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(150 - TOLERANCE_MS);
  });

  it('honours the Crawl-delay a host reports when it exceeds the configured delay', async () => {
    const server = await h.server((_host, path) => (path === '/' ? page('/1', '/2', '/3') : page()));
    const frontier = h.frontier();
    await h.worker({
      frontier,
      processUrl: httpProcess({ port: server.port, crawlDelayMs: 250 }),
      concurrency: 4,
      perHostConcurrency: 4,
      minDelayMs: 10,
    });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor('all pages done', async () => (await frontier.progress()).done === 4);

    for (const gap of startGaps(server.requests)) expect(gap).toBeGreaterThanOrEqual(250 - TOLERANCE_MS);
  });

  it('while a host is busy, a waiting job does not hold a worker slot', async () => {
    const server = await h.server((host) => (host === 'slow.test' ? { delayMs: 600 } : page()));
    const frontier = h.frontier();
    await h.worker({
      frontier,
      processUrl: httpProcess({ port: server.port }),
      concurrency: 2,
      perHostConcurrency: 1,
      minDelayMs: 0,
    });
    await frontier.addSeeds([`${server.origin('slow.test')}/1`, `${server.origin('slow.test')}/2`]);
    await waitFor('slow host busy', () => server.requests.length === 1);
    await frontier.addSeeds([`${server.origin('fast.test')}/1`]);
    await waitFor('fast page done', () => server.hits('fast.test', '/1') === 1);

    // The second slow job waits in the delayed set, so the fast page ran before the first slow one ended.
    const slowFirst = server.requests.find((r) => r.host === 'slow.test');
    const fast = server.requests.find((r) => r.host === 'fast.test');
    expect(slowFirst?.endedAt).toBeUndefined();
    expect(fast?.startedAt).toBeGreaterThan(slowFirst?.startedAt ?? Infinity);
    await waitFor('all done', async () => (await frontier.progress()).done === 3);
    expect(server.maxInFlight('slow.test')).toBe(1);
  });

  it('once a job releases its host, the next page of that host is fetched while the first still writes', async () => {
    const server = await h.server((_host, path) => (path === '/' ? page('/next') : page()));
    const frontier = h.frontier();
    const plain = httpProcess({ port: server.port });
    let finishWrite: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (finishWrite = resolve));
    await h.worker({
      frontier,
      processUrl: async (task, ctx) => {
        const outcome = await plain(task, ctx);
        await ctx.releaseHost();
        // The seed "writes" until the page it links to was fetched on the same host and slot.
        if (task.depth === 0) await frontier.enqueue(outcome.links ?? [], task).then(() => writing);
        return {};
      },
      concurrency: 1,
      perHostConcurrency: 1,
      minDelayMs: 0,
    });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor('linked page fetched', () => server.hits(HOST, '/next') === 1);

    expect((await frontier.progress()).done).toBe(1);
    finishWrite();
    await waitFor('both done', async () => (await frontier.progress()).done === 2);
    expect(server.maxInFlight(HOST)).toBe(1);
  });
});

describe('crawl worker: closing', () => {
  it('jobs waiting for a fetch slot and jobs fetching never pile listeners on one signal; a forced close aborts them', async () => {
    const frontier = h.frontier();
    const signals = new Set<AbortSignal>();
    let aborted = 0;
    const worker = await h.worker({
      frontier,
      // Each fetch listens on its signal the way the fetcher does, until the worker aborts it.
      processUrl: (_task, ctx) =>
        new Promise((_resolve, reject) => {
          signals.add(ctx.signal);
          ctx.signal.addEventListener(
            'abort',
            () => {
              aborted += 1;
              reject(new Error('aborted'));
            },
            { once: true },
          );
        }),
      concurrency: 12,
      maxJobs: 40,
      perHostConcurrency: 1,
      minDelayMs: 0,
    });
    await frontier.addSeeds(Array.from({ length: 40 }, (_, i) => `http://host-${i}.test/`));
    await waitFor('12 jobs fetching and 28 waiting for a slot', async () => {
      return (await frontier.queue.getActiveCount()) === 40 && [...signals].length > 0;
    });
    await sleep(100);
    // Node warns (MaxListenersExceededWarning) past 10 listeners on one signal; a crawl runs 32 fetches.
    const most = Math.max(...[...signals].map((signal) => getEventListeners(signal, 'abort').length));
    expect(most).toBeLessThanOrEqual(2);
    await worker.close(true);
    expect(aborted).toBe(12);
  });
});
