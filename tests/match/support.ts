/** Engine and indices for match/alert tests: a random prefix with the indices they touch. */
import { pino } from 'pino';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import {
  adsDefinition,
  alertsDefinition,
  auditDefinition,
  pagesDefinition,
  ruleVersionsDefinition,
  rulesDefinition,
} from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

export const MATCH_DEFINITIONS = [
  pagesDefinition,
  adsDefinition,
  rulesDefinition,
  ruleVersionsDefinition,
  alertsDefinition,
  auditDefinition,
];

export interface MatchFixture {
  engine: EnginePort;
  prefix: string;
  drop(): Promise<void>;
}

export async function matchFixture(label: string): Promise<MatchFixture> {
  const engine = await createEngine();
  const prefix = testPrefix(label);
  await migrate(engine, { prefix, definitions: MATCH_DEFINITIONS, log: pino({ level: 'silent' }) });
  return {
    engine,
    prefix,
    async drop() {
      await dropIndices(engine, { prefix, definitions: MATCH_DEFINITIONS });
      await engine.close();
    },
  };
}
