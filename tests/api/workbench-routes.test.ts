/**
 * The workbench endpoints on the real engine and Redis: search (highlights, filters, facets, cursors,
 * export), alerts (counts, detail, guarded actions, bulk), rules (CRUD, validate, back-test, versions),
 * dashboard, ad groups/pages/timeline, page versions and diff, and the ops surface (OpenAPI, metrics,
 * request ids, headers). Documents of two counties show that nothing crosses scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mountedRoutes } from '../../api/openapi/route-docs.js';
import { apiFixture, type ApiFixture } from './api-fixture.js';
import { MATRIX_TREE, MATRIX_USERS, PASSWORD } from './matrix-fixture.js';
import { seedWorkbench } from './workbench-fixture.js';

let fx: ApiFixture;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fx = await apiFixture('apiwork', MATRIX_TREE, MATRIX_USERS);
  await seedWorkbench(fx);
  for (const name of ['admin-c', 'inspector-k1', 'supervisor-c', 'analyst-k1']) {
    tokens[name] = await fx.login(name, PASSWORD);
  }
});
afterAll(async () => {
  await fx?.cleanup();
});

async function get<T>(who: string, path: string, status = 200): Promise<T> {
  const res = await fx.call(tokens[who], path);
  const text = await res.text();
  if (res.status !== status) throw new Error(`${path}: expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function send<T>(who: string, method: string, path: string, json: unknown, status = 200): Promise<T> {
  const res = await fx.call(tokens[who], path, { method, json });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${path}: expected ${status}, got ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

interface SearchBody {
  total: number;
  hits: Array<{ id: string; highlights: { text?: string[] } }>;
  facets: Record<string, Array<{ value: string; count: number }>>;
  next?: string;
}

describe('search', () => {
  it('finds a Chinese phrase in scope with <mark> highlights and scoped facets', async () => {
    const body = await get<SearchBody>(
      'inspector-k1',
      `/api/search?q=${encodeURIComponent('"最佳"')}&facets=site,district`,
    );
    expect(body.hits.map((h) => h.id)).toEqual(['p-k1s1g1']);
    expect(body.hits[0]?.highlights.text?.join('')).toContain('<mark>');
    expect(body.facets.district).toEqual([{ value: 'k1', count: 1 }]);
  });

  it('finds a single Chinese character inside a word (店 in 本店) and marks it', async () => {
    const body = await get<SearchBody>('inspector-k1', `/api/search?q=${encodeURIComponent('店')}`);
    expect(body.hits.map((h) => h.id)).toEqual(['p-k1s1g1']);
    expect(body.hits[0]?.highlights.text?.join('')).toContain('<mark>店</mark>');
  });

  it('gives each hit its common fields once and its other stored fields in source', async () => {
    const page = await get<{ hits: Array<Record<string, unknown>> }>('inspector-k1', '/api/search?q=本店');
    expect(page.hits[0]).toMatchObject({
      id: 'p-k1s1g1',
      kind: 'page',
      url: 'http://k1s1g1.test/p-k1s1g1',
      title: '店铺 p-k1s1g1',
      site: 'k1s1g1.test',
      fetchedAt: expect.any(String),
    });
    expect(page.hits[0]?.source).toEqual({
      host: 'k1s1g1.test',
      lang: 'zh',
      jurisdiction: expect.objectContaining({ county: 'k1' }),
      rule_hits: ['r-best'],
    });
    const ads = await get<{ hits: Array<Record<string, unknown>> }>(
      'analyst-k1',
      '/api/search?kind=ads&q=acme',
    );
    expect(ads.hits[0]).toMatchObject({ url: '', title: 'acme 最佳 保健品', site: 'k1s1g1.test' });
    expect(ads.hits[0]?.source).toMatchObject({ sites: ['k1s1g1.test'], advertiser: 'acme', seen_count: 3 });
    expect(Object.keys(ads.hits[0]?.source as object)).not.toEqual(
      expect.arrayContaining(['creative_text', 'last_seen', 'id']),
    );
  });

  it('pages with an after cursor through every hit once, and filters by district', async () => {
    const first = await get<SearchBody>('admin-c', '/api/search?q=&size=1&sort=newest');
    expect(first.total).toBe(2);
    const second = await get<SearchBody>('admin-c', `/api/search?q=&size=1&sort=newest&after=${first.next}`);
    expect([first.hits[0]?.id, second.hits[0]?.id].sort()).toEqual(['p-k1s1g1', 'p-k2s1g1']);
    const k2 = await get<SearchBody>('admin-c', '/api/search?district=k2');
    expect(k2.hits.map((h) => h.id)).toEqual(['p-k2s1g1']);
  });

  it('searches ads and exports what the search finds as NDJSON', async () => {
    const ads = await get<SearchBody>('analyst-k1', '/api/search?kind=ads&q=acme&facets=advertiser');
    expect(ads.hits.map((h) => h.id)).toEqual(['a-k1']);
    const res = await fx.call(tokens['inspector-k1'], '/api/search/export?format=ndjson&q=');
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['p-k1s1g1']);
  });

  it('answers a bad query with 400 QUERY_INVALID and a forged cursor with 400 CURSOR_INVALID', async () => {
    const bad = await get<{ error: { code: string } }>(
      'admin-c',
      `/api/search?q=${encodeURIComponent('(最佳')}`,
      400,
    );
    expect(bad.error.code).toBe('QUERY_INVALID');
    const forged = await get<{ error: { code: string } }>('admin-c', '/api/search?after=eyJ4IjoxfQ', 400);
    expect(forged.error.code).toBe('CURSOR_INVALID');
  });
});

describe('alerts', () => {
  it('counts by status × severity in scope', async () => {
    const counts = await get<{ total: number; matrix: Record<string, Record<string, number>> }>(
      'inspector-k1',
      '/api/alerts/counts',
    );
    expect(counts.total).toBe(2);
    expect(counts.matrix.open).toEqual({ low: 1, medium: 0, high: 1, critical: 0 });
  });

  it('filters the alert list by document id and operator id, inside the scope only', async () => {
    type List = { total: number; items: Array<{ id: string }> };
    const ids = (list: List) => list.items.map((i) => i.id).sort();
    const byDoc = await get<List>('inspector-k1', '/api/alerts?doc_id=p-k1s1g1');
    expect(ids(byDoc)).toEqual(['al-k1-1', 'al-k1-2']);
    expect((await get<List>('inspector-k1', '/api/alerts?doc_id=p-k2s1g1')).total).toBe(0);
    expect(ids(await get<List>('admin-c', '/api/alerts?doc_id=p-k2s1g1'))).toEqual(['al-k2']);
    expect(ids(await get<List>('inspector-k1', '/api/alerts?operator_id=op-a'))).toEqual(['al-k1-1']);
    expect(ids(await get<List>('admin-c', '/api/alerts?operator_id=op-a'))).toEqual(['al-k1-1', 'al-k2']);
    const both = await get<List>('admin-c', '/api/alerts?operator_id=op-a&doc_id=p-k2s1g1');
    expect(ids(both)).toEqual(['al-k2']);
    for (const bad of ['..%2Fx', 'a*', 'a%2Cb', '%20']) {
      const body = await get<{ error: { code: string; details: { problems: Array<{ field: string }> } } }>(
        'inspector-k1',
        `/api/alerts?doc_id=${bad}`,
        400,
      );
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details.problems[0]?.field).toBe('doc_id');
    }
    const docs = await get<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>(
      'admin-c',
      '/api/openapi.json',
    );
    const params = docs.paths['/api/alerts']?.get?.parameters?.map((p) => p.name) ?? [];
    expect(params).toEqual(expect.arrayContaining(['doc_id', 'operator_id']));
  });

  it('acknowledges with the version read, 409 on a stale one, and shows the audit trail', async () => {
    const detail = await get<{ version: string; notifications: unknown[] }>(
      'inspector-k1',
      '/api/alerts/al-k1-1',
    );
    expect(detail.notifications).toHaveLength(1);
    const done = await send<{ status: string }>('inspector-k1', 'POST', '/api/alerts/al-k1-1/actions', {
      action: 'acknowledge',
      version: detail.version,
    });
    expect(done.status).toBe('acknowledged');
    const stale = await send<{ error: { code: string } }>(
      'inspector-k1',
      'POST',
      '/api/alerts/al-k1-1/actions',
      { action: 'resolve', version: detail.version },
      409,
    );
    expect(stale.error.code).toBe('VERSION_CONFLICT');
    const after = await get<{ audit: Array<{ action: string }> }>('inspector-k1', '/api/alerts/al-k1-1');
    expect(after.audit.map((a) => a.action)).toEqual(['alert.acknowledge']);
    await get('inspector-k1', '/api/alerts/al-k2', 404);
  });

  it('bulk-acts per id, reporting the alerts outside scope as NOT_FOUND', async () => {
    const body = await send<{ results: Array<{ id: string; ok: boolean; code?: string }> }>(
      'inspector-k1',
      'POST',
      '/api/alerts/bulk',
      { ids: ['al-k1-2', 'al-k2'], action: 'false_positive', reason: 'test' },
    );
    expect(body.results.map((r) => [r.id, r.ok, r.code])).toEqual([
      ['al-k1-2', true, undefined],
      ['al-k2', false, 'NOT_FOUND'],
    ]);
  });
});

describe('rules', () => {
  it('creates, guards updates by version, toggles, lists versions and back-tests in scope', async () => {
    const created = await send<{ id: string; version: number; scope: unknown }>(
      'supervisor-c',
      'POST',
      '/api/rules',
      { id: 'r-test', name: '最佳', target: 'pages', query: '"最佳"', severity: 'high', category: 'ad-law' },
      201,
    );
    expect(created.scope).toEqual({ city: 'c' });
    await send('supervisor-c', 'PATCH', '/api/rules/r-test', { name: '最佳 v2', version: 1 });
    const stale = await send<{ error: { code: string } }>(
      'supervisor-c',
      'PATCH',
      '/api/rules/r-test',
      { name: 'x', version: 1 },
      409,
    );
    expect(stale.error.code).toBe('ENGINE_VERSION_CONFLICT');
    const disabled = await send<{ enabled: boolean }>(
      'supervisor-c',
      'POST',
      '/api/rules/r-test/disable',
      {},
    );
    expect(disabled.enabled).toBe(false);
    const versions = await get<{ versions: unknown[] }>('supervisor-c', '/api/rules/r-test/versions');
    expect(versions.versions).toHaveLength(3);
    const bad = await send<{ error: { code: string } }>(
      'supervisor-c',
      'POST',
      '/api/rules/validate',
      { query: '最佳 AND (' },
      400,
    );
    expect(bad.error.code).toMatch(/QUERY_INVALID|RULE_INVALID/);
    const backtest = await send<{ total: number }>('inspector-k1', 'POST', '/api/rules/backtest', {
      rule: { query: '"最佳"', target: 'pages' },
    });
    expect(backtest.total).toBe(1);
  });
});

describe('channels', () => {
  it('creates a route at a node in scope, hides its secret, guards changes and refuses other counties', async () => {
    const created = await send<{ id: string; version: number; target: { secret?: string } }>(
      'supervisor-c',
      'POST',
      '/api/channels',
      {
        name: 'k1 webhook',
        node_id: 'k1',
        target: { channel: 'webhook', url: 'http://hooks.test/k1', secret: 's3cret-value-long-enough' },
      },
      201,
    );
    expect(created.target.secret).toBe('***');
    const listed = await get<{ channels: Array<{ id: string }> }>('supervisor-c', '/api/channels');
    expect(listed.channels.map((c) => c.id)).toContain(created.id);
    await send('supervisor-c', 'PATCH', `/api/channels/${created.id}`, {
      name: 'renamed',
      version: created.version,
    });
    await send(
      'supervisor-c',
      'PATCH',
      `/api/channels/${created.id}`,
      { name: 'x', version: created.version },
      409,
    );
    tokens['supervisor-k1'] ??= await fx.login('supervisor-k1', PASSWORD);
    await send(
      'supervisor-k1',
      'POST',
      '/api/channels',
      { name: 'far', node_id: 'k2', target: { channel: 'in_app' } },
      403,
    );
    const res = await fx.call(tokens['supervisor-c'], `/api/channels/${created.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
  });
});

describe('ads, pages and dashboard', () => {
  it('groups ads by advertiser in scope, with samples, pages and a timeline', async () => {
    const groups = await get<{ groups: Array<{ key: string; count: number; sample: unknown[] }> }>(
      'analyst-k1',
      '/api/ads/groups?by=advertiser',
    );
    expect(groups.groups.map((g) => [g.key, g.count, g.sample.length])).toEqual([['acme', 1, 1]]);
    const pages = await get<{ total: number }>('analyst-k1', '/api/ads/a-k1/pages');
    expect(pages.total).toBe(1);
    const timeline = await get<{ events: Array<{ type: string }> }>('analyst-k1', '/api/ads/a-k1/timeline');
    expect(timeline.events.map((e) => e.type)).toContain('page');
    await get('analyst-k1', '/api/ads/a-k2/timeline', 404);
    // The detail carries the landing page's copy the ad rules read.
    const ad = await get<Record<string, unknown>>('analyst-k1', '/api/ads/a-k1');
    expect([ad.landing_title, ad.landing_text]).toEqual(['acme 落地页', 'acme 落地页正文']);
  });

  it('lists page versions and diffs two of them word by word', async () => {
    const versions = await get<{ versions: Array<{ version: number }> }>(
      'inspector-k1',
      '/api/pages/p-k1s1g1/versions',
    );
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    const diff = await get<{ changes: Array<{ op: string; text: string }> }>(
      'inspector-k1',
      '/api/pages/p-k1s1g1/diff?from=1&to=2',
    );
    expect(
      diff.changes
        .filter((c) => c.op === 'insert')
        .map((c) => c.text)
        .join(''),
    ).toContain('最佳');
    expect(
      diff.changes
        .filter((c) => c.op === 'delete')
        .map((c) => c.text)
        .join(''),
    ).toContain('优质');
    await get('inspector-k1', '/api/pages/p-k2s1g1/versions', 404);
  });

  it('gives the dashboard figures of the caller scope', async () => {
    const stats = await get<{ byDistrict: Array<{ key: string }>; crawlHealth: { fetched: number } }>(
      'inspector-k1',
      '/api/stats/overview?interval=day',
    );
    expect(stats.byDistrict.map((b) => b.key)).toEqual(['k1']);
    expect(stats.crawlHealth.fetched).toBe(1);
  });
});

describe('ops surface', () => {
  it('documents every mounted route in the OpenAPI document', async () => {
    const doc = (await (await fx.call(undefined, '/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    const mounted = mountedRoutes(fx.app);
    expect(mounted.length).toBeGreaterThan(40);
    expect(mounted.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('serves the docs page and its assets locally', async () => {
    const page = await fx.call(undefined, '/api/docs');
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    const asset = await fx.call(undefined, '/api/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
    await asset.arrayBuffer();
  });

  it('echoes a request id, sets security headers, sends no CORS by default and exports metrics', async () => {
    const res = await fx.call(tokens['admin-c'], '/api/me', {
      headers: { 'X-Request-Id': 'req-123', Origin: 'http://evil.test' },
    });
    await res.arrayBuffer();
    expect(res.headers.get('x-request-id')).toBe('req-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const metrics = await (await fx.call(undefined, '/metrics')).text();
    expect(metrics).toMatch(
      /argus_http_request_duration_seconds_count\{method="GET",route="\/api\/me",status="200"\}/,
    );
    expect(metrics).toContain('argus_alerts{status="open"}');
  });
});
