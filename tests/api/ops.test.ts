/**
 * Cross-cutting behaviour on real Redis: the rate limit is shared by every API process on the same
 * Redis and answers 429 with Retry-After; CORS answers only listed origins; the live alert stream
 * delivers notices inside the caller's scope and nothing of another county.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis as RedisClient } from 'ioredis';
import { createApp } from '../../api/app.js';
import { SseHub, type AlertNotice } from '../../notify/index.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD, refOf } from './matrix-fixture.js';

const LIMIT = { max: 5, windowSec: 60 };
let fx: ApiFixture;
let hub: SseHub;
let hubRedis: RedisClient;
const hubPrefix = `apiops-${Date.now()}`;
let second: Server;
let secondUrl = '';

beforeAll(async () => {
  const { Redis } = await import('ioredis');
  const { config } = await import('../../core/config.js');
  hubRedis = new Redis(config().REDIS_URL);
  hub = new SseHub(hubRedis, { prefix: hubPrefix, heartbeatMs: 60_000 });
  await hub.start();
  fx = await apiFixture(
    'apiops',
    MATRIX_TREE,
    MATRIX_USERS,
    {},
    {
      rateLimit: LIMIT,
      corsOrigins: ['http://ui.test'],
      hub,
    },
  );
  const app = createApp({
    engine: fx.engine,
    prefix: fx.prefix,
    redis: fx.redis,
    tree: fx.tree,
    users: fx.users,
    redisPing: () => Promise.resolve(true),
    auth: { keyPrefix: `${fx.prefix}:api` },
    rateLimit: LIMIT,
  });
  second = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}`;
});
afterAll(async () => {
  second?.closeAllConnections();
  await new Promise((resolve) => second?.close(resolve));
  await hub?.close();
  // The hub does not own the client it was given.
  await hubRedis?.del(`${hubPrefix}:notify:events`);
  await hubRedis?.quit();
  await fx?.cleanup();
});

describe('rate limit', () => {
  it('counts one budget across two API processes and answers 429 with Retry-After', async () => {
    const token = await fx.login('admin-c', PASSWORD);
    const headers = { authorization: `Bearer ${token}` };
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT.max; i++) {
      const base = i % 2 === 0 ? fx.baseUrl : secondUrl;
      const res = await fetch(`${base}/api/me`, { headers });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    // The sign-in above spent one request of the address, not of the token.
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const over = await fetch(`${secondUrl}/api/me`, { headers });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    const other = await fx.login('admin-k1', PASSWORD);
    const fresh = await fetch(`${fx.baseUrl}/api/me`, { headers: { authorization: `Bearer ${other}` } });
    expect(fresh.status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers a listed origin and ignores any other', async () => {
    const listed = await fetch(`${fx.baseUrl}/healthz`, { headers: { origin: 'http://ui.test' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://ui.test');
    const other = await fetch(`${fx.baseUrl}/healthz`, { headers: { origin: 'http://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await Promise.all([listed.arrayBuffer(), other.arrayBuffer()]);
  });
});

function notice(county: string, title: string): AlertNotice {
  return {
    alertIds: [title],
    ruleId: 'r',
    ruleName: 'r',
    severity: 'high',
    category: 'ad-law',
    title,
    summary: title,
    jurisdiction: refOf(`${county}s1g1`),
    hits: 1,
    digest: false,
  };
}

describe('live stream', () => {
  it('sends a k1 inspector the k1 alert and not the k2 one', async () => {
    const token = await fx.login('inspector-k1', PASSWORD);
    const controller = new AbortController();
    const res = await fetch(`${fx.baseUrl}/api/notifications/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    await hub.publish(notice('k2', 'far-away'));
    await hub.publish(notice('k1', 'close-by'));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('close-by')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain('event: alert');
    expect(text).toContain('close-by');
    expect(text).not.toContain('far-away');
  });
});
