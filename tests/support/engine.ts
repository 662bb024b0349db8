/** The real local engine for tests, and cleanup of a test's own indices. */
import { config } from '../../core/config.js';
import { OpenSearchAdapter } from '../../engine/adapters/opensearch.adapter.js';
import type { EnginePort } from '../../engine/port.js';

/** The engine URL tests talk to (`ENGINE_URL`, default http://127.0.0.1:9200). */
export function testEngineUrl(): string {
  return config().ENGINE_URL;
}

/** The OpenSearch adapter over the local engine; close it in `afterAll`. */
export function testEngine(): OpenSearchAdapter {
  const c = config();
  return new OpenSearchAdapter({
    url: c.ENGINE_URL,
    username: c.ENGINE_USERNAME,
    password: c.ENGINE_PASSWORD,
    requestTimeoutMs: c.ENGINE_REQUEST_TIMEOUT_MS,
  });
}

/** Deletes every index named `${prefix}-*` (and `prefix` itself). */
export async function deleteTestIndices(prefix: string, engine: EnginePort): Promise<void> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix))
    throw new Error(`refusing to delete indices of prefix "${prefix}"`);
  await engine.deleteIndex(`${prefix}-*`);
  await engine.deleteIndex(prefix);
}

/**
 * Runs `body` with an engine and deletes `${prefix}-*` afterwards, passed or failed:
 * `await withTestIndices(testPrefix(), async (engine, prefix) => { ... })`.
 * Without `engine`, it opens and closes its own.
 */
export async function withTestIndices<T>(
  prefix: string,
  body: (engine: EnginePort, prefix: string) => Promise<T>,
  engine?: EnginePort,
): Promise<T> {
  const used = engine ?? testEngine();
  try {
    return await body(used, prefix);
  } finally {
    await deleteTestIndices(prefix, used);
    if (!engine) await used.close();
  }
}
