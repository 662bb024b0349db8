import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateDemoWeb } from '../../demo/index.js';
import type { GroundTruth } from '../../demo/types.js';
import { buildDemoRegistry, DEMO_USERS, importDemoRegistry } from '../../registry/demo-registry.js';
import { OperatorRepository } from '../../registry/operators/operator.repository.js';
import { UserRepository } from '../../registry/users/user.repository.js';
import { registryFixture, type RegistryFixture } from './registry-fixture.js';

describe('demo registry', () => {
  let fx: RegistryFixture;
  let truth: GroundTruth;

  beforeAll(async () => {
    fx = await registryFixture('demo', false);
    truth = generateDemoWeb({ seed: 42 }).truth;
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  it('builds the same registry from the same demo web, with every registrable site as an operator', () => {
    const first = buildDemoRegistry(truth);
    const again = buildDemoRegistry(generateDemoWeb({ seed: 42 }).truth);
    expect(again.treeCsv).toBe(first.treeCsv);
    expect(again.operators.map((o) => [o.id, o.jurisdiction, o.inspector_id])).toEqual(
      first.operators.map((o) => [o.id, o.jurisdiction, o.inspector_id]),
    );
    const expected = truth.sites.filter((s) => s.type !== 'lookalike' && s.type !== 'lab').map((s) => s.id);
    expect(first.operators.map((o) => o.id).sort()).toEqual(expected.sort());
    const levels = first.tree.map((n) => n.level);
    expect(levels.filter((l) => l === 'county')).toHaveLength(3);
    expect(levels.filter((l) => l === 'station')).toHaveLength(6);
    expect(first.operators.every((o) => o.jurisdiction.grid !== undefined)).toBe(true);
  });

  it('keeps an identifier the site shows wrongly out of the registry and notes it', () => {
    const registry = buildDemoRegistry(truth);
    for (const site of truth.sites.filter((s) => s.operator.uscc_valid === false && s.type !== 'lookalike')) {
      const operator = registry.operators.find((o) => o.id === site.id);
      expect(operator?.uscc).toBeNull();
      expect(operator?.notes).toContain(site.operator.uscc ?? '?');
    }
    const shop = registry.operators.find((o) => o.type === 'third_party_shop' && o.shop_urls.length > 0);
    expect(shop?.platform_id).toBe('mall');
  });

  it('imports once, changes nothing the second time, and the two inspectors see disjoint operators', async () => {
    const first = await importDemoRegistry(fx.engine, fx.prefix, truth);
    const count = buildDemoRegistry(truth).operators.length;
    expect(first).toEqual({
      tree: { ok: true, created: 25, updated: 0, unchanged: 0 },
      usersCreated: DEMO_USERS.length,
      operators: { ok: true, created: count, updated: 0, unchanged: 0 },
    });
    const second = await importDemoRegistry(fx.engine, fx.prefix, truth);
    expect(second).toEqual({
      tree: { ok: true, created: 0, updated: 0, unchanged: 25 },
      usersCreated: 0,
      operators: { ok: true, created: 0, updated: 0, unchanged: count },
    });
    const users = new UserRepository(fx.engine, fx.tree, { prefix: fx.prefix });
    const operators = new OperatorRepository(fx.engine, { prefix: fx.prefix });
    const seen = async (username: string, password: string) => {
      const user = await users.authenticate(username, password);
      return (await operators.list(user.scope ?? {}, { size: 1000 })).items.map((o) => o.id);
    };
    const a = await seen('inspector-a', 'argus-inspector-a');
    const b = await seen('inspector-b', 'argus-inspector-b');
    const all = await seen('admin', 'argus-admin-demo');
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    expect(all).toHaveLength(count);
    const aOperators = (await operators.list({ city: '3301', station: '330106-01' }, { size: 1000 })).items;
    expect(aOperators.every((o) => o.inspector_id === 'inspector-a')).toBe(true);
  });
});
