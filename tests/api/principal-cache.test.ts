/**
 * The API keeps signed-in users and their scope in memory (api/auth/principal-cache.ts); these tests
 * show that it does, and that a change of role, a disabled account, a moved scope node or a sign-out
 * still takes effect at the next request, in the process that made the change and in another one on
 * the same Redis (a second app with its own registry stores, as a second API process has).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createApp } from '../../api/app.js';
import { aliasName } from '../../mappings/index.js';
import { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { JurisdictionRef } from '../../registry/types.js';
import { UserRepository } from '../../registry/users/user.repository.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD, refOf } from './matrix-fixture.js';

/** Long enough that nothing in these tests expires by time: only the epoch ends an entry. */
const CACHE_MS = 600_000;
let fx: ApiFixture;
let other: Server;
let otherUrl = '';

beforeAll(async () => {
  fx = await apiFixture('apicache', MATRIX_TREE, MATRIX_USERS, {}, { principalCacheMs: CACHE_MS });
  const tree = new JurisdictionTree(fx.engine, { prefix: fx.prefix, refresh: true });
  const app = createApp({
    engine: fx.engine,
    prefix: fx.prefix,
    redis: fx.redis,
    tree,
    users: new UserRepository(fx.engine, tree, { prefix: fx.prefix, refresh: true }),
    redisPing: () => Promise.resolve(true),
    auth: { keyPrefix: `${fx.prefix}:api` },
    principalCacheMs: CACHE_MS,
  });
  other = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  other?.closeAllConnections();
  await new Promise((resolve) => other?.close(resolve));
  await fx?.cleanup();
});

interface Me {
  role: string;
  scope: JurisdictionRef | null;
}

/** `GET path` on the fixture's app ('this') or the second one ('other'); returns the status. */
async function status(where: 'this' | 'other', token: string, path: string): Promise<number> {
  const base = where === 'this' ? fx.baseUrl : otherUrl;
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

async function me(where: 'this' | 'other', token: string): Promise<Me> {
  const base = where === 'this' ? fx.baseUrl : otherUrl;
  const res = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Me;
}

async function patchUser(admin: string, id: string, json: Record<string, unknown>): Promise<void> {
  const res = await fx.call(admin, `/api/users/${id}`, { method: 'PATCH', json });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

describe('principal cache', () => {
  it('serves the user from memory: a change written past the registry shows only once the epoch moves', async () => {
    const token = await fx.login('inspector-k2s2', PASSWORD);
    expect((await me('this', token)).role).toBe('inspector');
    await fx.engine.update(
      aliasName(fx.prefix, 'users'),
      'inspector-k2s2',
      { doc: { role: 'analyst' } },
      { refresh: true },
    );
    expect((await me('this', token)).role).toBe('inspector');
    await fx.redis.incr(`${fx.prefix}:api:user-epoch`);
    expect((await me('this', token)).role).toBe('analyst');
  });

  it('a role change through the API takes effect at the next request, here and in another process', async () => {
    const admin = await fx.login('admin-c', PASSWORD);
    const token = await fx.login('supervisor-k1', PASSWORD);
    expect(await status('this', token, '/api/alerts/counts')).toBe(200);
    expect(await status('other', token, '/api/alerts/counts')).toBe(200);
    await patchUser(admin, 'supervisor-k1', { role: 'analyst' });
    expect(await status('this', token, '/api/alerts/counts')).toBe(403);
    expect(await status('other', token, '/api/alerts/counts')).toBe(403);
    expect((await me('other', token)).role).toBe('analyst');
  });

  it('disabling a user through the API ends its access at the next request everywhere', async () => {
    const admin = await fx.login('admin-c', PASSWORD);
    const token = await fx.login('inspector-k1s1', PASSWORD);
    expect(await status('this', token, '/api/me')).toBe(200);
    expect(await status('other', token, '/api/me')).toBe(200);
    await patchUser(admin, 'inspector-k1s1', { disabled: true });
    expect(await status('this', token, '/api/me')).toBe(401);
    expect(await status('other', token, '/api/me')).toBe(401);
  });

  it('a sign-out ends the session at once although the user is cached', async () => {
    const token = await fx.login('analyst-k1', PASSWORD);
    expect(await status('other', token, '/api/me')).toBe(200);
    const out = await fx.call(token, '/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(await status('other', token, '/api/me')).toBe(401);
    expect(await status('this', token, '/api/me')).toBe(401);
  });

  it("moving the user's scope node changes its scope at the next request of another process", async () => {
    const token = await fx.login('analyst-k1s1', PASSWORD);
    expect((await me('other', token)).scope).toEqual(refOf('k1s1'));
    await fx.tree.move('k1s1', 'k2');
    expect((await me('other', token)).scope).toEqual({ city: 'c', county: 'k2', station: 'k1s1' });
  });
});
