/** scanAll over the real engine: points in time are closed however the loop ends. */
import { scanAll } from '../../engine/deep-paging.js';
import type { EnginePort, SearchHit } from '../../engine/port.js';
import { deleteTestIndices, testEngine } from '../support/engine.js';
import { testPrefix } from '../support/ids.js';
import { indexOps, PRODUCTS } from './contract-fixtures.js';

type Recording = EnginePort & { opened: string[]; closed: string[] };

/** The real engine, noting which points in time were opened and closed (optionally pretending it has none). */
function recording(engine: EnginePort, options: { pointInTime: boolean }): Recording {
  const opened: string[] = [];
  const closed: string[] = [];
  return Object.create(engine, {
    opened: { value: opened },
    closed: { value: closed },
    openPointInTime: {
      value: async (index: string, keepAlive: string) => {
        opened.push(index);
        return options.pointInTime ? engine.openPointInTime(index, keepAlive) : undefined;
      },
    },
    closePointInTime: {
      value: async (id: string) => {
        closed.push(id);
        await engine.closePointInTime(id);
      },
    },
  }) as Recording;
}

async function collect<T>(hits: AsyncIterable<SearchHit<T>>, limit = Infinity): Promise<SearchHit<T>[]> {
  const out: SearchHit<T>[] = [];
  for await (const hit of hits) {
    out.push(hit);
    if (out.length >= limit) break;
  }
  return out;
}

describe('scanAll', () => {
  const engine = testEngine();
  let prefix: string;
  let index: string;

  beforeAll(async () => {
    prefix = testPrefix('scan');
    index = `${prefix}-items`;
    await engine.createIndex(index, PRODUCTS);
    const docs = Array.from({ length: 250 }, (_, i) => ({
      id: `i${String(i).padStart(3, '0')}`,
      price: i % 3,
    }));
    await engine.bulk(indexOps(index, docs), { refresh: true });
  });
  afterAll(async () => {
    await deleteTestIndices(prefix, engine);
    await engine.close();
  });

  it('yields hits in the requested order, ties broken by id, and closes the point in time', async () => {
    const spy = recording(engine, { pointInTime: true });
    const hits = await collect(
      scanAll<{ price: number }>(spy, { index, sort: [{ price: 'desc' }] }, { pageSize: 40 }),
    );
    expect(hits).toHaveLength(250);
    expect(spy.opened).toEqual([index]);
    const keys = hits.map((h) => [h.source.price, h.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
    expect(keys).toEqual(sorted);
    expect(spy.closed).toHaveLength(1);
    const stale = engine.search({ pit: { id: spy.closed[0]!, keepAlive: '1m' } });
    await expect(stale).rejects.toMatchObject({
      code: expect.stringMatching(/^ENGINE_(NOT_FOUND|BAD_REQUEST)$/),
    });
  });

  it('when the consumer stops early, still closes the point in time', async () => {
    const spy = recording(engine, { pointInTime: true });
    expect(await collect(scanAll(spy, { index }, { pageSize: 10 }), 15)).toHaveLength(15);
    expect(spy.closed).toHaveLength(1);
  });

  it('when the engine has no point in time, pages with search_after on the index', async () => {
    const spy = recording(engine, { pointInTime: false });
    const hits = await collect(scanAll(spy, { index, query: { term: { price: 1 } } }, { pageSize: 30 }));
    expect(hits).toHaveLength(83);
    expect(new Set(hits.map((h) => h.id)).size).toBe(83);
    expect(spy.closed).toEqual([]);
  });

  it('when nothing matches, yields nothing', async () => {
    expect(await collect(scanAll(engine, { index, query: { term: { price: 9 } } }))).toEqual([]);
  });

  it.each([
    [{ from: 10 }, {}],
    [{ searchAfter: [1] }, {}],
    [{}, { pageSize: 0 }],
    [{}, { keepAlive: 'forever' }],
  ])('rejects paging it would get wrong (%j %j) before opening anything', async (request, options) => {
    const spy = recording(engine, { pointInTime: true });
    await expect(collect(scanAll(spy, { index, ...request }, options))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(spy.opened).toEqual([]);
  });
});
