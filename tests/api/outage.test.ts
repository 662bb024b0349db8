/**
 * The API when the engine or Redis goes away for a while and comes back: each sits behind a real TCP
 * hop the test takes down (open connections dropped, new ones refused) and brings back. While one is
 * down the API answers quickly with a 503 and a clear code, never a 500 or a hang; /healthz says which
 * one is down; once it is back the same session searches again without signing in anew.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { createApiRedis, createApp } from '../../api/app.js';
import { listenApi } from '../../api/http/serve.js';
import { config } from '../../core/config.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { startTcpGate, type TcpGate } from '../support/tcp-gate.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD } from './matrix-fixture.js';
import { seedWorkbench } from './workbench-fixture.js';

let fx: ApiFixture;
let engineGate: TcpGate;
let redisGate: TcpGate;
let engine: EnginePort;
let redis: Redis;
let server: Server;
let baseUrl: string;
let token: string;

beforeAll(async () => {
  fx = await apiFixture('apiout', MATRIX_TREE, MATRIX_USERS);
  await seedWorkbench(fx);
  const engineUrl = new URL(config().ENGINE_URL);
  const redisUrl = new URL(config().REDIS_URL);
  engineGate = await startTcpGate({ host: engineUrl.hostname, port: Number(engineUrl.port) });
  redisGate = await startTcpGate({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
  engine = await createEngine({ url: `http://${engineGate.host}:${engineGate.port}` });
  redis = createApiRedis(`redis://${redisGate.host}:${redisGate.port}`);
  const app = createApp({
    engine,
    prefix: fx.prefix,
    redis,
    redisPing: async () => (await redis.ping()) === 'PONG',
    auth: { keyPrefix: `${fx.prefix}:api` },
  });
  server = await listenApi(app, 0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const login = await signIn();
  expect(login.status).toBe(200);
  token = ((await login.json()) as { token: string }).token;
});

afterAll(async () => {
  await engineGate?.up();
  await redisGate?.up();
  if (server) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
  redis?.disconnect();
  await engine?.close();
  await engineGate?.close();
  await redisGate?.close();
  await fx?.cleanup();
});

interface Answer {
  status: number;
  ms: number;
  body: {
    error?: { code: string; message: string };
    total?: number;
    ok?: boolean;
    engine?: string;
    redis?: string;
  };
  retryAfter: string | null;
}

async function call(path: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as Answer['body'];
  return {
    status: res.status,
    ms: performance.now() - started,
    body,
    retryAfter: res.headers.get('retry-after'),
  };
}

function signIn(): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'inspector-k1', password: PASSWORD }),
  });
}

const search = () => call(`/api/search?q=${encodeURIComponent('"最佳"')}`);

describe('an outage of a backing service', () => {
  it('searches through both hops while they are up', async () => {
    const answer = await search();
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(1);
  });

  it('answers 503 ENGINE_UNAVAILABLE while the engine is away, and searches again once it is back', async () => {
    await engineGate.down();
    const answer = await search();
    expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
      status: 503,
      code: 'ENGINE_UNAVAILABLE',
    });
    expect(answer.retryAfter).toBe('5');
    expect(answer.ms).toBeLessThan(5_000);
    const health = await call('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, engine: 'unreachable', redis: 'ok' });

    await engineGate.up();
    const again = await search();
    expect(again.status).toBe(200);
    expect(again.body.total).toBe(1);
  });

  it('answers 503 REDIS_UNAVAILABLE while Redis is away, and the same session searches once it is back', async () => {
    await redisGate.down();
    const answer = await search();
    expect({ status: answer.status, code: answer.body.error?.code, retryAfter: answer.retryAfter }).toEqual({
      status: 503,
      code: 'REDIS_UNAVAILABLE',
      retryAfter: '5',
    });
    // ioredis's default (20 reconnects) held this request for over a minute.
    expect(answer.ms).toBeLessThan(5_000);
    expect((await signIn()).status).toBe(503);
    const health = await call('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ ok: false, redis: 'unreachable' });
    expect(health.ms).toBeLessThan(5_000);

    await redisGate.up();
    const again = await search();
    expect(again.status).toBe(200);
    expect(again.body.total).toBe(1);
  });
});
