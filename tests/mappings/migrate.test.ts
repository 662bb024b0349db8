import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { syntheticPages } from '../../bench/support/synthetic-pages.js';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import type { IndexDefinition } from '../../mappings/definition.js';
import { keyword, text } from '../../mappings/fields.js';
import { aliasName, INDEX_DEFINITIONS, pagesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

const log = pino({ level: 'silent' });

let engine: EnginePort;
let prefix: string;

beforeAll(async () => {
  engine = await createEngine();
});

afterAll(async () => {
  await engine.close();
});

beforeEach(() => {
  prefix = testPrefix('mig');
});

afterEach(async () => {
  await dropIndices(engine, { prefix });
});

/** A copy of the pages definition with `change` applied to it. */
function changedPages(change: (definition: IndexDefinition) => void): IndexDefinition {
  const copy = structuredClone(pagesDefinition);
  change(copy);
  return copy;
}

async function seedPages(count: number): Promise<void> {
  const alias = aliasName(prefix, 'pages');
  const operations = [...syntheticPages(count)].map((doc) => ({
    op: 'index' as const,
    index: alias,
    id: doc.id,
    doc,
  }));
  const result = await engine.bulk(operations, { refresh: true });
  expect(result.errors).toBe(false);
}

describe('migrate', () => {
  it('on a fresh prefix creates every index behind its alias, and a second run changes nothing', async () => {
    const first = await migrate(engine, { prefix, log });
    expect(first.changed).toBe(true);
    for (const result of first.indices) {
      expect(result).toMatchObject({
        action: 'created',
        index: `${prefix}-${result.name}-v1`,
        templateUpdated: true,
      });
      expect(await engine.getAliasTargets(`${prefix}-${result.name}`)).toEqual([result.index]);
      const template = await engine.getIndexTemplate(`${prefix}-${result.name}`);
      expect(template?.index_patterns).toEqual([`${prefix}-${result.name}-v*`]);
    }

    const second = await migrate(engine, { prefix, log });
    expect(second.changed).toBe(false);
    expect(second.indices.map((i) => [i.name, i.action, i.templateUpdated])).toEqual(
      INDEX_DEFINITIONS.map((d) => [d.name, 'unchanged', false]),
    );
  });

  it('writes through the alias, and the strict mapping refuses a field it does not know', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    await seedPages(3);
    expect(await engine.count(aliasName(prefix, 'pages'))).toBe(3);
    await expect(
      engine.index(aliasName(prefix, 'pages'), 'x', { id: 'x', colour: 'red' }),
    ).rejects.toMatchObject({
      code: 'ENGINE_BAD_REQUEST',
    });
  });

  it('when a field is added, puts the new mapping in place on the same index', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    await seedPages(5);
    const withField = changedPages((d) => {
      d.mappings.properties.price_band = keyword();
    });

    const report = await migrate(engine, { prefix, log, definitions: [withField] });
    expect(report.indices[0]).toMatchObject({ action: 'updated', index: `${prefix}-pages-v1` });
    const mapping = await engine.getMapping(`${prefix}-pages-v1`);
    expect(mapping).toMatchObject({ properties: { price_band: { type: 'keyword' } } });
    await engine.index(
      aliasName(prefix, 'pages'),
      'new',
      { id: 'new', price_band: 'low' },
      { refresh: true },
    );
    expect(await engine.count(aliasName(prefix, 'pages'), { term: { price_band: 'low' } })).toBe(1);

    const again = await migrate(engine, { prefix, log, definitions: [withField] });
    expect(again.indices[0]?.action).toBe('unchanged');
  });

  it('when a field is dropped from the definition, says it stays mapped until the next reindex', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    const withoutLang = changedPages((d) => {
      delete d.mappings.properties.lang;
    });

    const report = await migrate(engine, { prefix, log, definitions: [withoutLang] });
    expect(report.indices[0]).toMatchObject({ action: 'updated', index: `${prefix}-pages-v1` });
    expect(report.indices[0]?.reason).toMatch(/still mapped until a reindex: lang$/);
  });

  it('when two processes migrate a fresh prefix at once, both succeed and one index is created', async () => {
    const runs = await Promise.all([
      migrate(engine, { prefix, log, definitions: [pagesDefinition] }),
      migrate(engine, { prefix, log, definitions: [pagesDefinition] }),
    ]);
    expect(runs.map((r) => r.indices[0]?.index)).toEqual([`${prefix}-pages-v1`, `${prefix}-pages-v1`]);
    expect(await engine.getAliasTargets(aliasName(prefix, 'pages'))).toEqual([`${prefix}-pages-v1`]);
    expect(await engine.indexExists(`${prefix}-pages-v2`)).toBe(false);
  });

  it('when a field changes from keyword to text, reindexes every document into v2 and moves the alias', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    await seedPages(40);
    const langAsText = changedPages((d) => {
      d.mappings.properties.lang = text();
    });

    const report = await migrate(engine, { prefix, log, definitions: [langAsText] });
    expect(report.indices[0]).toMatchObject({
      action: 'reindexed',
      index: `${prefix}-pages-v2`,
      previousIndex: `${prefix}-pages-v1`,
      documents: 40,
    });
    expect(report.indices[0]?.reason).toMatch(/mapping change refused/);
    const alias = aliasName(prefix, 'pages');
    expect(await engine.getAliasTargets(alias)).toEqual([`${prefix}-pages-v2`]);
    expect(await engine.count(alias)).toBe(40);
    expect(await engine.getMapping(`${prefix}-pages-v2`)).toMatchObject({
      properties: { lang: { type: 'text' } },
    });

    await engine.index(alias, 'after', { id: 'after', lang: 'zh' }, { refresh: true });
    expect((await engine.get(`${prefix}-pages-v2`, 'after')).found).toBe(true);
    expect((await migrate(engine, { prefix, log, definitions: [langAsText] })).changed).toBe(false);
  });

  it('when an analyzer changes, reindexes instead of changing the analysis in place', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    await seedPages(10);
    const unigrams = changedPages((d) => {
      const analysis = d.settings.analysis as { analyzer: Record<string, { filter: string[] }> };
      const cjk = analysis.analyzer.text_cjk;
      if (!cjk) throw new Error('no text_cjk analyzer');
      cjk.filter = ['cjk_width', 'lowercase'];
    });

    const report = await migrate(engine, { prefix, log, definitions: [unigrams] });
    expect(report.indices[0]).toMatchObject({
      action: 'reindexed',
      index: `${prefix}-pages-v2`,
      documents: 10,
    });
    expect(report.indices[0]?.reason).toMatch(/settings/);
    const tokens = await engine.analyze({
      index: aliasName(prefix, 'pages'),
      analyzer: 'text_cjk',
      text: '最佳',
    });
    expect(tokens.map((t) => t.token)).toEqual(['最', '佳']);
  });

  it('when the reindex fails, deletes the new index, keeps the alias and loses no document', async () => {
    await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    await seedPages(4);
    const langAsNumber = changedPages((d) => {
      d.mappings.properties.lang = { type: 'integer' };
    });

    await expect(migrate(engine, { prefix, log, definitions: [langAsNumber] })).rejects.toMatchObject({
      code: 'MIGRATION_REINDEX_FAILED',
    });
    expect(await engine.getAliasTargets(aliasName(prefix, 'pages'))).toEqual([`${prefix}-pages-v1`]);
    expect(await engine.indexExists(`${prefix}-pages-v2`)).toBe(false);
    expect(await engine.count(aliasName(prefix, 'pages'))).toBe(4);
  });

  it('when an unaliased v1 is left from an interrupted run, creates v2 and leaves v1 and its documents alone', async () => {
    await engine.createIndex(`${prefix}-pages-v1`);
    await engine.index(`${prefix}-pages-v1`, 'kept', { note: 'not ours to delete' }, { refresh: true });

    const report = await migrate(engine, { prefix, log, definitions: [pagesDefinition] });
    expect(report.indices[0]).toMatchObject({ action: 'created', index: `${prefix}-pages-v2` });
    expect(report.indices[0]?.reason).toMatch(/untouched: .*-pages-v1/);
    expect((await engine.get(`${prefix}-pages-v1`, 'kept')).found).toBe(true);
  });

  it('when a concrete index already holds the alias name, refuses with a clear code', async () => {
    await engine.createIndex(aliasName(prefix, 'pages'));
    try {
      await expect(migrate(engine, { prefix, log, definitions: [pagesDefinition] })).rejects.toMatchObject({
        code: 'MIGRATION_ALIAS_CONFLICT',
      });
    } finally {
      await engine.deleteIndex(aliasName(prefix, 'pages'));
    }
  });
});
