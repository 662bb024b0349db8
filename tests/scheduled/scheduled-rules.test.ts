import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Doc } from '../../engine/port.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { AlertNotice } from '../../indexer/alert/alert.types.js';
import { toNotifyNotice } from '../../indexer/alert/notice-bridge.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { loadRulePack } from '../../rules/loader.js';
import type { RuleInput } from '../../indexer/match/rule.types.js';
import { backtestScheduledRule } from '../../indexer/match/scheduled/scheduled-backtest.js';
import type { ScheduledRunReport } from '../../indexer/match/scheduled/scheduled-runner.js';
import { scheduledFixture, type ScheduledFixture } from './support.js';

const HOUR = 3_600_000;
/** The evaluated window is [H, H + 1h); the runner ticks at H + 1h 5min. */
const H = Date.UTC(2026, 0, 5, 10);
const NOW = H + HOUR + 5 * 60_000;
const at = (minutes: number): string => new Date(H + minutes * 60_000).toISOString();

let fx: ScheduledFixture;

const page = (id: string, site: string, text: string, minutes: number, county = '330106'): Doc => ({
  id,
  url: `http://${site}/${id}`,
  host: site,
  site,
  text,
  status: 200,
  fetched_at: at(minutes),
  jurisdiction: { city: '3301', county },
});

function rule(id: string, extra: Partial<RuleInput>): RuleInput {
  return {
    id,
    name: id,
    target: 'pages',
    query: '最佳',
    severity: 'medium',
    category: 'scheduled_test',
    ...extra,
  };
}

async function runFor(ruleId: string, now = NOW): Promise<ScheduledRunReport> {
  const reports = await fx.runner().runDue(now);
  const report = reports.find((r) => r.ruleId === ruleId);
  if (!report) throw new Error(`no report for ${ruleId}`);
  return report;
}

const groupsOf = (report: ScheduledRunReport): string[] => report.findings.map((f) => f.group ?? '*').sort();

beforeAll(async () => {
  fx = await scheduledFixture('scheduled');
  await fx.put('pages', [
    // frequency: a.test has 3 hits in the window, b.test 2, c.test 3 of another text, d.test 3 out of scope
    page('a1', 'a.test', '本品最佳', 5),
    page('a2', 'a.test', '效果最佳', 20),
    page('a3', 'a.test', '最佳之选', 59),
    page('a0', 'a.test', '最佳礼品', -30),
    page('b1', 'b.test', '最佳', 10),
    page('b2', 'b.test', '最佳', 11),
    page('c1', 'c.test', '普通', 10),
    page('c2', 'c.test', '普通', 11),
    page('c3', 'c.test', '普通', 12),
    page('d1', 'd.test', '最佳', 10, '330108'),
    page('d2', 'd.test', '最佳', 11, '330108'),
    page('d3', 'd.test', '最佳', 12, '330108'),
    // spike: s1 1 → 4 (up), s2 2 → 3 (not enough), s3 0 → 5 (no reference), s4 6 → 1 (down)
    ...[-50, 10, 20, 30, 40].map((m, i) => page(`s1-${i}`, 's1.test', '特价', m)),
    ...[-50, -40, 10, 20, 30].map((m, i) => page(`s2-${i}`, 's2.test', '特价', m)),
    ...[10, 20, 30, 40, 50].map((m, i) => page(`s3-${i}`, 's3.test', '特价', m)),
    ...[-55, -50, -40, -30, -20, -10, 30].map((m, i) => page(`s4-${i}`, 's4.test', '特价', m)),
    // flatline (fetches): f1 seen 3 h before and not since, f2 fetched in the window, f3 only 3 days ago
    page('f1', 'f1.test', 'heartbeat', -180),
    page('f2', 'f2.test', 'heartbeat', 30),
    page('f3', 'f3.test', 'heartbeat', -3 * 24 * 60),
    // flatline (changes): both fetched in the window; only ch1 has a new version in it
    page('ch1', 'ch1.test', 'changelog', 15),
    page('ch2', 'ch2.test', 'changelog', 15),
  ]);
  await fx.put('page-versions', [
    {
      id: 'ch1:2',
      page_id: 'ch1',
      url: 'http://ch1.test/ch1',
      site: 'ch1.test',
      version: 2,
      fetched_at: at(15),
    },
    {
      id: 'ch2:1',
      page_id: 'ch2',
      url: 'http://ch2.test/ch2',
      site: 'ch2.test',
      version: 1,
      fetched_at: at(-600),
    },
  ]);
  const ad = (id: string, extra: Doc): Doc => ({ id, creative_text: '广告', ...extra });
  await fx.put('ads', [
    // new_term: old.example seen before the window, new.example first seen in it, later.example after it
    ad('n1', { landing_domain: 'old.example', first_seen: at(-300), last_seen: at(10) }),
    ad('n2', { landing_domain: 'old.example', first_seen: at(10), last_seen: at(10) }),
    ad('n3', { landing_domain: 'new.example', first_seen: at(25), last_seen: at(25), sites: ['x.test'] }),
    ad('n4', { landing_domain: 'later.example', first_seen: at(61), last_seen: at(61) }),
    // cardinality: creative x.png on 3 sites in the window, y.png on 2
    ad('k1', { image_src: 'http://img.test/x.png', sites: ['p.test', 'q.test'], last_seen: at(5) }),
    ad('k2', { image_src: 'http://img.test/x.png', sites: ['r.test'], last_seen: at(45) }),
    ad('k3', { image_src: 'http://img.test/y.png', sites: ['p.test', 'q.test'], last_seen: at(5) }),
    ad('k4', { image_src: 'http://img.test/y.png', sites: ['z.test'], last_seen: at(-90) }),
  ]);
});

afterAll(async () => {
  await fx.drop();
});

describe('frequency', () => {
  const id = 'sched.frequency';
  beforeAll(async () => {
    await fx.rules.create(
      rule(id, {
        scope: { county: '330106' },
        schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 3, query_key: 'site' },
      }),
      { actor: 'test' },
    );
  });

  it('when a site has at least N hits in the window, raises one alert for that site and window', async () => {
    const report = await runFor(id);
    expect(report.status).toBe('evaluated');
    expect(report.windowStart).toBe(at(0));
    // b.test has too few hits, c.test other text, d.test is outside the rule's county, a0 before the window
    expect(groupsOf(report)).toEqual(['a.test']);
    const alerts = await fx.alertsOf(id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      site: 'a.test',
      status: 'open',
      jurisdiction: { county: '330106' },
      window: { type: 'frequency', start: at(0), end: at(60), group: 'a.test', count: 3 },
    });
  });

  it('when the same window runs again, it is skipped and still one alert exists', async () => {
    const again = await runFor(id);
    expect(again.status).toBe('already_done');
    expect(await fx.alertsOf(id)).toHaveLength(1);
  });

  it('when the run record is lost and the window is evaluated again, the alert is deduplicated, not doubled', async () => {
    await fx.forgetRuns();
    const again = await runFor(id);
    expect(again.status).toBe('evaluated');
    expect(again.alerts.map((a) => a.outcome)).toEqual(['deduplicated']);
    expect(await fx.alertsOf(id)).toHaveLength(1);
  });

  it('when two workers run the same window at once, one evaluates it and one alert is created', async () => {
    const later = NOW + HOUR; // window [H+1h, H+2h): a.test has no hits there
    const laterId = 'sched.frequency-concurrent';
    await fx.rules.create(
      rule(laterId, {
        query: '特价',
        schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 2, query_key: 'site' },
      }),
      { actor: 'test' },
    );
    const [one, two] = await Promise.all([fx.runner().runDue(NOW), fx.runner().runDue(NOW)]);
    const reports = [...one, ...two].filter((r) => r.ruleId === laterId);
    expect(reports).toHaveLength(2);
    expect(reports.filter((r) => r.status === 'evaluated')).toHaveLength(1);
    expect(['locked', 'already_done']).toContain(reports.find((r) => r.status !== 'evaluated')?.status);
    expect((await fx.alertsOf(laterId)).length).toBe(3); // s1, s2, s3 have ≥ 2 hits in the window, s4 one
    const quiet = await runFor(laterId, later);
    expect(quiet.status).toBe('evaluated');
    expect(quiet.findings).toEqual([]);
  });

  it('a scheduled rule is not percolated on ingest; a real-time rule with the same query still is', async () => {
    await fx.rules.create(rule('rt.best', {}), { actor: 'test' });
    const matcher = new Matcher(fx.engine, { prefix: fx.prefix, alerts: fx.alerts });
    const outcome = await matcher.onIndexed({ id: 'rt1', site: 'rt.test', text: '最佳产品' }, 'page');
    expect(outcome.ruleIds).toContain('rt.best');
    expect(outcome.ruleIds).not.toContain(id);
  });
});

describe('notification', () => {
  it('a scheduled alert is notified once, its notice saying what was found in which window', async () => {
    const id = 'sched.notified';
    await fx.rules.create(
      rule(id, {
        schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 2, query_key: 'site' },
        scope: { county: '330108' },
      }),
      { actor: 'test' },
    );
    const notices: AlertNotice[] = [];
    const alerts = new AlertService(fx.engine, {
      prefix: fx.prefix,
      refresh: true,
      notify: (n) => void notices.push(n),
    });
    await fx.runner(alerts).runDue(NOW);
    await fx.runner(alerts).runDue(NOW);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ ruleId: id, site: 'd.test', jurisdiction: { county: '330108' } });
    expect(toNotifyNotice(notices[0] as AlertNotice).summary).toBe(
      `${id}: d.test: 3 hits ≥ 2 in [${at(0)}, ${at(60)})`,
    );
  });
});

describe('spike', () => {
  const id = 'sched.spike';
  it('compares the window with the one before: up and down spikes alert, no reference or a small change does not', async () => {
    await fx.rules.create(
      rule(id, {
        query: '特价',
        schedule: {
          type: 'spike',
          timeframe_ms: HOUR,
          spike_height: 3,
          spike_type: 'both',
          threshold_ref: 1,
          query_key: 'site',
        },
      }),
      { actor: 'test' },
    );
    const report = await runFor(id);
    expect([report.status, report.error]).toEqual(['evaluated', undefined]);
    expect(groupsOf(report)).toEqual(['s1.test', 's4.test']);
    const s1 = report.findings.find((f) => f.group === 's1.test');
    expect(s1).toMatchObject({ count: 4, reference: 1 });
    expect(report.findings.find((f) => f.group === 's4.test')).toMatchObject({ count: 1, reference: 6 });
    expect(await fx.alertsOf(id)).toHaveLength(2);
  });

  it('with threshold_cur above the current count, an up spike stays quiet', async () => {
    const quietId = 'sched.spike-threshold';
    await fx.rules.create(
      rule(quietId, {
        query: '特价',
        schedule: {
          type: 'spike',
          timeframe_ms: HOUR,
          spike_height: 3,
          spike_type: 'up',
          threshold_cur: 5,
          query_key: 'site',
        },
      }),
      { actor: 'test' },
    );
    expect((await runFor(quietId)).findings).toEqual([]);
    expect(await fx.alertsOf(quietId)).toHaveLength(0);
  });
});

describe('flatline', () => {
  it('a site seen in the look-back with no fetch in the window alerts; one fetched, or unseen for longer, does not', async () => {
    const id = 'sched.flatline-fetches';
    await fx.rules.create(
      rule(id, {
        query: 'heartbeat',
        schedule: { type: 'flatline', timeframe_ms: HOUR, threshold: 1, lookback_ms: 24 * HOUR },
      }),
      { actor: 'test' },
    );
    const report = await runFor(id);
    expect([report.status, report.error]).toEqual(['evaluated', undefined]);
    expect(groupsOf(report)).toEqual(['f1.test']);
    expect(report.findings[0]).toMatchObject({ groupField: 'site', count: 0 });
    expect((await fx.alertsOf(id)).map((a) => a.site)).toEqual(['f1.test']);
  });

  it('a site fetched in the window without a new page version alerts as stopped changing', async () => {
    const id = 'sched.flatline-changes';
    await fx.rules.create(
      rule(id, {
        query: 'changelog',
        schedule: { type: 'flatline', timeframe_ms: HOUR, measure: 'changes', lookback_ms: 24 * HOUR },
      }),
      { actor: 'test' },
    );
    expect(groupsOf(await runFor(id))).toEqual(['ch2.test']);
  });
});

describe('new_term', () => {
  it('a landing domain first seen in the window alerts; one seen in the look-back or after the window does not', async () => {
    const id = 'sched.new-advertiser';
    await fx.rules.create(
      rule(id, {
        target: 'ads',
        query: { match_all: {} },
        schedule: {
          type: 'new_term',
          timeframe_ms: HOUR,
          field: 'landing_domain.keyword',
          lookback_ms: 24 * HOUR,
        },
      }),
      { actor: 'test' },
    );
    const report = await runFor(id);
    expect([report.status, report.error]).toEqual(['evaluated', undefined]);
    expect(groupsOf(report)).toEqual(['new.example']);
    const alerts = await fx.alertsOf(id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ target: 'ad', window: { terms: ['new.example'] } });
  });
});

describe('cardinality', () => {
  it('a creative on more than N sites in the window alerts; one on N sites does not', async () => {
    const id = 'sched.creative-spread';
    await fx.rules.create(
      rule(id, {
        target: 'ads',
        query: { match_all: {} },
        schedule: {
          type: 'cardinality',
          timeframe_ms: HOUR,
          query_key: 'image_src',
          cardinality_field: 'sites',
          max_cardinality: 2,
        },
      }),
      { actor: 'test' },
    );
    const report = await runFor(id);
    expect([report.status, report.error]).toEqual(['evaluated', undefined]);
    expect(groupsOf(report)).toEqual(['http://img.test/x.png']);
    expect(report.findings[0]?.count).toBe(3);
  });
});

describe('back-test', () => {
  it('evaluates an unsaved rule over its last windows and counts the alerts realert would let through', async () => {
    const input = rule('sched.backtest', {
      query: '特价',
      schedule: { type: 'frequency', timeframe_ms: HOUR / 2, num_events: 2, query_key: 'site' },
    });
    const result = await backtestScheduledRule(fx.engine, {
      prefix: fx.prefix,
      rules: fx.rules,
      input,
      windows: 4,
      nowMs: NOW,
    });
    // Half-hour windows, newest first: [H+30m, H+1h) s1, s3; [H, H+30m) s1, s2, s3; [H-30m, H) s4; [H-1h, H-30m) s2, s4
    expect(result.windows.map((w) => [w.start, w.findings.map((f) => f.group).sort()])).toEqual([
      [at(30), ['s1.test', 's3.test']],
      [at(0), ['s1.test', 's2.test', 's3.test']],
      [at(-30), ['s4.test']],
      [at(-60), ['s2.test', 's4.test']],
    ]);
    expect(result).toMatchObject({ findings: 8, alertsWouldCreate: 8 });
    const quieter = await backtestScheduledRule(fx.engine, {
      prefix: fx.prefix,
      rules: fx.rules,
      input: { ...input, schedule: { ...input.schedule, realert_ms: 2 * HOUR } as never },
      windows: 4,
      nowMs: NOW,
    });
    expect(quieter.alertsWouldCreate).toBe(4); // one per site over the two hours
    expect(await fx.rules.get('sched.backtest')).toBeUndefined();
  });
});

describe('built-in pack', () => {
  it('loads its scheduled rules as scheduled, and the runner evaluates the enabled ones', async () => {
    await loadRulePack(fx.rules, { actor: 'test' });
    const repeat = await fx.rules.require('builtin.scheduled.absolute-terms-repeat');
    expect(repeat.rule.schedule).toMatchObject({ type: 'frequency', num_events: 5 });
    const reports = await fx.runner().runDue(NOW);
    const builtin = reports.filter((r) => r.ruleId.startsWith('builtin.'));
    expect(builtin.map((r) => [r.ruleId, r.status])).toEqual([
      ['builtin.scheduled.absolute-terms-repeat', 'evaluated'],
      ['builtin.scheduled.health-ad-spread', 'evaluated'],
    ]);
  });
});

describe('validation', () => {
  const create = (id: string, extra: Partial<RuleInput>): Promise<unknown> =>
    fx.rules.create(rule(id, extra), { actor: 'test' });

  it('refuses a bad schedule with RULE_INVALID naming the part', async () => {
    await expect(
      create('bad.num', { schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 0 } }),
    ).rejects.toMatchObject({
      code: 'RULE_INVALID',
      message: expect.stringContaining('schedule.num_events'),
    });
    await expect(
      create('bad.type', { schedule: { type: 'percentage_match', timeframe_ms: HOUR } as never }),
    ).rejects.toMatchObject({ code: 'RULE_INVALID', message: expect.stringContaining('schedule.type') });
    await expect(
      create('bad.card', {
        target: 'ads',
        schedule: { type: 'cardinality', timeframe_ms: HOUR, cardinality_field: 'sites' },
      }),
    ).rejects.toMatchObject({ code: 'RULE_INVALID', message: expect.stringContaining('max_cardinality') });
  });

  it('refuses fields that cannot be aggregated, and scheduled rules on both targets', async () => {
    await expect(
      create('bad.key', {
        target: 'ads',
        schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 2, query_key: 'advertiser' },
      }),
    ).rejects.toMatchObject({
      code: 'RULE_INVALID',
      message: expect.stringContaining('did you mean "advertiser.keyword"'),
    });
    await expect(
      create('bad.both', {
        target: 'both',
        schedule: { type: 'frequency', timeframe_ms: HOUR, num_events: 2 },
      }),
    ).rejects.toMatchObject({ code: 'RULE_INVALID', message: expect.stringContaining('target') });
    expect(await fx.rules.get('bad.key')).toBeUndefined();
  });
});
