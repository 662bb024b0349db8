import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { RuleHit } from '../../indexer/alert/alert.types.js';
import { aliasName } from '../../mappings/index.js';
import { matchFixture, type MatchFixture } from '../match/support.js';

let fx: MatchFixture;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  fx = await matchFixture('alerts');
});
afterAll(async () => fx.drop());

const hit = (docId: string, version = 1, operator = 'op-1'): RuleHit => ({
  rule: { id: 'zui-jia', version, name: '最佳', severity: 'high', category: 'ad_law_absolute' },
  kind: 'page',
  doc: { id: docId, url: `http://s.test/${docId}`, site: 's.test', operator_id: operator },
  indexedAt: Date.now(),
});

describe('alert noise control', () => {
  it('when the same rule hits the same document again, the open alert counts the hit instead of a new alert', async () => {
    const notified: string[] = [];
    const alerts = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      notify: (n) => void notified.push(n.alertId),
    });
    const [first] = await alerts.recordHits([hit('d1')]);
    const again = await alerts.recordHits([hit('d1'), hit('d1')]);
    expect(first?.outcome).toBe('created');
    expect(again.map((r) => r.outcome)).toEqual(['deduplicated', 'deduplicated']);
    expect(again[0]?.alertId).toBe(first?.alertId);
    const stored = await alerts.get(first?.alertId ?? '');
    expect(stored?.alert.hit_count).toBe(3);
    expect(notified).toEqual([first?.alertId]);
    const other = await alerts.recordHits([hit('d1', 1, 'op-2')]);
    expect(other[0]?.outcome).toBe('created');
  });

  it('a resolved alert re-opens as a new alert only after the realert interval', async () => {
    const strict = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      realertIntervalMs: 3_600_000,
    });
    const [created] = await strict.recordHits([hit('d2')]);
    const id = created?.alertId ?? '';
    await strict.resolve(id, { actor: 'insp', note: 'shop removed the claim' });
    expect((await strict.recordHits([hit('d2')]))[0]?.outcome).toBe('suppressed');
    const eager = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      realertIntervalMs: 0,
    });
    const [again] = await eager.recordHits([hit('d2')]);
    expect(again?.outcome).toBe('realerted');
    const live = await eager.get(id);
    expect(live?.alert).toMatchObject({ status: 'open', generation: 2, hit_count: 1 });
    const archived = await eager.get(`${id}.1`);
    expect(archived?.alert).toMatchObject({ status: 'resolved', resolution_note: 'shop removed the claim' });
  });

  it('a false positive stays silent for its rule version and realerts for a newer one', async () => {
    const alerts = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      realertIntervalMs: 0,
    });
    const [created] = await alerts.recordHits([hit('d3')]);
    await alerts.markFalsePositive(created?.alertId ?? '', { actor: 'analyst', note: 'quoting the law' });
    expect((await alerts.recordHits([hit('d3')]))[0]?.outcome).toBe('suppressed');
    expect((await alerts.recordHits([hit('d3', 2)]))[0]?.outcome).toBe('realerted');
  });
});

describe('alert lifecycle', () => {
  it('goes open → acknowledged → resolved with who, when and why, and audits each step', async () => {
    const alerts = new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const [created] = await alerts.recordHits([hit('d4')]);
    const id = created?.alertId ?? '';
    const acked = await alerts.acknowledge(id, { actor: 'wang' });
    expect(acked.alert).toMatchObject({ status: 'acknowledged', acknowledged_by: 'wang' });
    const resolved = await alerts.resolve(id, { actor: 'li', note: '已责令整改' });
    expect(resolved.alert).toMatchObject({
      status: 'resolved',
      resolved_by: 'li',
      resolution_note: '已责令整改',
    });
    await expect(alerts.acknowledge(id, { actor: 'x' })).rejects.toMatchObject({
      code: 'ALERT_INVALID_TRANSITION',
      httpStatus: 409,
    });
    const audit = await fx.engine.search({
      index: aliasName(fx.prefix, 'audit'),
      query: { term: { target_id: id } },
      sort: [{ at: 'asc' }],
    });
    expect(audit.hits.map((h) => [h.source.action, h.source.actor])).toEqual([
      ['alert.acknowledge', 'wang'],
      ['alert.resolve', 'li'],
    ]);
    expect(audit.hits[1]?.source.details).toEqual({
      from: 'acknowledged',
      to: 'resolved',
      note: '已责令整改',
    });
  });

  it('when two inspectors act on the same read, the second gets a 409 conflict', async () => {
    const alerts = new AlertService(fx.engine, { prefix: fx.prefix, refresh: true, log: silent });
    const [created] = await alerts.recordHits([hit('d5')]);
    const id = created?.alertId ?? '';
    const read = await alerts.get(id);
    const guard = { ifSeqNo: read?.seqNo ?? 0, ifPrimaryTerm: read?.primaryTerm ?? 1 };
    await alerts.acknowledge(id, { actor: 'first', guard });
    await expect(alerts.markFalsePositive(id, { actor: 'second', guard, note: 'n/a' })).rejects.toMatchObject(
      {
        code: 'ENGINE_VERSION_CONFLICT',
        httpStatus: 409,
      },
    );
    expect((await alerts.get(id))?.alert.status).toBe('acknowledged');
  });
});
