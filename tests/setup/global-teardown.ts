import { stopEngine } from '../../scripts/engine/local-engine.js';

/** Stops the engine only when this test run started it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.ARGUS_TEST_STARTED_ENGINE === '1') await stopEngine();
}
