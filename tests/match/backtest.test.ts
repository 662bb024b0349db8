import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { AlertService } from '../../indexer/alert/alert.service.js';
import { backtestRule } from '../../indexer/match/backtest.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { aliasName } from '../../mappings/index.js';
import { matchFixture, type MatchFixture } from './support.js';

let fx: MatchFixture;
let rules: RuleRepository;

const page = (id: string, site: string, county: string | null, text: string): Record<string, unknown> => ({
  id,
  url: `http://${site}/${id}`,
  host: site,
  site,
  text,
  ...(county ? { jurisdiction: { city: '3301', county } } : {}),
});

beforeAll(async () => {
  fx = await matchFixture('backtest');
  rules = new RuleRepository(fx.engine, { prefix: fx.prefix });
  const pages = aliasName(fx.prefix, 'pages');
  const docs = [
    page('a1', 'a.test', '330106', '本品口感最佳'),
    page('a2', 'a.test', '330106', '效果最佳，顶级原料'),
    page('a3', 'a.test', '330106', '普通绿茶'),
    page('b1', 'b.test', '330108', '最佳之选'),
    page('c1', 'c.test', null, '最佳礼品'),
  ];
  await fx.engine.bulk(
    [
      ...docs.map((doc) => ({ op: 'index' as const, index: pages, id: String(doc.id), doc })),
      {
        op: 'index',
        index: aliasName(fx.prefix, 'ads'),
        id: 'ad1',
        doc: { id: 'ad1', creative_text: '最佳旅行路线', sites: ['b.test'] },
      },
    ],
    { refresh: true },
  );
  const alerts = new AlertService(fx.engine, {
    prefix: fx.prefix,
    refresh: true,
    log: pino({ level: 'silent' }),
  });
  const hit = (docId: string, version: number) => ({
    rule: { id: 'zui-jia', version, name: '最佳', severity: 'high' as const, category: 'c' },
    kind: 'page' as const,
    doc: { id: docId, site: docId.startsWith('a') ? 'a.test' : 'b.test', url: `http://x/${docId}` },
    indexedAt: Date.now(),
  });
  const [fp] = await alerts.recordHits([hit('a1', 1)]);
  await alerts.markFalsePositive(fp?.alertId ?? '', { actor: 'analyst', note: '品鉴文章，不是广告' });
  await alerts.recordHits([hit('b1', 2)]);
});
afterAll(async () => fx.drop());

describe('back-test', () => {
  it('counts hits, samples them with highlights and spreads them per site and district', async () => {
    const result = await backtestRule(fx.engine, {
      prefix: fx.prefix,
      rules,
      query: '"最佳"',
      target: 'pages',
    });
    expect(result.total).toBe(4);
    expect(result.samples.map((s) => s.id).sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(result.samples.find((s) => s.id === 'a1')?.highlight.text?.[0]).toContain('<em>');
    expect(result.bySite).toEqual([
      { key: 'a.test', count: 2 },
      { key: 'b.test', count: 1 },
      { key: 'c.test', count: 1 },
    ]);
    expect(result.byDistrict).toEqual([
      { key: '330106', count: 2 },
      { key: '(none)', count: 1 },
      { key: '330108', count: 1 },
    ]);
    expect(result.alertsWouldCreate).toBe(4);
  });

  it('over pages and ads, subtracts live alerts of the rule and shows its earlier false positives', async () => {
    const result = await backtestRule(fx.engine, {
      prefix: fx.prefix,
      rules,
      query: '"最佳"',
      target: 'both',
      ruleId: 'zui-jia',
    });
    expect(result.total).toBe(5);
    expect(result.samples.filter((s) => s.kind === 'ad').map((s) => s.id)).toEqual(['ad1']);
    expect(result.distinctDedupeKeys).toBe(5);
    expect(result.alertsWouldCreate).toBe(4);
    expect(result.falsePositives.count).toBe(1);
    expect(result.falsePositives.samples[0]).toMatchObject({
      doc_id: 'a1',
      rule_version: 1,
      resolution_note: '品鉴文章，不是广告',
    });
  });

  it('refuses a bad query as saving would', async () => {
    await expect(
      backtestRule(fx.engine, {
        prefix: fx.prefix,
        rules,
        query: { script: { script: 'x' } },
        target: 'pages',
      }),
    ).rejects.toMatchObject({ code: 'RULE_INVALID', httpStatus: 400 });
  });
});
