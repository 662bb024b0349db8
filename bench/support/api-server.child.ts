/**
 * The API of `npm run bench:api` in its own process, so the load generator and the bench's own
 * engine client do not share its event loop: `createApp` over the bench's prefix and Redis key prefix,
 * on a free port, printed as `port=<n>` on stdout. Logs go to stderr as configured (LOG_LEVEL).
 * Argument: JSON `{ "prefix": "...", "keyPrefix": "...", "floor"?: true }`; every other setting comes
 * from the environment (the bench's what-if variant differs there).
 *
 * With `floor`, the process serves the floor instead: a bare node:http server whose `GET
 * /search?options=<JSON>` runs that `searchDocuments` and writes the result, with no framework, no
 * authentication and no logging. What it adds over the engine is what any API in its own Node process
 * adds on this machine (one more hop, one more process waking up), the part the API's own work cannot
 * remove.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiRedis, createApp } from '../../api/app.js';
import { apiServer } from '../../api/http/serve.js';
import { config } from '../../core/config.js';
import { createEngine } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { searchDocuments, type DocumentSearchOptions } from '../../search/search-documents.js';

const { prefix, keyPrefix, floor } = JSON.parse(process.argv[2] ?? '{}') as {
  prefix?: string;
  keyPrefix?: string;
  floor?: boolean;
};
if (!prefix || !keyPrefix) throw new Error('usage: api-server.child.ts \'{"prefix":"…","keyPrefix":"…"}\'');

const engine = await createEngine();

/** The floor: the search the route would run, behind nothing but node:http. */
function floorServer(engine: EnginePort): Server {
  return createServer((req, res) => {
    const options = new URL(req.url ?? '/', 'http://floor').searchParams.get('options') ?? '{}';
    Promise.resolve()
      .then(() => searchDocuments(engine, JSON.parse(options) as DocumentSearchOptions))
      .then(
        (result) => {
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(JSON.stringify(result));
        },
        (error: unknown) => {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: String(error) }));
        },
      );
  });
}

const redis = floor ? undefined : createApiRedis(config().REDIS_URL);
const server = redis
  ? apiServer(
      createApp({
        engine,
        prefix,
        redis,
        redisPing: async () => (await redis.ping()) === 'PONG',
        auth: { keyPrefix },
      }),
    )
  : floorServer(engine);
server.listen(0, '127.0.0.1', () => console.log(`port=${(server.address() as AddressInfo).port}`));

async function stop(): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await redis?.quit();
  await engine.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
