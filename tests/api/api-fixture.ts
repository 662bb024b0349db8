/**
 * The API on a real engine and real Redis under a test's own prefix: migrated indices, a jurisdiction
 * tree, users, and the app listening on port 0; helpers sign in and call it with fetch.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp, type ApiAuthOptions, type ApiDeps } from '../../api/app.js';
import { listenApi } from '../../api/http/serve.js';
import { config } from '../../core/config.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import {
  adsDefinition,
  alertRoutesDefinition,
  alertsDefinition,
  auditDefinition,
  entitiesDefinition,
  evidenceDefinition,
  jurisdictionsDefinition,
  operatorHistoryDefinition,
  pagesDefinition,
  pageVersionsDefinition,
  rulesDefinition,
  ruleVersionsDefinition,
  usersDefinition,
  type IndexDefinition,
} from '../../mappings/index.js';
import { jurisdiction } from '../../mappings/fields.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { JurisdictionNode } from '../../registry/types.js';
import { UserRepository, type NewUser } from '../../registry/users/user.repository.js';
import { testPrefix } from '../support/ids.js';

/**
 * The evidence mapping has no `jurisdiction` yet (the evidence issue adds it); until then the API
 * scopes evidence by that field and the tests map it the way the evidence issue will.
 */
function evidenceWithJurisdiction(): IndexDefinition {
  const properties = evidenceDefinition.mappings.properties;
  if (properties.jurisdiction) return evidenceDefinition;
  return {
    ...evidenceDefinition,
    mappings: { ...evidenceDefinition.mappings, properties: { ...properties, jurisdiction: jurisdiction() } },
  };
}

export const API_DEFINITIONS: readonly IndexDefinition[] = [
  entitiesDefinition,
  operatorHistoryDefinition,
  jurisdictionsDefinition,
  usersDefinition,
  pagesDefinition,
  pageVersionsDefinition,
  adsDefinition,
  alertsDefinition,
  alertRoutesDefinition,
  auditDefinition,
  rulesDefinition,
  ruleVersionsDefinition,
  evidenceWithJurisdiction(),
];

/** Cheap scrypt cost for tests; production uses the default. */
const FAST_HASH = { N: 1024 };

const silent = { info: () => undefined, warn: () => undefined } as unknown as Parameters<
  typeof migrate
>[1]['log'];

export interface ApiFixture {
  engine: EnginePort;
  prefix: string;
  redis: Redis;
  tree: JurisdictionTree;
  users: UserRepository;
  baseUrl: string;
  /** Signs in; returns the session token. */
  login(username: string, password: string): Promise<string>;
  app: ReturnType<typeof createApp>;
  /** fetch against the API with the token as bearer (none when undefined). */
  call(token: string | undefined, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  cleanup(): Promise<void>;
}

/** Migrates, writes `tree`, creates `users`, starts the app on port 0. */
export async function apiFixture(
  label: string,
  tree: readonly JurisdictionNode[],
  users: readonly NewUser[],
  auth: ApiAuthOptions = {},
  extra: Partial<
    Pick<ApiDeps, 'rateLimit' | 'corsOrigins' | 'hub' | 'principalCacheMs' | 'channelTest'>
  > = {},
): Promise<ApiFixture> {
  const engine = await createEngine();
  const prefix = testPrefix(label);
  await migrate(engine, { prefix, definitions: API_DEFINITIONS, log: silent });
  const redis = new Redis(config().REDIS_URL);
  const treeStore = new JurisdictionTree(engine, { prefix, refresh: true });
  await treeStore.writeMany(tree);
  const userStore = new UserRepository(engine, treeStore, { prefix, refresh: true, hash: FAST_HASH });
  await Promise.all(users.map((u) => userStore.create(u)));
  const keyPrefix = `${prefix}:api`;
  const app = createApp({
    engine,
    prefix,
    redis,
    tree: treeStore,
    users: userStore,
    redisPing: async () => (await redis.ping()) === 'PONG',
    auth: { keyPrefix, ...auth },
    ...extra,
  });
  const server: Server = await listenApi(app, 0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(token: string | undefined, path: string, init: RequestInit & { json?: unknown } = {}) {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const { json, ...rest } = init;
    if (json !== undefined) headers.set('Content-Type', 'application/json');
    return fetch(`${baseUrl}${path}`, {
      ...rest,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  }

  return {
    engine,
    prefix,
    redis,
    tree: treeStore,
    users: userStore,
    baseUrl,
    app,
    call,
    async login(username, password) {
      const res = await call(undefined, '/api/auth/login', { method: 'POST', json: { username, password } });
      if (res.status !== 200)
        throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async cleanup() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await dropIndices(engine, { prefix, definitions: API_DEFINITIONS });
      await engine.close();
    },
  };
}
