import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aliasName } from '../../mappings/index.js';
import { scopeFilter } from '../../registry/scope.js';
import { registryFixture, type RegistryFixture } from './registry-fixture.js';

describe('jurisdiction tree', () => {
  let fx: RegistryFixture;

  beforeAll(async () => {
    fx = await registryFixture('jtree', false);
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  it('builds city → county → station → grid and gives a grid a ref with all four levels', async () => {
    const { tree } = fx;
    await tree.create({ id: '3301', level: 'city', name: '杭州市', parent_id: null });
    await tree.create({ id: '330106', level: 'county', name: '西湖区', parent_id: '3301' });
    await tree.create({ id: '330106-01', level: 'station', name: '西溪所', parent_id: '330106' });
    await tree.create({ id: '330106-01-g01', level: 'grid', name: '一网格', parent_id: '330106-01' });
    expect(await tree.refOf('330106-01-g01')).toEqual({
      city: '3301',
      county: '330106',
      station: '330106-01',
      grid: '330106-01-g01',
    });
    expect(await tree.refOf('330106')).toEqual({ city: '3301', county: '330106' });
    expect((await tree.ancestors('330106-01-g01')).map((n) => n.id)).toEqual(['3301', '330106', '330106-01']);
    expect((await tree.descendants('330106')).map((n) => n.id)).toEqual(['330106-01', '330106-01-g01']);
    expect(await tree.ancestors('3301')).toEqual([]);
  });

  it('refuses a station under the city, a grid without parent, an unknown parent, a bad id and name', async () => {
    const { tree } = fx;
    await expect(
      tree.create({ id: 'x1', level: 'station', name: 'x', parent_id: '3301' }),
    ).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
      httpStatus: 400,
      details: { problems: [{ field: 'parent_id', reason: expect.stringContaining('must be a county') }] },
    });
    await expect(tree.create({ id: 'x2', level: 'grid', name: 'x', parent_id: null })).rejects.toMatchObject({
      details: { problems: [{ field: 'parent_id', reason: 'a grid needs a parent station' }] },
    });
    await expect(
      tree.create({ id: 'x3', level: 'county', name: 'x', parent_id: 'nowhere' }),
    ).rejects.toMatchObject({
      details: { problems: [{ field: 'parent_id', reason: 'no node "nowhere"' }] },
    });
    await expect(
      tree.create({ id: 'bad id', level: 'city', name: ' ', parent_id: null }),
    ).rejects.toMatchObject({
      details: {
        problems: [expect.objectContaining({ field: 'id' }), expect.objectContaining({ field: 'name' })],
      },
    });
    expect(await tree.get('x1')).toBeUndefined();
  });

  it('refuses an id that already exists with a 409', async () => {
    await expect(
      fx.tree.create({ id: '330106', level: 'county', name: 'again', parent_id: '3301' }),
    ).rejects.toMatchObject({ code: 'REGISTRY_EXISTS', httpStatus: 409 });
    expect((await fx.tree.get('330106'))?.name).toBe('西湖区');
  });

  it('lists by level, parent and scope: a county sees its own subtree only', async () => {
    const { tree } = fx;
    await tree.create({ id: '330105', level: 'county', name: '拱墅区', parent_id: '3301' });
    await tree.create({ id: '330105-01', level: 'station', name: '米市巷所', parent_id: '330105' });
    expect((await tree.list({ level: 'county' })).map((n) => n.id)).toEqual(['330105', '330106']);
    expect((await tree.list({ parentId: '330105' })).map((n) => n.id)).toEqual(['330105-01']);
    const scoped = await tree.list({ scope: await tree.refOf('330105') });
    expect(scoped.map((n) => n.id)).toEqual(['330105', '330105-01']);
  });

  it('moves a station to another county: its subtree and its operators follow', async () => {
    const { tree, engine, prefix } = fx;
    const entities = aliasName(prefix, 'entities');
    const operatorRef = await tree.refOf('330106-01-g01');
    await engine.index(
      entities,
      'op1',
      { id: 'op1', name: 'x', jurisdiction: operatorRef },
      { refresh: true },
    );
    const result = await tree.move('330106-01', '330105');
    expect(result.to).toEqual({ city: '3301', county: '330105', station: '330106-01' });
    expect(result.nodesUpdated).toBe(2);
    expect(result.operatorsUpdated).toBe(1);
    expect((await tree.get('330106-01'))?.parent_id).toBe('330105');
    expect(await tree.refOf('330106-01-g01')).toEqual({ ...operatorRef, county: '330105' });
    expect((await tree.ancestors('330106-01-g01')).map((n) => n.id)).toEqual(['3301', '330105', '330106-01']);
    expect((await tree.descendants('330106')).map((n) => n.id)).toEqual([]);
    const moved = await engine.get<{ jurisdiction: unknown }>(entities, 'op1');
    expect(moved.source?.jurisdiction).toEqual({ ...operatorRef, county: '330105' });
    const countyB = await engine.count(entities, scopeFilter({ city: '3301', county: '330105' }));
    expect(countyB).toBe(1);
  });

  it('refuses to move a grid under a county', async () => {
    await expect(fx.tree.move('330106-01-g01', '330106')).rejects.toMatchObject({ code: 'REGISTRY_INVALID' });
    await expect(fx.tree.move('nope', '330106')).rejects.toMatchObject({
      code: 'REGISTRY_NOT_FOUND',
      httpStatus: 404,
    });
  });
});
