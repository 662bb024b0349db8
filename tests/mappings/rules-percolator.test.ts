import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { syntheticPage } from '../../bench/support/synthetic-pages.js';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { aliasName, RULE_QUERY_FIELD, rulesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

let engine: EnginePort;
let prefix: string;
let rules: string;

beforeAll(async () => {
  engine = await createEngine();
  prefix = testPrefix('perc');
  rules = aliasName(prefix, 'rules');
  await migrate(engine, { prefix, definitions: [rulesDefinition], log: pino({ level: 'silent' }) });
  const rule = (id: string, query: object): Record<string, unknown> => ({
    id,
    name: id,
    [RULE_QUERY_FIELD]: query,
    target: 'pages',
    severity: 'high',
    enabled: true,
    version: 1,
  });
  const result = await engine.bulk(
    [
      {
        op: 'index',
        index: rules,
        id: 'superlative',
        doc: rule('superlative', { match_phrase: { text: '最佳' } }),
      },
      { op: 'index', index: rules, id: 'host', doc: rule('host', { term: { host: 'example.com.cn' } }) },
    ],
    { refresh: true },
  );
  expect(result.errors).toBe(false);
});

afterAll(async () => {
  await dropIndices(engine, { prefix, definitions: [rulesDefinition] });
  await engine.close();
});

describe('rules index (percolator)', () => {
  it('when a page says 最佳, exactly the 最佳 rule matches it', async () => {
    const page = { ...syntheticPage(1), text: '本店国家级最佳产品', host: 'shop.other.cn' };
    const result = await engine.percolate({ index: rules, field: RULE_QUERY_FIELD, documents: [page] });
    expect(result.hits.map((h) => [h.id, h.slots])).toEqual([['superlative', [0]]]);
  });

  it('when several pages are percolated at once, slots say which page each rule matched', async () => {
    const plain = { id: 'a', text: '普通商品', host: 'shop.example.com.cn' };
    const superlative = { id: 'b', text: '最佳', host: 'other.cn' };
    const result = await engine.percolate({
      index: rules,
      field: RULE_QUERY_FIELD,
      documents: [plain, superlative],
    });
    const slots = Object.fromEntries(result.hits.map((h) => [h.id, h.slots]));
    expect(slots).toEqual({ host: [0], superlative: [1] });
  });

  it('refuses to save a rule that queries a field no page or ad has', async () => {
    const doc = { id: 'bad', [RULE_QUERY_FIELD]: { term: { no_such_field: 'x' } } };
    await expect(engine.index(rules, 'bad', doc)).rejects.toMatchObject({ code: 'ENGINE_BAD_REQUEST' });
  });
});
