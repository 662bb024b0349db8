import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashToken } from '../../api/auth/session.store.js';
import type { JurisdictionNode } from '../../registry/types.js';
import type { NewUser } from '../../registry/users/user.repository.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';

const TREE: JurisdictionNode[] = [
  { id: 'c', level: 'city', name: '示范市', parent_id: null },
  { id: 'a', level: 'county', name: '甲区', parent_id: 'c' },
  { id: 'a1', level: 'station', name: '甲一所', parent_id: 'a' },
];

const USERS: NewUser[] = [
  {
    username: 'admin',
    display_name: '管理员',
    role: 'admin',
    scope_node_id: 'c',
    password: 'admin-secret-1',
  },
  {
    username: 'insp',
    display_name: '检查员',
    role: 'inspector',
    scope_node_id: 'a1',
    password: 'insp-secret-1',
  },
  {
    username: 'walker',
    display_name: '路人',
    role: 'public',
    scope_node_id: null,
    password: 'public-secret',
  },
  { username: 'ana', display_name: '分析员', role: 'analyst', scope_node_id: 'a', password: 'ana-secret-12' },
];

describe('API authentication', () => {
  let fx: ApiFixture;

  beforeAll(async () => {
    fx = await apiFixture('apiauth', TREE, USERS, { maxLoginFailures: 3, loginWindowSec: 60 });
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  it('signs in with the right password and answers /api/me with role and scope', async () => {
    const res = await fx.call(undefined, '/api/auth/login', {
      method: 'POST',
      json: { username: 'insp', password: 'insp-secret-1' },
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^argus_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const body = (await res.json()) as { token: string };
    const me = await fx.call(body.token, '/api/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { id: 'insp', role: 'inspector', scope_node_id: 'a1' },
      role: 'inspector',
      scope: { city: 'c', county: 'a', station: 'a1' },
      via: 'session',
    });
  });

  it('accepts the session cookie instead of the bearer header', async () => {
    const token = await fx.login('insp', 'insp-secret-1');
    const me = await fetch(`${fx.baseUrl}/api/me`, {
      headers: { Cookie: `other=1; argus_session=${token}` },
    });
    expect(me.status).toBe(200);
  });

  it('stores only a hash of the session token in Redis', async () => {
    const token = await fx.login('insp', 'insp-secret-1');
    expect(await fx.redis.exists(`${fx.prefix}:api:session:${hashToken(token)}`)).toBe(1);
    const keys = await fx.redis.keys(`${fx.prefix}:api:*`);
    expect(keys.some((k) => k.includes(token))).toBe(false);
  });

  it('after logout the token no longer works', async () => {
    const token = await fx.login('insp', 'insp-secret-1');
    const out = await fx.call(token, '/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect((await fx.call(token, '/api/me')).status).toBe(401);
  });

  it('answers a wrong password and an unknown user alike with 401', async () => {
    const wrong = await fx.call(undefined, '/api/auth/login', {
      method: 'POST',
      json: { username: 'admin', password: 'not-the-password' },
      headers: { 'X-Forwarded-For': '10.0.0.9' },
    });
    const unknown = await fx.call(undefined, '/api/auth/login', {
      method: 'POST',
      json: { username: 'nobody', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { error: { code: string; message: string } };
    const b = (await unknown.json()) as { error: { code: string; message: string } };
    expect(a.error).toEqual(b.error);
    expect(a.error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('after too many failures for one username, refuses even the right password with 429', async () => {
    const attempt = (password: string) =>
      fx.call(undefined, '/api/auth/login', { method: 'POST', json: { username: 'ana', password } });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const limited = await attempt('ana-secret-12');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('AUTH_RATE_LIMITED');
    // Another username from the same address is not locked out.
    expect(
      (
        await fx.call(undefined, '/api/auth/login', {
          method: 'POST',
          json: { username: 'insp', password: 'insp-secret-1' },
        })
      ).status,
    ).toBe(200);
  });

  it('answers 401 without a token, with a malformed token and with a forged one', async () => {
    expect((await fx.call(undefined, '/api/pages')).status).toBe(401);
    expect((await fx.call('garbage', '/api/pages')).status).toBe(401);
    expect((await fx.call('A'.repeat(43), '/api/pages')).status).toBe(401);
    const body = (await (await fx.call(undefined, '/api/me')).json()) as { error: { code: string } };
    expect(body.error.code).toBe('AUTH_REQUIRED');
  });

  it('lets a public user sign in but gives it nothing of the API (403)', async () => {
    const token = await fx.login('walker', 'public-secret');
    expect((await fx.call(token, '/api/me')).status).toBe(200);
    expect((await fx.call(token, '/api/pages')).status).toBe(403);
    expect((await fx.call(token, '/api/operators')).status).toBe(403);
  });

  it('answers bad login input with 400 and the problems, never 500', async () => {
    const missing = await fx.call(undefined, '/api/auth/login', {
      method: 'POST',
      json: { username: 'admin' },
    });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as {
      error: { code: string; details: { problems: Array<{ field: string }> } };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.problems.map((p) => p.field)).toContain('password');
    const broken = await fx.call(undefined, '/api/auth/login', {
      method: 'POST',
      body: '{"username":',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(broken.status).toBe(400);
  });

  it('a disabled user loses its live session at once', async () => {
    await fx.users.create({
      username: 'leaver',
      display_name: 'x',
      role: 'inspector',
      scope_node_id: 'a1',
      password: 'leaver-secret',
    });
    const token = await fx.login('leaver', 'leaver-secret');
    expect((await fx.call(token, '/api/me')).status).toBe(200);
    await fx.users.update('leaver', { disabled: true });
    expect((await fx.call(token, '/api/me')).status).toBe(401);
  });

  it('machine tokens: only an admin creates them; they authenticate as the user and can be revoked', async () => {
    const admin = await fx.login('admin', 'admin-secret-1');
    const inspector = await fx.login('insp', 'insp-secret-1');
    const denied = await fx.call(inspector, '/api/tokens', {
      method: 'POST',
      json: { user_id: 'insp', name: 'x' },
    });
    expect(denied.status).toBe(403);
    const created = await fx.call(admin, '/api/tokens', {
      method: 'POST',
      json: { user_id: 'insp', name: 'crawler box' },
    });
    expect(created.status).toBe(201);
    const { id, token } = (await created.json()) as { id: string; token: string };
    expect(await fx.redis.exists(`${fx.prefix}:api:api:${hashToken(token)}`)).toBe(1);
    const me = (await (await fx.call(token, '/api/me')).json()) as { via: string; user: { id: string } };
    expect(me).toMatchObject({ via: 'api', user: { id: 'insp' } });
    expect((await fx.call(admin, `/api/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fx.call(token, '/api/me')).status).toBe(401);
  });
});
