/**
 * The API of `npm run bench:api` in its own process, so the load generator and the bench's own
 * engine client do not share its event loop: `createApp` over the bench's prefix and Redis key prefix,
 * on a free port, printed as `port=<n>` on stdout. Logs go to stderr as configured (LOG_LEVEL).
 * Argument: JSON `{ "prefix": "...", "keyPrefix": "..." }`; every other setting comes from the
 * environment (the bench's what-if variant differs there).
 */
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp } from '../../api/app.js';
import { config } from '../../core/config.js';
import { createEngine } from '../../engine/index.js';

const { prefix, keyPrefix } = JSON.parse(process.argv[2] ?? '{}') as { prefix?: string; keyPrefix?: string };
if (!prefix || !keyPrefix) throw new Error('usage: api-server.child.ts \'{"prefix":"…","keyPrefix":"…"}\'');

const engine = await createEngine();
const redis = new Redis(config().REDIS_URL);
const app = createApp({
  engine,
  prefix,
  redis,
  redisPing: async () => (await redis.ping()) === 'PONG',
  auth: { keyPrefix },
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`port=${(server.address() as AddressInfo).port}`);
});

async function stop(): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await redis.quit();
  await engine.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
