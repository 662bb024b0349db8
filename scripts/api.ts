/** `npm run start:api`: the HTTP API alone (workers run elsewhere: `npm run start:worker`). */
import { createApiRedis, createApp } from '../api/app.js';
import { listenApi } from '../api/http/serve.js';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import { createFrontier } from '../indexer/frontier/frontier.js';
import { SseHub } from '../notify/index.js';

const cfg = config();
const engine = await createEngine();
const redis = createApiRedis(cfg.REDIS_URL);
const hub = new SseHub(redis, {});
await hub.start();
const app = createApp({
  engine,
  prefix: cfg.INDEX_PREFIX,
  frontier: createFrontier({ name: cfg.CRAWL_QUEUE }),
  redisPing: async () => (await redis.ping()) === 'PONG',
  redis,
  hub,
});
await listenApi(app, cfg.API_PORT, cfg.API_HOST);
console.log(`api: listening on http://${cfg.API_HOST}:${cfg.API_PORT}`);
