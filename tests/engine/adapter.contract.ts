/**
 * The one contract every engine adapter passes, run against the real local engine. Each test owns the
 * indices named `${prefix}-*` and deletes them afterwards.
 */
import { AppError } from '../../core/errors.js';
import { scanAll } from '../../engine/deep-paging.js';
import { detectFlavour } from '../../engine/index.js';
import type { EnginePort, SearchResult } from '../../engine/port.js';
import { deleteTestIndices, testEngineUrl } from '../support/engine.js';
import { testPrefix } from '../support/ids.js';
import {
  closedPort,
  indexOps,
  PAGES_TO_CHECK,
  PRODUCT_DOCS,
  PRODUCTS,
  RULE_DOCS,
  RULES,
  SMALL,
} from './contract-fixtures.js';

export interface ContractOptions {
  /** Builds the adapter under test for an engine base URL. */
  create(url: string): EnginePort;
  /** Whether the adapter's point-in-time endpoint exists on the engine under test. */
  pointInTime: boolean;
}

export function engineContract(name: string, options: ContractOptions): void {
  describe(`${name} adapter contract`, () => {
    let engine: EnginePort;
    let prefix: string;

    beforeAll(() => {
      engine = options.create(testEngineUrl());
    });
    afterAll(() => engine.close());
    beforeEach(() => {
      prefix = testPrefix('ct');
    });
    afterEach(() => deleteTestIndices(prefix, engine));

    async function products(): Promise<string> {
      const index = `${prefix}-products`;
      await engine.createIndex(index, PRODUCTS);
      const result = await engine.bulk(indexOps(index, PRODUCT_DOCS), { refresh: true });
      expect(result.errors).toBe(false);
      return index;
    }

    it('reports the flavour and version the server announces, and a usable health', async () => {
      const info = await engine.info();
      expect(info.flavour).toBe(await detectFlavour(testEngineUrl()));
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.clusterName).not.toBe('');
      const health = await engine.health({ waitForStatus: 'yellow', timeoutMs: 10_000 });
      expect(['green', 'yellow']).toContain(health.status);
      expect(health.numberOfNodes).toBeGreaterThanOrEqual(1);
      expect(health.timedOut).toBe(false);
    });

    it('applies an index template to new indices and swaps an alias atomically', async () => {
      const template = `${prefix}-tpl`;
      const [v1, v2, alias] = [`${prefix}-pages-v1`, `${prefix}-pages-v2`, `${prefix}-pages`];
      await engine.putIndexTemplate(template, {
        index_patterns: [`${prefix}-pages-*`],
        template: { settings: SMALL, mappings: PRODUCTS.mappings },
      });
      try {
        expect(await engine.getIndexTemplate(template)).toMatchObject({
          index_patterns: [`${prefix}-pages-*`],
        });
        expect(await engine.getIndexTemplate(`${prefix}-none`)).toBeUndefined();
        await engine.createIndex(v1);
        expect(await engine.getMapping(v1)).toMatchObject({
          dynamic: 'strict',
          properties: { id: { type: 'keyword' } },
        });
        expect(await engine.getSettings(v1)).toMatchObject({ index: { number_of_shards: '1' } });
        await engine.updateAliases([{ add: { index: v1, alias, isWriteIndex: true } }]);
        await engine.index(alias, 'a', { id: 'a', title: 'written through the alias' }, { refresh: true });

        await engine.createIndex(v2);
        await engine.putMapping(v2, { properties: { lang: { type: 'keyword' } } });
        expect(await engine.getMapping(v2)).toMatchObject({ properties: { lang: { type: 'keyword' } } });
        expect(await engine.reindex(v1, v2)).toMatchObject({ total: 1, affected: 1, versionConflicts: 0 });

        // One bad action fails the whole request and leaves the alias untouched.
        const broken = engine.updateAliases([
          { remove: { index: v1, alias } },
          { add: { index: `${prefix}-missing`, alias } },
        ]);
        await expect(broken).rejects.toBeInstanceOf(AppError);
        expect(await engine.getAliasTargets(alias)).toEqual([v1]);

        await engine.updateAliases([
          { remove: { index: v1, alias } },
          { add: { index: v2, alias, isWriteIndex: true } },
        ]);
        expect(await engine.getAliasTargets(alias)).toEqual([v2]);
        expect(await engine.getAliasTargets(`${prefix}-nothing`)).toEqual([]);
        expect(await engine.count(alias)).toBe(1);

        expect(await engine.indexExists(v1)).toBe(true);
        await engine.deleteIndex(v1);
        expect(await engine.indexExists(v1)).toBe(false);
        await expect(engine.deleteIndex(v1)).resolves.toBeUndefined();
      } finally {
        await engine.deleteIndexTemplate(template);
      }
      expect(await engine.getIndexTemplate(template)).toBeUndefined();
    });

    it('answers a bulk with one result per operation in order, storing the good ones when others fail', async () => {
      const index = `${prefix}-products`;
      await engine.createIndex(index, PRODUCTS);
      const result = await engine.bulk(
        [
          { op: 'index', index, id: '1', doc: { id: '1', title: 'one' } },
          {
            op: 'index',
            index,
            id: '2',
            doc: { id: '2', title: 'two', unknown: 'rejected by strict mapping' },
          },
          { op: 'create', index, id: '1', doc: { id: '1', title: 'again' } },
          { op: 'update', index, id: '3', doc: { title: 'no such document' } },
          { op: 'create', index, id: '4', doc: { id: '4', title: 'four' } },
          { op: 'delete', index, id: '4' },
          { op: 'update', index, id: '1', doc: { title: 'one, updated' } },
        ],
        { refresh: true },
      );
      expect(result.errors).toBe(true);
      expect(result.items.map((i) => [i.op, i.id, i.status, i.ok])).toEqual([
        ['index', '1', 201, true],
        ['index', '2', 400, false],
        ['create', '1', 409, false],
        ['update', '3', 404, false],
        ['create', '4', 201, true],
        ['delete', '4', 200, true],
        ['update', '1', 200, true],
      ]);
      expect(result.items[1]?.error?.type).toBe('strict_dynamic_mapping_exception');
      expect(result.items[2]?.error?.type).toBe('version_conflict_engine_exception');
      expect(result.items[5]?.result).toBe('deleted');
      for (const item of result.items.filter((i) => i.ok)) {
        expect(item.seqNo).toEqual(expect.any(Number));
        expect(item.primaryTerm).toEqual(expect.any(Number));
      }
      expect(await engine.count(index)).toBe(1);
      expect((await engine.get(index, '1')).source).toEqual({ id: '1', title: 'one, updated' });
      expect(await engine.bulk([])).toEqual({ tookMs: 0, errors: false, items: [] });
    });

    it('searches with highlight, aggregations, sort and source filtering', async () => {
      const index = await products();
      const result = await engine.search<{ title: string }>({
        index,
        query: { match: { title: 'phone' } },
        sort: [{ price: 'desc' }],
        highlight: { fields: { title: {} } },
        aggs: { categories: { terms: { field: 'category' } } },
        source: ['title'],
        seqNoPrimaryTerm: true,
      });
      expect(result.total).toBe(4);
      expect(result.hits.map((h) => h.id)).toEqual(['p2', 'p5', 'p3', 'p1']);
      expect(result.hits[0]?.source).toEqual({ title: 'smart phone pro' });
      expect(result.hits[0]?.sort).toEqual([900]);
      expect(result.hits[0]?.highlight?.title?.[0]).toContain('<em>phone</em>');
      expect(result.hits[0]?.seqNo).toEqual(expect.any(Number));
      const buckets = (
        result.aggregations?.categories as { buckets: Array<{ key: string; doc_count: number }> }
      ).buckets;
      expect(buckets).toEqual([
        { key: 'accessory', doc_count: 2 },
        { key: 'phone', doc_count: 2 },
      ]);
      const paged = await engine.search({ index, sort: [{ id: 'asc' }], size: 2, from: 2 });
      expect(paged.hits.map((h) => h.id)).toEqual(['p3', 'p4']);
      expect(await engine.count(index)).toBe(5);
      expect(await engine.count(index, { term: { category: 'phone' } })).toBe(2);
    });

    it('answers msearch per request, an error in place of each bad one', async () => {
      const index = await products();
      const results = await engine.msearch([
        { index, query: { term: { category: 'phone' } } },
        { index: `${prefix}-missing`, query: { match_all: {} } },
        { index, query: { query_string: { query: 'title:(' } } },
      ]);
      expect((results[0] as SearchResult).total).toBe(2);
      expect(results[1]).toMatchObject({ code: 'ENGINE_NOT_FOUND' });
      expect(results[2]).toMatchObject({
        code: 'ENGINE_BAD_REQUEST',
        details: { type: 'query_shard_exception' },
      });
      // A body the engine cannot even parse fails the whole _msearch; the adapter still answers per request.
      const parsed = await engine.msearch([{ index, query: { nope: {} } }, { index }]);
      expect(parsed[0]).toMatchObject({
        code: 'ENGINE_BAD_REQUEST',
        details: { reason: 'unknown query [nope]' },
      });
      expect((parsed[1] as SearchResult).total).toBe(5);
    });

    it('gets and mgets documents, reporting missing ids as not found', async () => {
      const index = await products();
      const one = await engine.get(index, 'p1');
      expect(one).toMatchObject({ index, id: 'p1', found: true, source: PRODUCT_DOCS[0] });
      expect(one.seqNo).toEqual(expect.any(Number));
      expect(await engine.get(index, 'nope')).toEqual({ index, id: 'nope', found: false });
      const many = await engine.mget(index, ['p2', 'nope', 'p3']);
      expect(many.map((d) => [d.id, d.found])).toEqual([
        ['p2', true],
        ['nope', false],
        ['p3', true],
      ]);
      await expect(engine.get(`${prefix}-missing`, 'p1')).rejects.toMatchObject({ code: 'ENGINE_NOT_FOUND' });
      const awkward = 'https://shop.example.cn/商品 1?a=b&c=%2F#top';
      await engine.index(index, awkward, { id: awkward, title: 'id with reserved characters' });
      expect(await engine.get(index, awkward)).toMatchObject({
        id: awkward,
        found: true,
        source: { id: awkward },
      });
      expect(await engine.delete(index, awkward)).toBe(true);
    });

    it('when a guard is stale, refuses the write with ENGINE_VERSION_CONFLICT', async () => {
      const index = `${prefix}-products`;
      await engine.createIndex(index, PRODUCTS);
      const first = await engine.index(index, 'x', { id: 'x', title: 'v1' });
      const guard = { ifSeqNo: first.seqNo, ifPrimaryTerm: first.primaryTerm };
      const second = await engine.update(index, 'x', { doc: { title: 'v2' } }, { guard });
      expect(second.seqNo).toBeGreaterThan(first.seqNo);
      const conflict = { code: 'ENGINE_VERSION_CONFLICT', httpStatus: 409, retryable: false };
      await expect(engine.update(index, 'x', { doc: { title: 'v3' } }, { guard })).rejects.toMatchObject(
        conflict,
      );
      await expect(engine.index(index, 'x', { id: 'x', title: 'v3' }, { guard })).rejects.toMatchObject(
        conflict,
      );
      await expect(engine.delete(index, 'x', { guard })).rejects.toMatchObject(conflict);
      await expect(engine.index(index, 'x', { id: 'x' }, { createOnly: true })).rejects.toMatchObject(
        conflict,
      );
      expect((await engine.get(index, 'x')).source).toEqual({ id: 'x', title: 'v2' });
      const current = { ifSeqNo: second.seqNo, ifPrimaryTerm: second.primaryTerm };
      expect(await engine.delete(index, 'x', { guard: current })).toBe(true);
      expect(await engine.delete(index, 'x')).toBe(false);
    });

    it('deletes and updates by query', async () => {
      const index = await products();
      const script = { source: 'ctx._source.flagged = params.flag', params: { flag: true } };
      const updated = await engine.updateByQuery(index, { term: { category: 'phone' } }, script, {
        refresh: true,
      });
      expect(updated).toMatchObject({ total: 2, affected: 2, versionConflicts: 0, failures: [] });
      expect(await engine.count(index, { term: { flagged: true } })).toBe(2);
      const deleted = await engine.deleteByQuery(
        index,
        { term: { category: 'accessory' } },
        { refresh: true },
      );
      expect(deleted).toMatchObject({ total: 2, affected: 2 });
      expect(await engine.count(index)).toBe(3);
    });

    it('analyzes text with built-in and index analyzers', async () => {
      const tokens = await engine.analyze({ text: 'Hello World', analyzer: 'standard' });
      expect(tokens).toEqual([
        { token: 'hello', startOffset: 0, endOffset: 5, type: '<ALPHANUM>', position: 0 },
        { token: 'world', startOffset: 6, endOffset: 11, type: '<ALPHANUM>', position: 1 },
      ]);
      const index = `${prefix}-rules`;
      await engine.createIndex(index, RULES);
      const cjk = await engine.analyze({ index, field: 'text', text: '国家级' });
      expect(cjk.map((t) => t.token)).toEqual(['国家', '家级']);
    });

    it('percolates several documents at once, with the slots each query matched', async () => {
      const index = `${prefix}-rules`;
      await engine.createIndex(index, RULES);
      await engine.bulk(indexOps(index, RULE_DOCS), { refresh: true });
      const result = await engine.percolate<{ id: string }>({
        index,
        field: 'query',
        documents: PAGES_TO_CHECK,
        filter: { term: { enabled: true } },
      });
      const matched = Object.fromEntries(result.hits.map((h) => [h.id, h.slots]));
      expect(matched).toEqual({ superlative: [0, 2], national: [2] });
      await expect(engine.percolate({ index, field: 'query', documents: [] })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });

    it(`opens a point in time ${options.pointInTime ? 'to page a frozen view' : 'only where the engine has one'}`, async () => {
      const index = await products();
      const pit = await engine.openPointInTime(index, '1m');
      if (!options.pointInTime) {
        expect(pit).toBeUndefined();
        return;
      }
      expect(pit).toEqual(expect.any(String));
      try {
        await engine.index(
          index,
          'late',
          { id: 'late', title: 'after the point in time' },
          { refresh: true },
        );
        const page = await engine.search({
          pit: { id: pit!, keepAlive: '1m' },
          sort: [{ id: 'asc' }],
          size: 10,
        });
        expect(page.hits.map((h) => h.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
        expect(page.pitId).toEqual(expect.any(String));
      } finally {
        await engine.closePointInTime(pit!);
      }
      await expect(engine.closePointInTime(pit!)).resolves.toBeUndefined();
    });

    it('deep-pages 2,500 documents, returning each exactly once', async () => {
      const index = `${prefix}-many`;
      await engine.createIndex(index, PRODUCTS);
      const docs = Array.from({ length: 2500 }, (_, i) => ({ id: `d${i}`, title: 'item', price: i % 7 }));
      expect((await engine.bulk(indexOps(index, docs), { refresh: true })).errors).toBe(false);
      const seen: string[] = [];
      for await (const hit of scanAll(engine, { index, sort: [{ price: 'asc' }] }, { pageSize: 300 })) {
        seen.push(hit.id);
      }
      expect(seen).toHaveLength(2500);
      expect(new Set(seen).size).toBe(2500);
    });

    it('when the query is malformed, fails with ENGINE_BAD_REQUEST and the engine reason', async () => {
      const index = await products();
      const error = await engine.search({ index, query: { nope: {} } }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'ENGINE_BAD_REQUEST',
        httpStatus: 400,
        retryable: false,
        details: { type: 'parsing_exception', reason: 'unknown query [nope]' },
      });
      await expect(engine.search({ index: `${prefix}-missing` })).rejects.toMatchObject({
        code: 'ENGINE_NOT_FOUND',
      });
    });

    it('when the engine is unreachable, fails with retryable ENGINE_UNAVAILABLE', async () => {
      const down = options.create(`http://127.0.0.1:${await closedPort()}`);
      try {
        await expect(down.info()).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE', retryable: true });
        await expect(down.search({ index: 'x' })).rejects.toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
      } finally {
        await down.close();
      }
    });
  });
}
