import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JurisdictionNode } from '../../registry/types.js';
import type { NewUser } from '../../registry/users/user.repository.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';

const TREE: JurisdictionNode[] = [
  { id: 'c', level: 'city', name: '示范市', parent_id: null },
  { id: 'a', level: 'county', name: '甲区', parent_id: 'c' },
  { id: 'b', level: 'county', name: '乙区', parent_id: 'c' },
  { id: 'a1', level: 'station', name: '甲一所', parent_id: 'a' },
  { id: 'b1', level: 'station', name: '乙一所', parent_id: 'b' },
  { id: 'a1-g1', level: 'grid', name: '甲一所一网格', parent_id: 'a1' },
  { id: 'b1-g1', level: 'grid', name: '乙一所一网格', parent_id: 'b1' },
];

const PASSWORD = 'routes-secret';
const user = (username: string, role: NewUser['role'], node: string): NewUser => ({
  username,
  display_name: username,
  role,
  scope_node_id: node,
  password: PASSWORD,
});
const USERS = [
  user('city-admin', 'admin', 'c'),
  user('county-admin-a', 'admin', 'a'),
  user('insp-a1', 'inspector', 'a1'),
  user('insp-b1', 'inspector', 'b1'),
  user('analyst-a', 'analyst', 'a'),
];

type ErrorBody = {
  error: { code: string; message: string; details?: { problems?: Array<{ field: string }> } };
};

describe('registry routes', () => {
  let fx: ApiFixture;
  const t: Record<string, string> = {};

  beforeAll(async () => {
    fx = await apiFixture('apireg', TREE, USERS);
    for (const u of USERS) t[u.username] = await fx.login(u.username, PASSWORD);
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  async function createOperator(token: string, id: string, grid: string) {
    return fx.call(token, '/api/operators', {
      method: 'POST',
      json: { id, name: `商户 ${id}`, type: 'self_run_site', jurisdiction: { grid } },
    });
  }

  it('an inspector creates an operator in its station, with the full ref filled in and an ETag', async () => {
    const res = await createOperator(t['insp-a1']!, 'op-a', 'a1-g1');
    expect(res.status).toBe(201);
    expect(res.headers.get('etag')).toMatch(/^"\d+-\d+"$/);
    expect(await res.json()).toMatchObject({
      id: 'op-a',
      jurisdiction: { city: 'c', county: 'a', station: 'a1', grid: 'a1-g1' },
    });
  });

  it('an inspector of station A cannot create an operator in station B (403) nor see, change or trace B’s (404)', async () => {
    expect((await createOperator(t['insp-b1']!, 'op-b', 'b1-g1')).status).toBe(201);
    const create = await createOperator(t['insp-a1']!, 'op-sneaky', 'b1-g1');
    expect(create.status).toBe(403);
    expect(((await create.json()) as ErrorBody).error.code).toBe('OUT_OF_SCOPE');
    const get = await fx.call(t['insp-b1'], '/api/operators/op-b');
    const etag = get.headers.get('etag') ?? '';
    const patch = await fx.call(t['insp-a1'], '/api/operators/op-b', {
      method: 'PATCH',
      json: { notes: 'mine now' },
      headers: { 'If-Match': etag },
    });
    expect(patch.status).toBe(404);
    expect((await fx.call(t['insp-a1'], '/api/operators/op-b')).status).toBe(404);
    expect((await fx.call(t['insp-a1'], '/api/operators/op-b/history')).status).toBe(404);
    const moveAway = await fx.call(t['insp-a1'], '/api/operators/op-a', {
      method: 'PATCH',
      json: { jurisdiction: { grid: 'b1-g1' } },
      headers: {
        'If-Match': (await fx.call(t['insp-a1'], '/api/operators/op-a')).headers.get('etag') ?? '',
      },
    });
    expect(moveAway.status).toBe(403);
    const stillB = (await (await fx.call(t['insp-b1'], '/api/operators/op-b')).json()) as {
      notes: string | null;
    };
    expect(stillB.notes).toBeNull();
  });

  it('an update naming a stale version gets 409 and changes nothing; the fresh one applies and is in history', async () => {
    await createOperator(t['insp-a1']!, 'op-v', 'a1-g1');
    const read = await fx.call(t['insp-a1'], '/api/operators/op-v');
    const etag = read.headers.get('etag') ?? '';
    const first = await fx.call(t['insp-a1'], '/api/operators/op-v', {
      method: 'PATCH',
      json: { risk_tier: 'high' },
      headers: { 'If-Match': etag },
    });
    expect(first.status).toBe(200);
    const second = await fx.call(t['insp-a1'], '/api/operators/op-v', {
      method: 'PATCH',
      json: { risk_tier: 'low' },
      headers: { 'If-Match': etag },
    });
    expect(second.status).toBe(409);
    expect(((await second.json()) as ErrorBody).error.code).toBe('REGISTRY_VERSION_CONFLICT');
    const now = (await (await fx.call(t['insp-a1'], '/api/operators/op-v')).json()) as { risk_tier: string };
    expect(now.risk_tier).toBe('high');
    const history = (await (await fx.call(t['insp-a1'], '/api/operators/op-v/history')).json()) as {
      items: Array<{ action: string; actor: string }>;
    };
    expect(history.items.map((h) => h.action).sort()).toEqual(['create', 'update']);
    expect(history.items.every((h) => h.actor === 'insp-a1')).toBe(true);
  });

  it('answers bad input with 400 and the offending fields, never 500', async () => {
    const noIfMatch = await fx.call(t['insp-a1'], '/api/operators/op-a', {
      method: 'PATCH',
      json: { notes: 'x' },
    });
    expect(noIfMatch.status).toBe(400);
    const badType = await fx.call(t['insp-a1'], '/api/operators', {
      method: 'POST',
      json: { name: 'x', type: 'spaceship', uscc: '91110000XXXXXXXXXX', jurisdiction: { grid: 'a1-g1' } },
    });
    expect(badType.status).toBe(400);
    const fields = ((await badType.json()) as ErrorBody).error.details?.problems?.map((p) => p.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['type', 'uscc']));
    const badPaging = await fx.call(t['insp-a1'], '/api/operators?size=100000&bogus=1');
    expect(badPaging.status).toBe(400);
    const badFacet = await fx.call(t['insp-a1'], '/api/pages/facets?facets=password_hash');
    expect(badFacet.status).toBe(400);
    const array = await fx.call(t['insp-a1'], '/api/operators', { method: 'POST', json: [1, 2] });
    expect(array.status).toBe(400);
  });

  it('an analyst may not write operators (403)', async () => {
    expect((await createOperator(t['analyst-a']!, 'op-x', 'a1-g1')).status).toBe(403);
  });

  it('shows each caller only its part of the jurisdiction tree', async () => {
    type Tree = {
      roots: Array<{ id: string; children: Array<{ id: string; children: Array<{ id: string }> }> }>;
    };
    const city = (await (await fx.call(t['city-admin'], '/api/jurisdictions/tree')).json()) as Tree;
    expect(city.roots.map((r) => r.id)).toEqual(['c']);
    expect(city.roots[0]!.children.map((c) => c.id).sort()).toEqual(['a', 'b']);
    const station = (await (await fx.call(t['insp-a1'], '/api/jurisdictions/tree')).json()) as Tree;
    expect(station.roots.map((r) => r.id)).toEqual(['a1']);
    expect(station.roots[0]!.children.map((c) => c.id)).toEqual(['a1-g1']);
    const csv = await (await fx.call(t['insp-a1'], '/api/jurisdictions/export.csv')).text();
    expect(csv).toContain('a1-g1');
    expect(csv).not.toContain('b1');
  });

  it('a county admin adds nodes only under its own subtree', async () => {
    const ok = await fx.call(t['county-admin-a'], '/api/jurisdictions', {
      method: 'POST',
      json: { id: 'a1-g2', level: 'grid', name: '甲一所二网格', parent_id: 'a1' },
    });
    expect(ok.status).toBe(201);
    const outside = await fx.call(t['county-admin-a'], '/api/jurisdictions', {
      method: 'POST',
      json: { id: 'b1-g9', level: 'grid', name: 'x', parent_id: 'b1' },
    });
    expect(outside.status).toBe(404);
  });

  it('imports a tree CSV all-or-nothing: one bad row writes nothing and reports row, column and reason', async () => {
    const bad = 'id,level,name,parent_id\nb2,station,乙二所,b\nb2-g1,grid,乙二所一网格,nowhere\n';
    const res = await fx.call(t['city-admin'], '/api/jurisdictions/import', {
      method: 'POST',
      body: bad,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(res.status).toBe(422);
    const report = (await res.json()) as { ok: boolean; problems: Array<{ row: number; column: string }> };
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ column: 'parent_id' });
    expect(await fx.tree.get('b2')).toBeUndefined();
    const good = await fx.call(t['city-admin'], '/api/jurisdictions/import', {
      method: 'POST',
      body: 'id,level,name,parent_id\nb2,station,乙二所,b\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(good.status).toBe(200);
    expect(await fx.tree.get('b2')).toMatchObject({ parent_id: 'b' });
    const county = await fx.call(t['county-admin-a'], '/api/jurisdictions/import', {
      method: 'POST',
      body: 'id,level,name,parent_id\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(county.status).toBe(403);
  });

  it('user administration: admins only, and only inside their subtree', async () => {
    expect((await fx.call(t['insp-a1'], '/api/users')).status).toBe(403);
    const listed = (await (await fx.call(t['county-admin-a'], '/api/users')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(listed.items.map((u) => u.id).sort()).toEqual(['analyst-a', 'county-admin-a', 'insp-a1']);
    expect((await fx.call(t['county-admin-a'], '/api/users/insp-b1')).status).toBe(404);
    const created = await fx.call(t['county-admin-a'], '/api/users', {
      method: 'POST',
      json: {
        username: 'new-insp',
        display_name: 'n',
        role: 'inspector',
        scope_node_id: 'a1',
        password: 'new-secret-1',
      },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(await created.json())).not.toContain('password');
    const outside = await fx.call(t['county-admin-a'], '/api/users', {
      method: 'POST',
      json: {
        username: 'spy',
        display_name: 'n',
        role: 'admin',
        scope_node_id: 'b',
        password: 'new-secret-1',
      },
    });
    expect(outside.status).toBe(404);
    const widen = await fx.call(t['county-admin-a'], '/api/users/insp-a1', {
      method: 'PATCH',
      json: { scope_node_id: 'c' },
    });
    expect(widen.status).toBe(404);
  });

  it('the task list of a station holds its own operators only; the city sees every station', async () => {
    type Tasks = Record<'overdue' | 'due' | 'upcoming', Array<{ operator_id: string }>>;
    const idsOf = (tasks: Tasks) =>
      [...tasks.overdue, ...tasks.due, ...tasks.upcoming].map((task) => task.operator_id).sort();
    const station = (await (await fx.call(t['insp-a1'], '/api/tasks')).json()) as Tasks;
    expect(idsOf(station)).toEqual(['op-a', 'op-v']);
    const city = (await (await fx.call(t['city-admin'], '/api/tasks')).json()) as Tasks;
    expect(idsOf(city)).toEqual(['op-a', 'op-b', 'op-v']);
    expect((await fx.call(t['analyst-a'], '/api/tasks')).status).toBe(403);
    expect((await fx.call(t['insp-a1'], '/api/tasks?mine=maybe')).status).toBe(400);
  });

  it('lists candidates and lookalikes for the city only; a station gets an empty list', async () => {
    const station = (await (await fx.call(t['insp-a1'], '/api/candidates')).json()) as { items: unknown[] };
    expect(station.items).toEqual([]);
    expect((await fx.call(t['analyst-a'], '/api/lookalikes')).status).toBe(403);
  });
});
