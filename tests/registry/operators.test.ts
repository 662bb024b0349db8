import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OperatorRepository } from '../../registry/operators/operator.repository.js';
import type { OperatorInput } from '../../registry/operators/operator.schema.js';
import { invalidUscc, registryFixture, validUscc, type RegistryFixture } from './registry-fixture.js';

const actor = { actor: 'tester' };

function shop(n: number, grid: string, extra: Partial<OperatorInput> = {}): OperatorInput {
  return {
    id: `op-${n}`,
    name: `示范茶叶商行${n}号`,
    uscc: validUscc(n),
    type: 'self_run_site',
    domains: [`shop${n}.example${n}.com.cn`],
    jurisdiction: { grid },
    ...extra,
  };
}

describe('operator repository', () => {
  let fx: RegistryFixture;
  let operators: OperatorRepository;

  beforeAll(async () => {
    fx = await registryFixture('ops');
    operators = new OperatorRepository(fx.engine, { prefix: fx.prefix, refresh: true, tree: fx.tree });
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  it('creates an operator with defaults, a full jurisdiction ref and a create entry in the history', async () => {
    const { operator, version } = await operators.create(
      shop(1, 'a1-g1', { uscc: ` ${validUscc(1).toLowerCase()} `, licence_numbers: ['JY13301060000001'] }),
      actor,
    );
    expect(operator).toMatchObject({
      id: 'op-1',
      uscc: validUscc(1),
      uscc_valid: true,
      jurisdiction: { city: 'c', county: 'a', station: 'a1', grid: 'a1-g1' },
      classification: 'normal',
      risk_tier: 'medium',
      status: 'active',
      inspection_frequency_days: 7,
      source_focus: false,
    });
    expect(version.ifSeqNo).toBeGreaterThanOrEqual(0);
    expect((await operators.get('op-1'))?.operator).toEqual(operator);
    const [entry] = await operators.historyOf('op-1');
    expect(entry).toMatchObject({ action: 'create', actor: 'tester', operator_id: 'op-1' });
    expect(entry?.changes).toContainEqual({ field: 'name', from: null, to: '示范茶叶商行1号' });
  });

  it('refuses an invalid USCC with a validation error naming the field, and stores nothing', async () => {
    const attempt = operators.create(shop(2, 'a1-g1', { uscc: invalidUscc(2) }), actor);
    await expect(attempt).rejects.toMatchObject({
      code: 'REGISTRY_INVALID',
      httpStatus: 400,
      details: { problems: [{ field: 'uscc', reason: expect.stringContaining('check digit') }] },
    });
    await expect(attempt).rejects.toThrow(/uscc: not a valid unified social credit code/);
    expect(await operators.get('op-2')).toBeUndefined();
  });

  it('refuses a duplicate USCC, an unknown grid and an unknown platform', async () => {
    await expect(operators.create(shop(3, 'a1-g1', { uscc: validUscc(1) }), actor)).rejects.toMatchObject({
      code: 'REGISTRY_EXISTS',
      details: { field: 'uscc' },
    });
    await expect(operators.create(shop(3, 'zz-g9'), actor)).rejects.toMatchObject({
      details: {
        problems: [{ field: 'jurisdiction.grid', reason: 'no grid "zz-g9" in the jurisdiction tree' }],
      },
    });
    await expect(
      operators.create(shop(3, 'a1-g1', { type: 'third_party_shop', platform_id: 'op-1' }), actor),
    ).rejects.toMatchObject({
      details: { problems: [{ field: 'platform_id', reason: 'no platform operator "op-1"' }] },
    });
    expect(await operators.get('op-3')).toBeUndefined();
  });

  it('updates with the version it read and records which fields went from what to what', async () => {
    const read = await operators.get('op-1');
    if (!read) throw new Error('op-1 missing');
    const updated = await operators.update(
      'op-1',
      { risk_tier: 'high', inspector_id: 'inspector-a' },
      { actor: 'supervisor-1', expected: read.version },
    );
    expect(updated.operator.risk_tier).toBe('high');
    expect(updated.operator.created_at).toBe(read.operator.created_at);
    const [latest] = await operators.historyOf('op-1');
    expect(latest).toMatchObject({ action: 'update', actor: 'supervisor-1' });
    expect(latest?.changes).toEqual([
      { field: 'risk_tier', from: 'medium', to: 'high' },
      { field: 'inspector_id', from: null, to: 'inspector-a' },
    ]);
  });

  it('refuses a stale update with a 409 and keeps the newer write', async () => {
    const read = await operators.get('op-1');
    if (!read) throw new Error('op-1 missing');
    await operators.update('op-1', { notes: 'first writer' }, { actor: 'one', expected: read.version });
    const stale = operators.update(
      'op-1',
      { notes: 'second writer' },
      { actor: 'two', expected: read.version },
    );
    await expect(stale).rejects.toMatchObject({ code: 'REGISTRY_VERSION_CONFLICT', httpStatus: 409 });
    expect((await operators.get('op-1'))?.operator.notes).toBe('first writer');
    expect((await operators.historyOf('op-1')).map((e) => e.actor)).not.toContain('two');
  });

  it('refuses an update that breaks validation and leaves the record as it was', async () => {
    await expect(operators.update('op-1', { uscc: invalidUscc(1) }, actor)).rejects.toMatchObject({
      details: { problems: [{ field: 'uscc', reason: expect.stringContaining('check digit') }] },
    });
    await expect(operators.update('missing', { notes: 'x' }, actor)).rejects.toMatchObject({
      httpStatus: 404,
    });
    expect((await operators.get('op-1'))?.operator.uscc).toBe(validUscc(1));
  });

  it('finds operators by name, USCC, licence, ICP and by a parent domain of their hosts', async () => {
    await operators.create(
      shop(4, 'b1-g1', {
        name: 'Blue River Trading Co.',
        icp_numbers: ['浙ICP备12345678号-1'],
        domains: ['shop.example.com.cn', 'Another.TEST'],
      }),
      actor,
    );
    const city = { city: 'c' };
    const ids = async (criteria: Parameters<OperatorRepository['search']>[1]) =>
      (await operators.search(city, criteria)).items.map((o) => o.id);
    expect(await ids({ name: '茶叶商行' })).toEqual(['op-1']);
    expect(await ids({ name: 'river' })).toEqual(['op-4']);
    expect(await ids({ uscc: validUscc(4).toLowerCase() })).toEqual(['op-4']);
    expect(await ids({ licence: 'jy13301060000001' })).toEqual(['op-1']);
    expect(await ids({ icp: '浙icp备 12345678号1' })).toEqual(['op-4']);
    expect(await ids({ domain: 'example.com.cn' })).toEqual(['op-4']);
    expect(await ids({ domain: 'another.test' })).toEqual(['op-4']);
    expect(await ids({ domain: 'ample.com.cn' })).toEqual([]);
    expect(await ids({ text: 'shop.example.com.cn' })).toEqual(['op-4']);
  });

  it('lists by scope: a county sees its own operators only, a station of another county none', async () => {
    await operators.create(shop(5, 'a2-g1'), actor);
    const list = async (scope: Record<string, string>) =>
      (await operators.list(scope)).items.map((o) => o.id).sort();
    expect(await list({ city: 'c' })).toEqual(['op-1', 'op-4', 'op-5']);
    expect(await list({ city: 'c', county: 'a' })).toEqual(['op-1', 'op-5']);
    expect(await list({ city: 'c', county: 'b' })).toEqual(['op-4']);
    expect(await list({ city: 'c', county: 'a', station: 'a1' })).toEqual(['op-1']);
    expect(await list({ city: 'c', county: 'b', station: 'b1', grid: 'b1-g1' })).toEqual(['op-4']);
    expect(await list({})).toEqual([]);
    const found = await operators.search({ city: 'c', county: 'b' }, { name: '茶叶商行' });
    expect(found.total).toBe(0);
    expect(await operators.getInScope('op-1', { city: 'c', county: 'b' })).toBeUndefined();
    expect((await operators.getInScope('op-1', { city: 'c', county: 'a' }))?.operator.id).toBe('op-1');
    const scanned: string[] = [];
    for await (const operator of operators.scan({ city: 'c', county: 'a' })) scanned.push(operator.id);
    expect(scanned).toEqual(['op-1', 'op-5']);
  });
});
