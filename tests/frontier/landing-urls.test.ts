import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Frontier } from '../../indexer/frontier/frontier.js';
import type { CrawlTask } from '../../indexer/frontier/frontier.types.js';
import { taskFor } from '../../indexer/frontier/link-filter.js';
import { urlId } from '../../indexer/frontier/url-normalize.js';
import { CrawlHarness } from './support/harness.js';

let h: CrawlHarness;
let frontier: Frontier;
const limits = { maxDepth: 2, siteBudget: 100, scope: 'site' as const };

beforeEach(() => {
  h = new CrawlHarness();
  frontier = h.frontier({ maxDepth: 2 });
});

afterEach(async () => {
  await h.cleanup();
});

async function queuedTask(url: string): Promise<CrawlTask | undefined> {
  return (await frontier.queue.getJob(urlId(url)))?.data;
}

describe('ad landing URLs in the frontier', () => {
  it('queues an ad landing page on another site at maxDepth, beside the in-scope links only', async () => {
    const shop = taskFor('http://shop-a.test/', 0, limits, 'seed');
    const result = await frontier.enqueue(['/about', 'http://adv.test/lp/1', 'http://other.test/'], shop, {
      landingUrls: ['http://adv.test/lp/1?utm_source=adnet', '/promo'],
    });

    expect(result.queued.sort()).toEqual([
      'http://adv.test/lp/1',
      'http://shop-a.test/about',
      'http://shop-a.test/promo',
    ]);
    expect(await queuedTask('http://adv.test/lp/1')).toMatchObject({
      reason: 'landing',
      depth: 2,
      parentUrl: 'http://shop-a.test/',
    });
    // A same-site landing page is an ordinary link: its depth lets the crawl go on from it.
    expect(await queuedTask('http://shop-a.test/promo')).toMatchObject({ reason: 'link', depth: 1 });
    expect(result.skipped).toContainEqual({ url: 'http://other.test/', reason: 'out_of_scope' });
  });

  it('follows neither the links nor the ad landing URLs of a landing page', async () => {
    const landing = taskFor('http://adv.test/lp/1', 2, limits, 'landing', 'http://shop-a.test/');
    const result = await frontier.enqueue(['/about'], landing, { landingUrls: ['http://adv-2.test/lp/9'] });

    expect(result.queued).toEqual([]);
    expect(await queuedTask('http://adv-2.test/lp/9')).toBeUndefined();
  });

  it('a landing URL the crawl already holds is not queued twice', async () => {
    const first = taskFor('http://shop-a.test/', 0, limits, 'seed');
    const second = taskFor('http://shop-b.test/', 0, limits, 'seed');
    await frontier.enqueue([], first, { landingUrls: ['http://adv.test/lp/1'] });
    const again = await frontier.enqueue([], second, {
      landingUrls: ['http://adv.test/lp/1?utm_campaign=x'],
    });

    expect(again.queued).toEqual([]);
    expect(again.skipped).toEqual([{ url: 'http://adv.test/lp/1', reason: 'duplicate' }]);
  });
});
