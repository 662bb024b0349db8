/** Engine indices, demo jurisdiction tree and Redis for routing and outbox tests. */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { config } from '../../core/config.js';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import {
  alertRoutesDefinition,
  jurisdictionsDefinition,
  type IndexDefinition,
} from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { demoTree } from '../../registry/demo-registry.js';
import { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import { MATCH_DEFINITIONS } from '../match/support.js';
import { testPrefix } from '../support/ids.js';

export const ROUTING_DEFINITIONS: readonly IndexDefinition[] = [
  ...MATCH_DEFINITIONS,
  jurisdictionsDefinition,
  alertRoutesDefinition,
];

export const silent = pino({ level: 'silent' });

export interface RoutingFixture {
  engine: EnginePort;
  prefix: string;
  redis: Redis;
  /** Redis key prefix of this test's outbox and dead letters. */
  keyPrefix: string;
  drop(): Promise<void>;
}

/** Migrates the routing indices under a random prefix and writes the demo tree (city 3301, counties 330106/330108/330102). */
export async function routingFixture(
  label: string,
  extra: readonly IndexDefinition[] = [],
): Promise<RoutingFixture> {
  const engine = await createEngine();
  const prefix = testPrefix(label);
  const definitions = [...ROUTING_DEFINITIONS, ...extra];
  await migrate(engine, { prefix, definitions, log: silent });
  await new JurisdictionTree(engine, { prefix }).writeMany(demoTree());
  const redis = new Redis(config().REDIS_URL);
  const keyPrefix = testPrefix('outbox');
  return {
    engine,
    prefix,
    redis,
    keyPrefix,
    async drop() {
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await dropIndices(engine, { prefix, definitions });
      await engine.close();
    },
  };
}
