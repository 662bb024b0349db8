import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { createPoliteness } from '../../indexer/frontier/politeness.js';
import { testPrefix } from '../support/ids.js';
import { deleteKeysUnder, sleep } from './support/harness.js';

const prefix = testPrefix('politeness');
const redis = new Redis(config().REDIS_URL);

afterAll(async () => {
  await deleteKeysUnder(redis, prefix);
  await redis.quit();
});

describe('per-host politeness', () => {
  it('grants at most the per-host limit of leases, and a released lease frees a place', async () => {
    const p = createPoliteness({ redis, prefix, perHostConcurrency: 2, minDelayMs: 0 });
    expect(await p.acquire('a.test', 'l1')).toEqual({ granted: true });
    expect(await p.acquire('a.test', 'l2')).toEqual({ granted: true });
    expect((await p.acquire('a.test', 'l3')).granted).toBe(false);
    expect(await p.acquire('b.test', 'l4')).toEqual({ granted: true });
    expect(await p.inFlight('a.test')).toBe(2);

    await p.release('a.test', 'l1', 20);
    expect(await p.acquire('a.test', 'l3')).toEqual({ granted: true });
  });

  it('when a holder dies without releasing, its lease expires and the host is free again', async () => {
    const p = createPoliteness({ redis, prefix, perHostConcurrency: 1, minDelayMs: 0, leaseTtlMs: 300 });
    expect(await p.acquire('dead.test', 'killed-worker')).toEqual({ granted: true });
    expect((await p.acquire('dead.test', 'other')).granted).toBe(false);
    await sleep(350);
    expect(await p.inFlight('dead.test')).toBe(0);
    expect(await p.acquire('dead.test', 'other')).toEqual({ granted: true });
  });

  it('a renewed lease outlives its first TTL', async () => {
    const p = createPoliteness({ redis, prefix, perHostConcurrency: 1, minDelayMs: 0, leaseTtlMs: 300 });
    expect(await p.acquire('long.test', 'slow-fetch')).toEqual({ granted: true });
    await sleep(200);
    await p.renew('long.test', 'slow-fetch');
    await sleep(200);
    expect((await p.acquire('long.test', 'other')).granted).toBe(false);
  });

  it('gives jobs waiting on one host successive slots instead of one shared retry time', async () => {
    const p = createPoliteness({ redis, prefix, perHostConcurrency: 4, minDelayMs: 100, initialFetchMs: 0 });
    expect(await p.acquire('paced.test', 'first')).toEqual({ granted: true });
    const waits: number[] = [];
    // Each answer is relative to its own moment; the slot it names is that moment plus the wait.
    const slots: number[] = [];
    for (const id of ['w1', 'w2', 'w3']) {
      const answer = await p.acquire('paced.test', id);
      if (answer.granted) throw new Error(`${id} should wait for the minimum delay`);
      waits.push(answer.waitMs);
      slots.push(Date.now() + answer.waitMs);
    }
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(100);
    // Successive slots one minimum delay apart (a shared retry time would put them ~0 ms apart);
    // the tolerance covers the Redis round trip between the engine's clock and ours.
    expect((slots[1] ?? 0) - (slots[0] ?? 0)).toBeGreaterThanOrEqual(90);
    expect((slots[2] ?? 0) - (slots[1] ?? 0)).toBeGreaterThanOrEqual(90);
  });

  it('uses a reported Crawl-delay when it is longer than the configured delay, capped', async () => {
    const p = createPoliteness({
      redis,
      prefix,
      perHostConcurrency: 4,
      minDelayMs: 10,
      maxCrawlDelayMs: 5000,
    });
    await p.setCrawlDelay('robots.test', 60_000);
    expect(await p.acquire('robots.test', 'first')).toEqual({ granted: true });
    const answer = await p.acquire('robots.test', 'second');
    expect(answer.granted).toBe(false);
    if (!answer.granted) {
      expect(answer.waitMs).toBeGreaterThan(4900);
      expect(answer.waitMs).toBeLessThanOrEqual(5000);
    }
  });
});
