/** Engine, indices and Redis for scheduled-rule tests: a random prefix, cleaned up after. */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { config } from '../../core/config.js';
import { createEngine } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import type { Alert } from '../../indexer/alert/alert.types.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { ScheduledRuleRunner } from '../../indexer/match/scheduled/scheduled-runner.js';
import { aliasName, pageVersionsDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { MATCH_DEFINITIONS } from '../match/support.js';
import { testPrefix } from '../support/ids.js';

const DEFINITIONS = [...MATCH_DEFINITIONS, pageVersionsDefinition];
const silent = pino({ level: 'silent' });

export interface ScheduledFixture {
  engine: EnginePort;
  prefix: string;
  redis: Redis;
  rules: RuleRepository;
  alerts: AlertService;
  /** A runner on this fixture's indices and Redis keys (each call a new one, as a second worker would be). */
  runner(alerts?: AlertService): ScheduledRuleRunner;
  /** Indexes documents into `pages`, `ads` or `page-versions` and refreshes. */
  put(index: 'pages' | 'ads' | 'page-versions', docs: Doc[]): Promise<void>;
  alertsOf(ruleId: string): Promise<Alert[]>;
  /** Forgets which windows ran (Redis keys only; alerts stay). */
  forgetRuns(): Promise<void>;
  drop(): Promise<void>;
}

export async function scheduledFixture(label: string): Promise<ScheduledFixture> {
  const engine = await createEngine();
  const prefix = testPrefix(label);
  await migrate(engine, { prefix, definitions: DEFINITIONS, log: silent });
  const redis = new Redis(config().REDIS_URL);
  const keyPrefix = `test:${prefix}:scheduled`;
  const rules = new RuleRepository(engine, { prefix });
  const alerts = new AlertService(engine, { prefix, refresh: true, log: silent });
  const keys = async (): Promise<string[]> => redis.keys(`${keyPrefix}:*`);
  return {
    engine,
    prefix,
    redis,
    rules,
    alerts,
    runner: (other = alerts) =>
      new ScheduledRuleRunner(engine, { prefix, alerts: other, redis, keyPrefix, log: silent }),
    async put(index, docs) {
      await engine.bulk(
        docs.map((doc) => ({
          op: 'index' as const,
          index: aliasName(prefix, index),
          id: String(doc.id),
          doc,
        })),
        { refresh: true },
      );
    },
    async alertsOf(ruleId) {
      const result = await engine.search<Alert>({
        index: aliasName(prefix, 'alerts'),
        query: { term: { rule_id: ruleId } },
        size: 100,
        sort: [{ id: 'asc' }],
      });
      return result.hits.map((h) => h.source);
    },
    async forgetRuns() {
      const found = await keys();
      if (found.length > 0) await redis.del(...found);
    },
    async drop() {
      const found = await keys();
      if (found.length > 0) await redis.del(...found);
      redis.disconnect();
      await dropIndices(engine, { prefix, definitions: DEFINITIONS });
      await engine.close();
    },
  };
}
