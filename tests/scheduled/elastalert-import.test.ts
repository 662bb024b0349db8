import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  formatImportReport,
  importElastAlertRules,
  type ImportedRule,
} from '../../indexer/match/elastalert/elastalert-import.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { scheduledFixture, type ScheduledFixture } from './support.js';

const FIXTURES = join(process.cwd(), 'tests/fixtures/elastalert');
const fixture = (name: string): Promise<string> => readFile(join(FIXTURES, name), 'utf8');

let fx: ScheduledFixture;

const bySource = (results: ImportedRule[], source: string): ImportedRule => {
  const found = results.find((r) => r.source === source);
  if (!found) throw new Error(`no result for ${source}`);
  return found;
};
const unmappedFields = (r: ImportedRule): string[] => r.unmapped.map((i) => i.field).sort();

beforeAll(async () => {
  fx = await scheduledFixture('elastalert');
});

afterAll(async () => {
  await fx.drop();
});

describe('argus rules import (ElastAlert2)', () => {
  it('with --dry-run, maps frequency and any rules, reports what it could not map, and saves nothing', async () => {
    const results = await importElastAlertRules(fx.rules, await fixture('frequency-and-any.yaml'), {
      dryRun: true,
    });
    expect(results.map((r) => r.status)).toEqual(['valid', 'valid']);
    const frequency = bySource(results, 'Absolute terms burst on one site');
    expect(frequency.input).toMatchObject({
      id: 'elastalert.absolute-terms-burst-on-one-site',
      target: 'pages',
      query: '最佳 OR 顶级',
      severity: 'high',
      tags: ['elastalert', 'channel:email'],
      schedule: {
        type: 'frequency',
        num_events: 3,
        timeframe_ms: 3_600_000,
        query_key: 'site',
        realert_ms: 1_800_000,
      },
    });
    expect(unmappedFields(frequency)).toEqual(
      [
        'alert',
        'alert_subject',
        'alert_subject_args',
        'email',
        'es_host',
        'es_port',
        'from_addr',
        'smtp_host',
        'smtp_port',
      ].sort(),
    );
    const any = bySource(results, 'Health claim in an ad');
    expect(any.input).toMatchObject({ target: 'ads', severity: 'critical' });
    expect(any.input?.schedule).toBeUndefined();
    expect(unmappedFields(any)).toEqual(['alert', 'http_post_static_payload', 'http_post_url', 'realert']);
    expect(any.unmapped.find((i) => i.field === 'realert')?.reason).toContain('real-time');
    expect(await fx.rules.get('elastalert.absolute-terms-burst-on-one-site')).toBeUndefined();
    expect(formatImportReport(results, true)).toContain('(dry run: nothing saved)');
  });

  it('saves spike, flatline, new_term and cardinality rules as scheduled rules, and updates them on a second import', async () => {
    const text =
      (await fixture('spike-flatline.yaml')) + '\n---\n' + (await fixture('new-term-cardinality.yaml'));
    const first = await importElastAlertRules(fx.rules, text, { actor: 'test' });
    expect(first.map((r) => [r.source, r.status])).toEqual([
      ['Promotion pages surge', 'created'],
      ['Site stopped answering', 'created'],
      ['New advertiser domain', 'created'],
      ['One creative on many sites', 'created'],
    ]);
    const spike = await fx.rules.require('elastalert.promotion-pages-surge');
    expect(spike.rule.schedule).toMatchObject({
      type: 'spike',
      spike_height: 3,
      spike_type: 'up',
      threshold_cur: 5,
      timeframe_ms: 7_200_000,
    });
    const flatline = await fx.rules.require('elastalert.site-stopped-answering');
    expect(flatline.rule.schedule).toMatchObject({
      type: 'flatline',
      threshold: 1,
      timeframe_ms: 86_400_000,
    });
    expect(flatline.rule.query).toEqual({ range: { status: { gte: 200, lt: 400 } } });
    const newTerm = await fx.rules.require('elastalert.new-advertiser-domain');
    expect(newTerm.rule).toMatchObject({
      target: 'ads',
      schedule: { type: 'new_term', field: 'landing_domain.keyword', lookback_ms: 30 * 86_400_000 },
    });
    expect(bySource(first, 'New advertiser domain').unmapped.map((i) => i.field)).toContain('timeframe');
    const cardinality = await fx.rules.require('elastalert.one-creative-on-many-sites');
    expect(cardinality.rule.schedule).toMatchObject({
      type: 'cardinality',
      query_key: 'image_src',
      cardinality_field: 'sites',
      max_cardinality: 5,
      time_field: 'last_seen',
    });

    const again = await importElastAlertRules(fx.rules, text, { actor: 'test' });
    expect(again.map((r) => r.status)).toEqual(['updated', 'updated', 'updated', 'updated']);
    expect((await fx.rules.require('elastalert.promotion-pages-surge')).rule.version).toBe(2);
  });

  it('an imported any rule matches on ingest like any real-time rule', async () => {
    await importElastAlertRules(fx.rules, await fixture('frequency-and-any.yaml'), { actor: 'test' });
    const matcher = new Matcher(fx.engine, { prefix: fx.prefix, alerts: fx.alerts });
    const hit = await matcher.onIndexed(
      { id: 'ad-1', creative_text: '三天根治失眠', category: 'health', sites: ['a.test'] },
      'ad',
    );
    expect(hit.ruleIds).toEqual(['elastalert.health-claim-in-an-ad']);
    const miss = await matcher.onIndexed(
      { id: 'ad-2', creative_text: '三天根治失眠', category: 'food' },
      'ad',
    );
    expect(miss.ruleIds).toEqual([]);
  });

  it('refuses types without an Argus counterpart, unknown fields and nameless rules, saying why', async () => {
    const results = await importElastAlertRules(fx.rules, await fixture('unsupported.yaml'), {
      actor: 'test',
    });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(bySource(results, 'Country change').error).toContain('type "change" has no Argus counterpart');
    const logs = bySource(results, 'Example frequency rule');
    expect(logs.error).toMatch(/RULE_INVALID.*some_field/);
    expect(logs.unmapped.find((i) => i.field === 'index')?.reason).toContain(
      '"logstash-*" is not an Argus index',
    );
    expect(bySource(results, 'Blacklisted words').error).toContain('"blacklist"');
    expect(bySource(results, 'document 4').error).toBe('it has no name');
    expect(await fx.rules.get('elastalert.example-frequency-rule')).toBeUndefined();
  });

  it('a YAML syntax error stops the import before anything is saved', async () => {
    await expect(
      importElastAlertRules(fx.rules, 'name: Broken\ntype: any\nfilter: [unclosed', { actor: 'test' }),
    ).rejects.toThrow(/YAML/);
  });
});
