import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { EnginePort } from '../../engine/port.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { RuleHit } from '../../indexer/alert/alert.types.js';
import { matchFixture, type MatchFixture } from '../match/support.js';

let fx: MatchFixture;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  fx = await matchFixture('alert-batch');
});
afterAll(async () => fx.drop());

const hit = (docId: string, version = 1, rule = 'zui-jia'): RuleHit => ({
  rule: { id: rule, version, name: rule, severity: 'high', category: 'ad_law_absolute' },
  kind: 'page',
  doc: { id: docId, url: `http://s.test/${docId}`, site: 's.test', operator_id: 'op-1' },
  indexedAt: Date.now(),
});

/** The real engine, counting calls per method; `before` runs ahead of a method's first call. */
function watched(
  engine: EnginePort,
  before: Partial<Record<keyof EnginePort, () => Promise<unknown>>> = {},
): { engine: EnginePort; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const proxy = new Proxy(engine, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return async (...args: unknown[]) => {
        calls[name] = (calls[name] ?? 0) + 1;
        const hook = before[name as keyof EnginePort];
        if (hook && calls[name] === 1) await hook();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { engine: proxy, calls };
}

describe('alerts recorded in batches', () => {
  it('one batch of mixed outcomes costs one mget and one bulk, with results in hit order', async () => {
    const setup = new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const [open] = await setup.recordHits([hit('b-open')]);
    const [resolved] = await setup.recordHits([hit('b-resolved')]);
    const [fp] = await setup.recordHits([hit('b-fp')]);
    await setup.resolve(resolved?.alertId ?? '', { actor: 'insp' });
    await setup.markFalsePositive(fp?.alertId ?? '', { actor: 'insp', note: 'quote' });

    const { engine, calls } = watched(fx.engine);
    const notified: string[] = [];
    const alerts = new AlertService(engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      realertIntervalMs: 0,
      notify: (n) => void notified.push(n.docId),
    });
    const batch = [hit('b-new'), hit('b-open'), hit('b-resolved'), hit('b-fp'), hit('b-new')];
    const recorded = await alerts.recordHits(batch);

    expect(recorded.map((r) => r.outcome)).toEqual([
      'created',
      'deduplicated',
      'realerted',
      'suppressed',
      'created',
    ]);
    expect(recorded[1]?.alertId).toBe(open?.alertId);
    expect(recorded[4]?.alertId).toBe(recorded[0]?.alertId);
    expect(calls).toEqual({ mget: 1, bulk: 1 });
    expect(notified.sort()).toEqual(['b-new', 'b-resolved']);
    expect((await alerts.get(recorded[0]?.alertId ?? ''))?.alert.hit_count).toBe(2);
    expect((await alerts.get(open?.alertId ?? ''))?.alert.hit_count).toBe(2);
    const realerted = await alerts.get(resolved?.alertId ?? '');
    expect(realerted?.alert).toMatchObject({ status: 'open', generation: 2 });
    expect((await alerts.get(`${resolved?.alertId ?? ''}.1`))?.alert.status).toBe('resolved');
    expect((await alerts.get(fp?.alertId ?? ''))?.alert.status).toBe('false_positive');
  });

  it('when another writer stores the same alert between the read and the bulk, nothing is lost or doubled', async () => {
    const notified: string[] = [];
    const notify = (n: { docId: string }): void => void notified.push(n.docId);
    const other = new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent, notify });
    const seen = await other.recordHits([hit('c-taken')]);
    // Between this service's mget and its bulk, the other one creates c-race and counts c-taken again.
    const { engine, calls } = watched(fx.engine, {
      bulk: () => other.recordHits([hit('c-race'), hit('c-taken')]),
    });
    const alerts = new AlertService(engine, { prefix: fx.prefix, refresh: true, log: silent, notify });
    const recorded = await alerts.recordHits([hit('c-race'), hit('c-taken'), hit('c-fresh')]);

    expect(recorded.map((r) => r.outcome)).toEqual(['deduplicated', 'deduplicated', 'created']);
    expect(calls.bulk).toBeGreaterThan(1);
    expect((await alerts.get(recorded[0]?.alertId ?? ''))?.alert.hit_count).toBe(2);
    expect((await alerts.get(seen[0]?.alertId ?? ''))?.alert.hit_count).toBe(3);
    expect(notified.sort()).toEqual(['c-fresh', 'c-race', 'c-taken']);
  });
});
