import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hashPassword, verifyPassword } from '../../registry/users/password.js';
import { canSee, UserRepository } from '../../registry/users/user.repository.js';
import { registryFixture, type RegistryFixture } from './registry-fixture.js';

/** Cheap scrypt cost for tests; production uses the default N = 16384. */
const FAST_HASH = { N: 1024 };

describe('users', () => {
  let fx: RegistryFixture;
  let users: UserRepository;

  beforeAll(async () => {
    fx = await registryFixture('users');
    users = new UserRepository(fx.engine, fx.tree, { prefix: fx.prefix, refresh: true, hash: FAST_HASH });
  });
  afterAll(async () => {
    await fx.cleanup();
  });

  it('hashes with a per-user salt: the same password twice gives two hashes, both verify', async () => {
    const first = await hashPassword('correct horse', FAST_HASH);
    const second = await hashPassword('correct horse', FAST_HASH);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horse', second)).toBe(true);
    expect(await verifyPassword('correct horsf', first)).toBe(false);
    expect(await verifyPassword('correct horse', 'md5$abc')).toBe(false);
  });

  it('creates an inspector scoped to a station and never returns the hash', async () => {
    const user = await users.create({
      username: 'Inspector-A',
      display_name: '检查员甲',
      role: 'inspector',
      scope_node_id: 'a1',
      password: 'station-a-secret',
    });
    expect(user).toEqual({
      id: 'inspector-a',
      username: 'inspector-a',
      display_name: '检查员甲',
      role: 'inspector',
      scope_node_id: 'a1',
      disabled: false,
    });
    expect(JSON.stringify(await users.get('inspector-a'))).not.toContain('scrypt');
    const listed = await users.list({ city: 'c' });
    expect(JSON.stringify(listed)).not.toContain('scrypt');
    expect(listed.map((u) => u.id)).toEqual(['inspector-a']);
    const stored = await fx.engine.get<{ password_hash: string }>(users.index, 'inspector-a');
    expect(stored.source?.password_hash).toMatch(/^scrypt\$/);
    expect(stored.source?.password_hash).not.toContain('station-a-secret');
  });

  it('authenticates with the right password and gives the scope of the user node', async () => {
    const session = await users.authenticate('INSPECTOR-A', 'station-a-secret');
    expect(session.scope).toEqual({ city: 'c', county: 'a', station: 'a1' });
    expect(JSON.stringify(session)).not.toContain('scrypt');
    expect(await users.scopeOf(session)).toEqual(session.scope);
  });

  it('refuses a wrong password, an unknown user and a disabled user alike', async () => {
    const refused = { code: 'AUTH_INVALID_CREDENTIALS', httpStatus: 401 };
    await expect(users.authenticate('inspector-a', 'station-a-secreT')).rejects.toMatchObject(refused);
    await expect(users.authenticate('nobody', 'station-a-secret')).rejects.toMatchObject(refused);
    await users.create({
      username: 'gone',
      display_name: 'x',
      role: 'analyst',
      scope_node_id: 'c',
      password: 'whatever-1',
      disabled: true,
    });
    await expect(users.authenticate('gone', 'whatever-1')).rejects.toMatchObject(refused);
  });

  it('refuses a taken username, a missing scope node, a public user with a scope and a short password', async () => {
    const base = {
      display_name: 'x',
      role: 'inspector' as const,
      scope_node_id: 'b1',
      password: 'long-enough',
    };
    await expect(users.create({ ...base, username: 'inspector-a' })).rejects.toMatchObject({
      code: 'REGISTRY_EXISTS',
      httpStatus: 409,
    });
    await expect(users.create({ ...base, username: 'user2', scope_node_id: 'zz' })).rejects.toMatchObject({
      details: { problems: [{ field: 'scope_node_id', reason: 'no jurisdiction node "zz"' }] },
    });
    await expect(users.create({ ...base, username: 'user3', role: 'public' })).rejects.toMatchObject({
      details: { problems: [{ field: 'scope_node_id', reason: 'a public user has no scope node' }] },
    });
    await expect(users.create({ ...base, username: 'user4', password: 'short' })).rejects.toMatchObject({
      details: { problems: [expect.objectContaining({ field: 'password' })] },
    });
    expect(await users.get('user2')).toBeUndefined();
  });

  it('changes a password: the old one stops working', async () => {
    await users.setPassword('inspector-a', 'new-secret-123');
    await expect(users.authenticate('inspector-a', 'station-a-secret')).rejects.toMatchObject({
      httpStatus: 401,
    });
    expect((await users.authenticate('inspector-a', 'new-secret-123')).id).toBe('inspector-a');
  });

  it('lets a station inspector see its station only, the city see all, the public nothing', async () => {
    const inspector = await users.authenticate('inspector-a', 'new-secret-123');
    expect(canSee(inspector, { city: 'c', county: 'a', station: 'a1', grid: 'a1-g2' })).toBe(true);
    expect(canSee(inspector, { city: 'c', county: 'a', station: 'a2', grid: 'a2-g1' })).toBe(false);
    expect(canSee(inspector, { city: 'c', county: 'a' })).toBe(false);
    expect(canSee(inspector, null)).toBe(false);
    const city = { role: 'supervisor' as const, disabled: false, scope: { city: 'c' } };
    expect(canSee(city, { city: 'c', county: 'b', station: 'b1' })).toBe(true);
    expect(canSee(city, null)).toBe(true);
    expect(canSee({ role: 'public', disabled: false, scope: null }, { city: 'c' })).toBe(false);
    expect(canSee({ ...city, disabled: true }, { city: 'c' })).toBe(false);
  });

  it('lists the users inside a scope: county b does not see station a1 staff', async () => {
    await users.create({
      username: 'inspector-b',
      display_name: '乙',
      role: 'inspector',
      scope_node_id: 'b1',
      password: 'station-b-secret',
    });
    expect((await users.list({ city: 'c', county: 'b' })).map((u) => u.id)).toEqual(['inspector-b']);
    expect((await users.list({ city: 'c', county: 'a' })).map((u) => u.id)).toEqual(['inspector-a']);
  });
});
