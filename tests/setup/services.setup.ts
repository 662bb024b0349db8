/** Makes sure the real engine and Redis are there before any test runs; starts the engine if needed. */
import { ensureEngineStarted, stopEngine } from '../../scripts/engine/local-engine.js';
import { assertRedisReachable } from '../support/redis.js';

let startedHere = false;

export async function setUp(): Promise<void> {
  startedHere = await ensureEngineStarted({ quiet: true });
  await assertRedisReachable();
}

/** Stops the engine only when this test run started it. */
export async function tearDown(): Promise<void> {
  if (startedHere) await stopEngine({ quiet: true });
}
