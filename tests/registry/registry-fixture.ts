/** A small tree on the real engine under a test's own prefix, shared by the registry tests. */
import { createEngine, type EnginePort } from '../../engine/index.js';
import {
  entitiesDefinition,
  jurisdictionsDefinition,
  operatorHistoryDefinition,
  usersDefinition,
} from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { JurisdictionNode } from '../../registry/types.js';
import { usccCheckChar } from '../../indexer/extract/uscc.js';
import { testPrefix } from '../support/ids.js';

export const REGISTRY_DEFINITIONS = [
  entitiesDefinition,
  operatorHistoryDefinition,
  jurisdictionsDefinition,
  usersDefinition,
];

const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

/** city C → counties A, B → stations A1, A2, B1 → grids A1-g1, A1-g2, A2-g1, B1-g1. */
export const SAMPLE_TREE: JurisdictionNode[] = [
  { id: 'c', level: 'city', name: '示范市', parent_id: null },
  { id: 'a', level: 'county', name: '甲区', parent_id: 'c' },
  { id: 'b', level: 'county', name: '乙区', parent_id: 'c' },
  { id: 'a1', level: 'station', name: '甲一所', parent_id: 'a' },
  { id: 'a2', level: 'station', name: '甲二所', parent_id: 'a' },
  { id: 'b1', level: 'station', name: '乙一所', parent_id: 'b' },
  { id: 'a1-g1', level: 'grid', name: '甲一所一网格', parent_id: 'a1' },
  { id: 'a1-g2', level: 'grid', name: '甲一所二网格', parent_id: 'a1' },
  { id: 'a2-g1', level: 'grid', name: '甲二所一网格', parent_id: 'a2' },
  { id: 'b1-g1', level: 'grid', name: '乙一所一网格', parent_id: 'b1' },
];

export interface RegistryFixture {
  engine: EnginePort;
  prefix: string;
  tree: JurisdictionTree;
  cleanup(): Promise<void>;
}

/** Migrates the registry indices under a fresh prefix; `withTree` also writes {@link SAMPLE_TREE}. */
export async function registryFixture(label: string, withTree = true): Promise<RegistryFixture> {
  const engine = await createEngine();
  const prefix = testPrefix(label);
  await migrate(engine, { prefix, definitions: REGISTRY_DEFINITIONS, log: silent });
  const tree = new JurisdictionTree(engine, { prefix, refresh: true });
  if (withTree) await tree.writeMany(SAMPLE_TREE);
  return {
    engine,
    prefix,
    tree,
    async cleanup() {
      await dropIndices(engine, { prefix, definitions: REGISTRY_DEFINITIONS });
      await engine.close();
    },
  };
}

/** A USCC whose check digit holds, different for each `n` (Hangzhou Xihu, enterprise legal person). */
export function validUscc(n: number): string {
  const body = `91330106${String(n).padStart(9, '0')}`;
  return `${body}${usccCheckChar(body) ?? '0'}`;
}

/** The same code with a wrong check character. */
export function invalidUscc(n: number): string {
  const good = validUscc(n);
  const wrong = good.endsWith('0') ? '1' : '0';
  return `${good.slice(0, 17)}${wrong}`;
}
