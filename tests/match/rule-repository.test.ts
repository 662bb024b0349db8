import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { RULE_QUERY_FIELD } from '../../mappings/index.js';
import { loadRulePack, readRulePack } from '../../rules/loader.js';
import { matchFixture, type MatchFixture } from './support.js';

let fx: MatchFixture;
let repo: RuleRepository;

beforeAll(async () => {
  fx = await matchFixture('rules');
  repo = new RuleRepository(fx.engine, { prefix: fx.prefix });
});
afterAll(async () => fx.drop());

const superlative = {
  id: 'zui-jia',
  name: '最佳',
  target: 'pages' as const,
  query: { match_phrase: { text: '最佳' } },
  severity: 'high' as const,
  category: 'ad_law_absolute',
  legal_basis: '《广告法》第九条第三项',
};

describe('rule repository', () => {
  it('creates a rule as a percolator document and reads it back at version 1', async () => {
    const created = await repo.create(superlative, { actor: 'alice' });
    expect(created.rule).toMatchObject({
      id: 'zui-jia',
      version: 1,
      enabled: true,
      tags: [],
      created_by: 'alice',
    });
    const stored = await repo.require('zui-jia');
    expect(stored.rule.query).toEqual({ match_phrase: { text: '最佳' } });
    const hits = await fx.engine.percolate({
      index: repo.rulesIndex,
      field: 'query',
      documents: [{ text: '效果最佳' }],
    });
    expect(hits.hits.map((h) => h.id)).toEqual(['zui-jia']);
  });

  it('refuses a second rule with the same id', async () => {
    await expect(repo.create(superlative, { actor: 'bob' })).rejects.toMatchObject({
      code: 'RULE_EXISTS',
      httpStatus: 409,
    });
  });

  it('updates, disables and enables with a version history saying who changed what', async () => {
    await repo.update(
      'zui-jia',
      { severity: 'critical', query: { match_phrase: { text: '最佳产品' } } },
      { actor: 'bob', expectedVersion: 1 },
    );
    await repo.disable('zui-jia', { actor: 'carol' });
    const enabled = await repo.enable('zui-jia', { actor: 'dave' });
    expect(enabled.rule).toMatchObject({
      version: 4,
      enabled: true,
      severity: 'critical',
      updated_by: 'dave',
    });
    const versions = await repo.versions('zui-jia');
    expect(versions.map((v) => [v.version, v.action, v.actor])).toEqual([
      [4, 'enable', 'dave'],
      [3, 'disable', 'carol'],
      [2, 'update', 'bob'],
      [1, 'create', 'alice'],
    ]);
    expect(versions[2]?.changed_fields).toEqual(['query', 'query_source', 'severity']);
    expect(versions[3]?.snapshot.severity).toBe('high');
  });

  it('when an editor saves from a stale version, the update is refused with 409', async () => {
    await expect(
      repo.update('zui-jia', { name: 'x' }, { actor: 'eve', expectedVersion: 2 }),
    ).rejects.toMatchObject({
      code: 'ENGINE_VERSION_CONFLICT',
      httpStatus: 409,
    });
    const stale = await repo.require('zui-jia');
    await repo.update('zui-jia', { name: 'first writer' }, { actor: 'frank' });
    await expect(
      repo.update(
        'zui-jia',
        { name: 'second writer' },
        { actor: 'gina', guard: { ifSeqNo: stale.seqNo, ifPrimaryTerm: stale.primaryTerm } },
      ),
    ).rejects.toMatchObject({ code: 'ENGINE_VERSION_CONFLICT' });
    expect((await repo.require('zui-jia')).rule.name).toBe('first writer');
  });

  it('refuses bad rules with RULE_INVALID and saves nothing', async () => {
    const bad = [
      { ...superlative, id: 'unknown-field', query: { term: { no_such_field: 'x' } } },
      { ...superlative, id: 'scripted', query: { script: { script: { source: 'true' } } } },
      { ...superlative, id: 'Bad Id' },
      { ...superlative, id: 'no-severity', severity: 'urgent' },
    ];
    for (const rule of bad) {
      await expect(repo.create(rule as typeof superlative, { actor: 'x' })).rejects.toMatchObject({
        code: 'RULE_INVALID',
        httpStatus: 400,
      });
    }
    expect(await repo.get('unknown-field')).toBeUndefined();
    expect(await repo.get('scripted')).toBeUndefined();
  });

  it('lists rules by target and enabled state', async () => {
    await repo.create(
      {
        ...superlative,
        id: 'ad-only',
        target: 'ads',
        query: { match_phrase: { creative_text: '最佳' } },
        enabled: false,
      },
      { actor: 'x' },
    );
    const ads = await repo.list({ target: 'ads' });
    expect(ads.rules.map((r) => r.id)).toEqual(['ad-only']);
    const enabled = await repo.list({ enabled: true });
    expect(enabled.rules.map((r) => r.id)).toEqual(['zui-jia']);
  });
});

describe('built-in rule pack', () => {
  it('reads every pack rule with a legal basis, severity and category', async () => {
    const pack = await readRulePack();
    expect(pack.map((r) => r.category).sort()).toEqual(
      expect.arrayContaining([
        'ad_law_absolute',
        'false_health_claim',
        'missing_licence',
        'misleading_price',
      ]),
    );
    for (const rule of pack) expect(rule.legal_basis).toMatch(/《.+》第/);
  });

  it('loads idempotently and keeps a user’s disable and the version history', async () => {
    const first = await loadRulePack(repo);
    expect(first.created.length).toBeGreaterThanOrEqual(6);
    await repo.disable('builtin.ad-law.absolute-terms.pages', { actor: 'inspector' });
    const second = await loadRulePack(repo);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged.sort()).toEqual(first.created.sort());
    const rule = await repo.require('builtin.ad-law.absolute-terms.pages');
    expect(rule.rule).toMatchObject({ enabled: false, version: 2 });
    expect((await repo.versions(rule.rule.id)).map((v) => v.action)).toEqual(['disable', 'create']);
  });

  it('recompile brings a rule saved by an older compiler up to date, as a new version, once', async () => {
    const created = await repo.create(
      { ...superlative, id: 'tobacco', name: '烟', query: '烟' },
      { actor: 'alice' },
    );
    // As saved before lone CJK characters searched the .en twins: the bigram fields alone.
    const stale = {
      multi_match: { query: '烟', type: 'phrase', fields: ['title^2', 'text', 'description'] },
    };
    await fx.engine.index(
      repo.rulesIndex,
      'tobacco',
      { ...created.rule, [RULE_QUERY_FIELD]: stale },
      { refresh: true },
    );
    const percolate = () =>
      fx.engine.percolate({
        index: repo.rulesIndex,
        field: RULE_QUERY_FIELD,
        documents: [{ text: '本店香烟' }],
      });
    expect((await percolate()).hits.map((h) => h.id)).not.toContain('tobacco');

    const first = await repo.recompile({ actor: 'upgrade' });
    expect(first.changed).toEqual(['tobacco']);
    expect((await percolate()).hits.map((h) => h.id)).toContain('tobacco');
    const stored = await repo.require('tobacco');
    expect(stored.rule).toMatchObject({ version: 2, updated_by: 'upgrade' });
    expect((await repo.versions('tobacco')).map((v) => v.action)).toEqual(['recompile', 'create']);

    const second = await repo.recompile({ actor: 'upgrade' });
    expect(second.changed).toEqual([]);
    expect(second.unchanged).toContain('tobacco');
  });
});
