/** Makes sure the real engine and Redis are there before any test runs; starts the engine if needed. */
import { ensureEngineStarted } from '../../scripts/engine/local-engine.js';
import { assertRedisReachable } from '../support/redis.js';

export default async function globalSetup(): Promise<void> {
  const started = await ensureEngineStarted({ quiet: true });
  process.env.ARGUS_TEST_STARTED_ENGINE = started ? '1' : '';
  await assertRedisReachable();
}
