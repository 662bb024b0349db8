import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { EnginePort, PercolateRequest } from '../../engine/port.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { matchFixture, type MatchFixture } from './support.js';

let fx: MatchFixture;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  fx = await matchFixture('matcher-batching');
  const rules = new RuleRepository(fx.engine, { prefix: fx.prefix });
  await rules.create(
    { id: 'zui-jia', name: '最佳', target: 'both', query: '"最佳"', severity: 'high', category: 'test' },
    { actor: 't' },
  );
});
afterAll(async () => fx.drop());

const page = (id: string, text: string): Record<string, unknown> => ({
  id,
  url: `http://shop.test/${id}`,
  site: 'shop.test',
  text,
  operator_id: `op-${id}`,
});

/** The real engine, whose first percolation waits for `release`; every percolation's documents are kept. */
function gatedPercolate(engine: EnginePort): {
  engine: EnginePort;
  batches: number[];
  /** Most percolations in flight at once. */
  peak: () => number;
  started: Promise<void>;
  release: () => void;
} {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let markStarted = (): void => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const batches: number[] = [];
  let running = 0;
  let peak = 0;
  const proxy = new Proxy(engine, {
    get(target, name, receiver) {
      if (name !== 'percolate') return Reflect.get(target, name, receiver) as unknown;
      return async (request: PercolateRequest) => {
        batches.push(request.documents.length);
        running += 1;
        peak = Math.max(peak, running);
        try {
          if (batches.length === 1) {
            markStarted();
            await gate;
          }
          return await target.percolate(request);
        } finally {
          running -= 1;
        }
      };
    },
  });
  return { engine: proxy, batches, peak: () => peak, started, release };
}

describe('matcher batching under load', () => {
  it('documents indexed while a percolation of their kind runs go out together as the next batch', async () => {
    const gated = gatedPercolate(fx.engine);
    const alerts = new AlertService(gated.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const matcher = new Matcher(gated.engine, { prefix: fx.prefix, alerts, batchWindowMs: 1, log: silent });
    const first = matcher.onIndexed(page('g1', '效果最佳'), 'page');
    await gated.started;
    const later = ['g2', 'g3', 'g4'].map((id) => matcher.onIndexed(page(id, `${id} 最佳`), 'page'));
    const other = matcher.onIndexed(page('g5', '普通'), 'page');
    gated.release();
    const outcomes = await Promise.all([first, ...later, other]);
    await matcher.flush();

    expect(gated.batches).toEqual([1, 4]);
    expect(gated.peak()).toBe(1);
    expect(outcomes.map((o) => [o.docId, o.ruleIds])).toEqual([
      ['g1', ['zui-jia']],
      ['g2', ['zui-jia']],
      ['g3', ['zui-jia']],
      ['g4', ['zui-jia']],
      ['g5', []],
    ]);
  });

  it('with more queued than maxBatch, the backlog goes out in maxBatch slices and flush waits for all', async () => {
    const gated = gatedPercolate(fx.engine);
    const alerts = new AlertService(gated.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const matcher = new Matcher(gated.engine, {
      prefix: fx.prefix,
      alerts,
      batchWindowMs: 1,
      maxBatch: 2,
      log: silent,
    });
    const first = matcher.onIndexed(page('h0', '最佳'), 'page');
    await gated.started;
    const queued = [1, 2, 3, 4, 5].map((n) => matcher.onIndexed(page(`h${n}`, '最佳'), 'page'));
    gated.release();
    await matcher.flush();
    const outcomes = await Promise.all([first, ...queued]);

    expect(gated.batches).toEqual([1, 2, 2, 1]);
    expect(gated.peak()).toBe(1);
    expect(outcomes.every((o) => o.ruleIds.join() === 'zui-jia')).toBe(true);
  });
});
