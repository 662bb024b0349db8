import { CrawlHarness, sleep, waitFor } from './support/harness.js';
import { httpProcess } from './support/http-process.js';
import { page } from './support/site-server.js';

const HOST = 'shop-a.test';
let h: CrawlHarness;

beforeEach(() => {
  h = new CrawlHarness();
});

afterEach(async () => {
  await h.cleanup();
});

describe('crawl frontier', () => {
  it('when one page is linked through 5 spellings, fetches it once', async () => {
    let port = 0;
    const server = await h.server((_host, path) =>
      path === '/'
        ? page(
            '/a/./b/../c?y=2&x=1#top',
            `HTTP://SHOP-A.TEST:${port}/a/c?x=1&y=2`,
            '/a/%63?utm_source=mail&x=1&y=2',
            'a/c?x=1&y=2&fbclid=abc',
            '/a/c?spm=1.2.3&y=2&x=1',
          )
        : page(),
    );
    port = server.port;
    const origin = server.origin(HOST);
    const frontier = h.frontier({ maxDepth: 3 });
    await h.worker({
      frontier,
      processUrl: httpProcess({ port }),
      concurrency: 4,
      perHostConcurrency: 4,
      minDelayMs: 0,
    });
    await frontier.addSeeds([`${origin}/`]);
    await waitFor('crawl done', () => frontier.isIdle().then((idle) => idle && server.requests.length >= 2));

    expect(server.requests.map((r) => r.path).sort()).toEqual(['/', '/a/c?x=1&y=2']);
    const progress = await frontier.progress();
    expect(progress.discovered).toBe(2);
    expect(progress.done).toBe(2);
    expect(progress.skipped.duplicate).toBe(4);
  });

  it('when robots.txt already forbids a link, records it once as ROBOTS_DISALLOWED without a job', async () => {
    const server = await h.server((_host, path) =>
      path === '/' ? page('/private/1', '/private/2', '/ok', '/private/1') : page('/private/2'),
    );
    const origin = server.origin(HOST);
    const frontier = h.frontier();
    const plain = httpProcess({ port: server.port });
    await h.worker({
      frontier,
      processUrl: async (task, ctx) => ({
        ...(await plain(task, ctx)),
        robotsAllows: (url: string) => !new URL(url).pathname.startsWith('/private/'),
      }),
      minDelayMs: 0,
    });
    await frontier.addSeeds([`${origin}/`]);
    await waitFor('crawl done', async () => (await frontier.progress()).done === 2);
    await waitFor('idle', () => frontier.isIdle());

    expect(server.requests.map((r) => r.path).sort()).toEqual(['/', '/ok']);
    const progress = await frontier.progress();
    expect(progress).toMatchObject({ discovered: 4, queued: 2, done: 2, failed: 2 });
    expect(progress.failedByCode).toEqual({ ROBOTS_DISALLOWED: 2 });
    expect(progress.skipped.duplicate).toBe(2);
    const failures = await frontier.failures();
    expect(failures.map((f) => new URL(f.url).pathname).sort()).toEqual(['/private/1', '/private/2']);
    expect(failures.every((f) => f.code === 'ROBOTS_DISALLOWED' && f.attempts === 0)).toBe(true);
    expect(await frontier.queue.getJobCountByTypes('completed', 'failed')).toBe(2);
  });

  it('stops at the depth limit and records the deeper links as skipped', async () => {
    const server = await h.server((_host, path) => {
      const depth = Number(path.slice(2));
      return page(`/d${depth + 1}`);
    });
    const frontier = h.frontier();
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await frontier.addSeeds([`${server.origin(HOST)}/d0`], { maxDepth: 2 });
    await waitFor('skip recorded', async () => (await frontier.progress()).skipped.max_depth === 1);
    await waitFor('idle', () => frontier.isIdle());

    expect(server.requests.map((r) => r.path)).toEqual(['/d0', '/d1', '/d2']);
  });

  it('stops at the site budget, across seeds and links, and records the rest as skipped', async () => {
    const server = await h.server((_host, path) =>
      path === '/' ? page('/p1', '/p2', '/p3', '/p4', '/p5', '/p6') : page(),
    );
    const frontier = h.frontier();
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await frontier.addSeeds([`${server.origin(HOST)}/`], { siteBudget: 4 });
    await waitFor('idle', async () => (await frontier.progress()).done === 4 && frontier.isIdle());

    expect(server.requests).toHaveLength(4);
    const progress = await frontier.progress();
    expect(progress.skipped.site_budget).toBe(3);
    expect(progress.discovered).toBe(4);
  });

  it('records off-site, non-http and invalid links as skipped with their reason', async () => {
    const server = await h.server((_host, path) =>
      path === '/'
        ? page(
            'http://other-site.test/x',
            'mailto:shop@example.cn',
            'javascript:void(0)',
            'http://[bad/',
            '/ok',
          )
        : page(),
    );
    const frontier = h.frontier();
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await waitFor('idle', async () => (await frontier.progress()).done === 2 && frontier.isIdle());

    const { skipped } = await frontier.progress();
    expect(skipped).toEqual({ out_of_scope: 1, unsupported_scheme: 2, invalid_url: 1 });
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/', '/ok']);
  });

  it('when a seed is not a URL, rejects the whole batch with the bad seeds named and queues none', async () => {
    const frontier = h.frontier();
    await expect(
      frontier.addSeeds(['http://fine.test/', 'not a url', 'ftp://x.test/']),
    ).rejects.toMatchObject({
      code: 'URL_INVALID',
      details: { bad: ['not a url', 'ftp://x.test/'] },
    });
    expect((await frontier.progress()).queued).toBe(0);
  });

  it('when paused, no worker starts a job; after resume the crawl completes', async () => {
    const server = await h.server((_host, path) => (path === '/' ? page('/p1', '/p2') : page()));
    const frontier = h.frontier();
    await frontier.pause();
    await frontier.addSeeds([`${server.origin(HOST)}/`]);
    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await sleep(500);

    expect(server.requests).toHaveLength(0);
    expect(await frontier.progress()).toMatchObject({ paused: true, waiting: 1, done: 0 });

    await frontier.resume();
    await waitFor('crawl done', async () => (await frontier.progress()).done === 3);
    expect(server.requests).toHaveLength(3);
  });

  it('keeps next_fetch_at per URL and queues the recrawl once it is due, under the same page id', async () => {
    const server = await h.server(() => page());
    const frontier = h.frontier();
    const url = `${server.origin(HOST)}/item?id=1`;
    await frontier.addSeeds([url]);
    const dueAt = Date.now() + 60_000;
    await frontier.scheduleRecrawl(`${url}&utm_source=x#x`, dueAt - 1000);
    await frontier.scheduleRecrawl(url, dueAt);

    expect((await frontier.nextFetchAt(url))?.getTime()).toBe(dueAt);
    expect(await frontier.promoteDueRecrawls(dueAt - 1)).toBe(0);
    expect(await frontier.promoteDueRecrawls(dueAt)).toBe(1);
    expect(await frontier.promoteDueRecrawls(dueAt + 1)).toBe(0);
    expect(await frontier.nextFetchAt(url)).toBeUndefined();

    await h.worker({ frontier, processUrl: httpProcess({ port: server.port }), minDelayMs: 0 });
    await waitFor('both fetches done', async () => (await frontier.progress()).done === 2);
    expect(server.hits(HOST, '/item?id=1')).toBe(2);
    const jobs = await frontier.queue.getJobs(['completed']);
    expect(new Set(jobs.map((j) => j.data.urlId)).size).toBe(1);
    expect(jobs.map((j) => j.data.reason).sort()).toEqual(['recrawl', 'seed']);
  });
});
