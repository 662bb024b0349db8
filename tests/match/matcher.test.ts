import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { AlertNotice } from '../../indexer/alert/alert.types.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { aliasName } from '../../mappings/index.js';
import { matchFixture, type MatchFixture } from './support.js';

let fx: MatchFixture;
let notices: AlertNotice[];
let matcher: Matcher;
let alerts: AlertService;
const silent = pino({ level: 'silent' });

const base = { severity: 'high' as const, category: 'test' };

beforeAll(async () => {
  fx = await matchFixture('matcher');
  const rules = new RuleRepository(fx.engine, { prefix: fx.prefix });
  await rules.create(
    { ...base, id: 'zui-jia', name: '最佳', target: 'both', query: '"最佳"' },
    { actor: 't' },
  );
  await rules.create(
    { ...base, id: 'zhi-yu', name: '治愈', target: 'pages', query: '"治愈"' },
    { actor: 't' },
  );
  await rules.create(
    { ...base, id: 'ad-cure', name: 'cure ad', target: 'ads', query: '"cures cancer"' },
    { actor: 't' },
  );
  await rules.create(
    { ...base, id: 'off', name: 'disabled', target: 'pages', query: '"普通"', enabled: false },
    { actor: 't' },
  );
  await rules.create(
    {
      ...base,
      id: 'scoped',
      name: 'county only',
      target: 'pages',
      query: '"限定"',
      scope: { county: '330106' },
    },
    { actor: 't' },
  );
  notices = [];
  alerts = new AlertService(fx.engine, {
    prefix: fx.prefix,
    refresh: true,
    notify: (n) => void notices.push(n),
    log: silent,
  });
  matcher = new Matcher(fx.engine, { prefix: fx.prefix, alerts, batchWindowMs: 20, log: silent });
});
afterAll(async () => fx.drop());

const page = (id: string, text: string, county = '330105'): Record<string, unknown> => ({
  id,
  url: `http://shop.test/${id}`,
  host: 'shop.test',
  site: 'shop.test',
  text,
  operator_id: `op-${id}`,
  jurisdiction: { city: '3301', county },
});

describe('matcher', () => {
  it('percolates a batch of pages in one go and matches each page to exactly its rules', async () => {
    const outcomes = await Promise.all([
      matcher.onIndexed(page('p1', '本店效果最佳'), 'page'),
      matcher.onIndexed(page('p2', '三天治愈失眠，效果最佳'), 'page'),
      matcher.onIndexed(page('p3', '普通商品 cures cancer'), 'page'),
      matcher.onIndexed(page('p4', '限定款', '330106'), 'page'),
      matcher.onIndexed(page('p5', '限定款', '330105'), 'page'),
    ]);
    expect(outcomes.map((o) => [o.docId, o.ruleIds])).toEqual([
      ['p1', ['zui-jia']],
      ['p2', ['zhi-yu', 'zui-jia']],
      ['p3', []],
      ['p4', ['scoped']],
      ['p5', []],
    ]);
    expect(outcomes.flatMap((o) => o.alerts.map((a) => a.outcome))).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
  });

  it('matches ads against ad and both rules only, read back by id from the ads index', async () => {
    const ads = aliasName(fx.prefix, 'ads');
    await fx.engine.index(ads, 'ad1', {
      id: 'ad1',
      creative_text: 'ClearMed cures cancer, the 最佳 choice',
      sites: ['a.test'],
    });
    const outcome = await matcher.onIndexed('ad1', 'ad');
    expect(outcome.ruleIds).toEqual(['ad-cure', 'zui-jia']);
  });

  it('copies routing facts onto the alert, records latency and notifies once per new alert', async () => {
    const before = notices.length;
    const outcome = await matcher.onIndexed(page('p9', '顶级最佳', '330102'), 'page');
    const [recorded] = outcome.alerts;
    expect(recorded?.latencyMs).toBeGreaterThanOrEqual(0);
    const stored = await alerts.get(recorded?.alertId ?? '');
    expect(stored?.alert).toMatchObject({
      rule_id: 'zui-jia',
      doc_id: 'p9',
      operator_id: 'op-p9',
      jurisdiction: { city: '3301', county: '330102' },
      status: 'open',
      hit_count: 1,
    });
    expect(typeof stored?.alert.alert_latency_ms).toBe('number');
    expect(notices.slice(before)).toEqual([
      expect.objectContaining({
        ruleId: 'zui-jia',
        docId: 'p9',
        severity: 'high',
        jurisdiction: { city: '3301', county: '330102' },
      }),
    ]);
    expect(matcher.latenciesMs.length).toBeGreaterThan(0);
  });

  it('when a notify callback throws, the alert is still stored', async () => {
    const failing = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      log: silent,
      notify: () => {
        throw new Error('channel down');
      },
    });
    const m = new Matcher(fx.engine, { prefix: fx.prefix, alerts: failing, log: silent });
    const outcome = await m.onIndexed(page('p10', '最佳'), 'page');
    expect(outcome.alerts.map((a) => a.outcome)).toEqual(['created']);
    expect((await failing.get(outcome.alerts[0]?.alertId ?? ''))?.alert.status).toBe('open');
  });
});
