/**
 * THE isolation matrix: for each role × scope node × resource, list, get-by-id, search, facets and
 * export return exactly the documents of the user's subtree and nothing of any other; a role without
 * the power gets 403 everywhere. Expectations come from the test's own tree, not from the API's code.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Role } from '../../registry/types.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import {
  covers,
  docId,
  FACET_OF,
  MATRIX_NODES,
  MATRIX_RESOURCES,
  MATRIX_ROLES,
  MATRIX_TREE,
  MATRIX_USERS,
  PASSWORD,
  SEARCH_WORD,
  SEEDED_NODES,
  seedMatrix,
  type MatrixResource,
} from './matrix-fixture.js';

/** The test's own statement of which roles read which resources. */
const READS: Readonly<Record<Role, readonly MatrixResource[]>> = {
  admin: MATRIX_RESOURCES,
  supervisor: MATRIX_RESOURCES,
  inspector: MATRIX_RESOURCES,
  analyst: ['pages', 'ads'],
  public: [],
};

let fx: ApiFixture;
const tokens = new Map<string, string>();

beforeAll(async () => {
  fx = await apiFixture('apimatrix', MATRIX_TREE, MATRIX_USERS);
  await seedMatrix(fx.engine, fx.prefix);
  for (const user of MATRIX_USERS) tokens.set(user.username, await fx.login(user.username, PASSWORD));
});
afterAll(async () => {
  await fx?.cleanup();
});

function expectedIds(resource: MatrixResource, viewer: string): string[] {
  return SEEDED_NODES.filter((node) => covers(viewer, node))
    .map((node) => docId(resource, node))
    .sort();
}

function expectedTags(viewer: string): string[] {
  return SEEDED_NODES.filter((node) => covers(viewer, node))
    .map((node) => node ?? 'unlinked')
    .sort();
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id).sort();

const CELLS = MATRIX_ROLES.flatMap((role) =>
  MATRIX_NODES.flatMap((node) => MATRIX_RESOURCES.map((resource) => ({ role, node, resource }))),
);

describe.each(CELLS.filter((c) => READS[c.role].includes(c.resource)))(
  '$role at $node reading $resource',
  ({ role, node, resource }) => {
    const call = (path: string) => fx.call(tokens.get(`${role}-${node}`), path);
    const want = expectedIds(resource, node);

    it('lists, searches and exports exactly the documents of its subtree', async () => {
      const list = await json<{ total: number; items: Array<{ id: string }> }>(
        await call(`/api/${resource}?size=200`),
      );
      expect(ids(list.items)).toEqual(want);
      expect(list.total).toBe(want.length);
      const found = await json<{ items: Array<{ id: string }> }>(
        await call(`/api/${resource}?size=200&q=${SEARCH_WORD}`),
      );
      expect(ids(found.items)).toEqual(want);
      const ndjson = await call(`/api/${resource}/export?format=ndjson`);
      expect(ndjson.status).toBe(200);
      const lines = (await ndjson.text()).split('\n').filter((l) => l.length > 0);
      expect(lines.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual(want);
      const csv = await call(`/api/${resource}/export?format=csv`);
      const rows: Array<{ id: string }> = parse(await csv.text(), { columns: true, bom: true });
      expect(ids(rows)).toEqual(want);
    });

    it('groups only its own documents in facets', async () => {
      const facet = FACET_OF[resource];
      const body = await json<{ total: number; facets: Record<string, Array<{ key: string }>> }>(
        await call(`/api/${resource}/facets?facets=${facet}`),
      );
      expect(body.total).toBe(want.length);
      expect((body.facets[facet] ?? []).map((b) => b.key).sort()).toEqual(expectedTags(node));
      if (resource === 'pages') {
        const search = await json<{
          hits: Array<{ id: string }>;
          facets: Record<string, Array<{ value: string }>>;
        }>(await call(`/api/search?q=${SEARCH_WORD}&size=100&facets=site`));
        expect(ids(search.hits)).toEqual(want);
        expect((search.facets.site ?? []).map((b) => b.value).sort()).toEqual(expectedTags(node));
      }
    });

    it('gets its own documents by id and finds no other (404, not 403)', async () => {
      const statuses = await Promise.all(
        SEEDED_NODES.map(async (seeded) => {
          const res = await call(`/api/${resource}/${docId(resource, seeded)}`);
          await res.arrayBuffer();
          return [docId(resource, seeded), res.status] as const;
        }),
      );
      const expected = SEEDED_NODES.map((seeded) => [
        docId(resource, seeded),
        covers(node, seeded) ? 200 : 404,
      ]);
      expect(statuses).toEqual(expected);
    });
  },
);

describe.each(CELLS.filter((c) => !READS[c.role].includes(c.resource)))(
  '$role at $node without power over $resource',
  ({ role, node, resource }) => {
    it('gets 403 on list, facets, export and get', async () => {
      const token = tokens.get(`${role}-${node}`);
      const paths = [
        `/api/${resource}`,
        `/api/${resource}/facets`,
        `/api/${resource}/export`,
        `/api/${resource}/${docId(resource, node)}`,
      ];
      for (const path of paths) {
        const res = await fx.call(token, path);
        expect([path, res.status]).toEqual([path, 403]);
        await res.arrayBuffer();
      }
    });
  },
);

describe.each(MATRIX_RESOURCES)('the public user and %s', (resource) => {
  it('gets 403 on list and get, whatever exists', async () => {
    const token = tokens.get('public-user');
    expect((await fx.call(token, `/api/${resource}`)).status).toBe(403);
    expect((await fx.call(token, `/api/${resource}/${docId(resource, 'k1s1g1')}`)).status).toBe(403);
  });
});
