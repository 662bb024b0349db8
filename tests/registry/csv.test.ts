import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  exportOperatorsCsv,
  exportTreeCsv,
  importOperatorsCsv,
  importTreeCsv,
} from '../../registry/csv/index.js';
import { OperatorRepository } from '../../registry/operators/operator.repository.js';
import { UserRepository } from '../../registry/users/user.repository.js';
import { invalidUscc, registryFixture, validUscc, type RegistryFixture } from './registry-fixture.js';

const TREE_CSV = `id,level,name,parent_id
g1,grid,"一网格, 东",s1
c,city,示范市,
k1,county,甲区,c
s1,station,甲一所,k1
k2,county,乙区,c
s2,station,乙一所,k2
g2,grid,二网格,s2
`;

const HEADER =
  'id,name,uscc,licence_numbers,icp_numbers,domains,shop_urls,platform_id,type,risk_tier,contact_phone,jurisdiction_id,inspector_id,source_focus';

function operatorsCsv(rows: string[]): string {
  return [HEADER, ...rows].join('\n') + '\n';
}

const GOOD_ROWS = [
  `mall,"华美商城, 有限公司",${validUscc(10)},,浙ICP备10000001号,mall.example.cn,,,platform,high,0571-1234567,g1,insp-1,`,
  `shop-1,茶叶小店,${validUscc(11)},JY1;JY2,,,https://mall.example.cn/store/1;https://mall.example.cn/store/1b,mall,third_party_shop,,,g1,,`,
  `site-2,乙区商行,${validUscc(12)},,,www.yi.test;yi.test,,,self_run_site,low,,g2,,no`,
];

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

describe('registry CSV import and export', () => {
  let fx: RegistryFixture;
  let operators: OperatorRepository;
  let users: UserRepository;

  beforeAll(async () => {
    fx = await registryFixture('csv', false);
    operators = new OperatorRepository(fx.engine, { prefix: fx.prefix, tree: fx.tree, refresh: true });
    users = new UserRepository(fx.engine, fx.tree, { prefix: fx.prefix, refresh: true, hash: { N: 1024 } });
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  const importOps = (text: string) =>
    importOperatorsCsv(text, {
      engine: fx.engine,
      prefix: fx.prefix,
      tree: fx.tree,
      users,
      actor: 'import:test',
    });

  it('imports a tree given in any order, parents after children included', async () => {
    expect(await importTreeCsv(TREE_CSV, fx.tree)).toEqual({
      ok: true,
      created: 7,
      updated: 0,
      unchanged: 0,
    });
    expect(await fx.tree.refOf('g1')).toEqual({ city: 'c', county: 'k1', station: 's1', grid: 'g1' });
    expect((await fx.tree.get('g1'))?.name).toBe('一网格, 东');
    expect(await importTreeCsv(TREE_CSV, fx.tree)).toEqual({
      ok: true,
      created: 0,
      updated: 0,
      unchanged: 7,
    });
  });

  it('refuses a tree file with bad rows and writes none of it', async () => {
    const bad = `id,level,name,parent_id
ok-s,station,fine,k1
x1,station,under the city,c
x2,grid,orphan,nowhere
s1,station,moved,k2
x1,village,dup,k1
`;
    const result = await importTreeCsv(bad, fx.tree);
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 3, column: 'parent_id', reason: `a station's parent must be a county, "c" is a city` },
        { row: 4, column: 'parent_id', reason: 'no node "nowhere"' },
        { row: 5, column: 'parent_id', reason: 'node "s1" exists as a station under "k1"; move it instead' },
        { row: 6, column: 'id', reason: 'id "x1" already on row 3' },
        { row: 6, column: 'level', reason: 'must be one of city, county, station, grid' },
      ],
    });
    expect(await fx.tree.get('ok-s')).toBeUndefined();
  });

  it('imports operators with lists, a platform in the same file and a known inspector', async () => {
    await users.create({
      username: 'insp-1',
      display_name: '一',
      role: 'inspector',
      scope_node_id: 's1',
      password: 'password-1',
    });
    expect(await importOps(operatorsCsv(GOOD_ROWS))).toEqual({
      ok: true,
      created: 3,
      updated: 0,
      unchanged: 0,
    });
    const shop = (await operators.get('shop-1'))?.operator;
    expect(shop).toMatchObject({
      licence_numbers: ['JY1', 'JY2'],
      shop_urls: ['https://mall.example.cn/store/1', 'https://mall.example.cn/store/1b'],
      platform_id: 'mall',
      jurisdiction: { city: 'c', county: 'k1', station: 's1', grid: 'g1' },
    });
    const mall = (await operators.get('mall'))?.operator;
    expect(mall).toMatchObject({
      name: '华美商城, 有限公司',
      source_focus: true,
      inspector_id: 'insp-1',
      contact: { phone: '0571-1234567' },
    });
    expect((await operators.get('site-2'))?.operator).toMatchObject({
      domains: ['www.yi.test', 'yi.test'],
      inspection_frequency_days: 30,
    });
    expect((await operators.historyOf('mall'))[0]).toMatchObject({ action: 'import', actor: 'import:test' });
  });

  it('refuses a file with 3 bad rows: writes nothing and reports row, column and reason of each', async () => {
    const before = await fx.engine.count(operators.index);
    const text = operatorsCsv([
      `new-1,好店,${validUscc(20)},,,,,,self_run_site,,,g1,,`,
      `new-2,坏码店,${invalidUscc(21)},,,,,,self_run_site,,,g1,,`,
      `new-3,无网格店,${validUscc(22)},,,,,,self_run_site,,,g9,,`,
      `new-4,重复店,${validUscc(20)},,,,,,self_run_site,,,g2,,`,
      `new-5,好店二,${validUscc(23)},,,,,,self_run_site,,,g2,,`,
    ]);
    const result = await importOps(text);
    expect(result).toEqual({
      ok: false,
      problems: [
        { row: 3, column: 'uscc', reason: expect.stringContaining('check digit') },
        { row: 4, column: 'jurisdiction_id', reason: 'no node "g9" in the tree' },
        { row: 5, column: 'uscc', reason: 'USCC already on row 2' },
      ],
    });
    expect(await fx.engine.count(operators.index)).toBe(before);
    expect(await operators.get('new-1')).toBeUndefined();
  });

  it('reports unknown platforms and inspectors, USCCs owned by stored operators, and bad cells', async () => {
    const result = await importOps(
      operatorsCsv([
        `n1,甲,${validUscc(10)},,,,,,self_run_site,,,g1,,`,
        `n2,乙,,,,,,shop-1,third_party_shop,,,g1,nobody,maybe`,
        `n3,丙,,,,bad host!,,,robot,,,g1,,`,
      ]),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      { row: 2, column: 'uscc', reason: 'USCC already belongs to operator "mall"' },
      { row: 3, column: 'source_focus', reason: 'true or false' },
      { row: 4, column: 'domains', reason: 'not a host name such as shop.example.com.cn' },
      { row: 4, column: 'type', reason: expect.stringContaining('platform') },
    ]);
    const again = await importOps(operatorsCsv([`n2,乙,,,,,,shop-1,third_party_shop,,,g1,nobody,`]));
    expect(!again.ok && again.problems).toEqual([
      { row: 2, column: 'inspector_id', reason: 'no user "nobody"' },
      { row: 2, column: 'platform_id', reason: 'no platform operator "shop-1"' },
    ]);
  });

  it('reports a broken file: unknown and missing columns, an unclosed quote', async () => {
    expect(await importOps('id,nom,type\n1,x,platform\n')).toEqual({
      ok: false,
      problems: [
        { row: 1, column: 'name', reason: 'required column is missing' },
        { row: 1, column: 'nom', reason: expect.stringContaining('unknown column') },
      ],
    });
    const broken = await importOps(`${HEADER}\nz1,"unclosed,,,,,,,,self_run_site\n`);
    expect(!broken.ok && broken.problems[0]).toMatchObject({
      column: '',
      reason: expect.stringContaining('not valid CSV'),
    });
    expect(await importOps('')).toMatchObject({
      ok: false,
      problems: [{ row: 1, reason: expect.stringContaining('empty') }],
    });
  });

  it('round-trips: export, import into a fresh store, export again gives the same file', async () => {
    const treeCsv = await collect(exportTreeCsv(fx.tree));
    const exported = await collect(exportOperatorsCsv(operators, { city: 'c' }));
    expect(exported.split('\n')[0]).toContain('id,name,uscc');
    expect(exported.trim().split('\n')).toHaveLength(4);
    const other = await registryFixture('csv2', false);
    try {
      const otherUsers = new UserRepository(other.engine, other.tree, {
        prefix: other.prefix,
        hash: { N: 1024 },
      });
      expect(await importTreeCsv(treeCsv, other.tree)).toMatchObject({ ok: true, created: 7 });
      await otherUsers.create({
        username: 'insp-1',
        display_name: '一',
        role: 'inspector',
        scope_node_id: 's1',
        password: 'password-1',
      });
      const imported = await importOperatorsCsv(exported, {
        engine: other.engine,
        prefix: other.prefix,
        tree: other.tree,
        users: otherUsers,
        actor: 'round-trip',
      });
      expect(imported).toEqual({ ok: true, created: 3, updated: 0, unchanged: 0 });
      const otherOps = new OperatorRepository(other.engine, { prefix: other.prefix });
      expect(await collect(exportOperatorsCsv(otherOps, { city: 'c' }))).toBe(exported);
    } finally {
      await other.cleanup();
    }
    expect(await importOps(exported)).toEqual({ ok: true, created: 0, updated: 0, unchanged: 3 });
  });

  it('exports only what the scope may see', async () => {
    const county2 = await collect(exportOperatorsCsv(operators, { city: 'c', county: 'k2' }));
    expect(
      county2
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual(['site-2']);
  });
});
