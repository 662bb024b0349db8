import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureDemoRoutes } from '../../indexer/alert/routing/demo-routes.js';
import { RouteRepository } from '../../indexer/alert/routing/route.repository.js';
import { redactRoute, type AlertRoute } from '../../indexer/alert/routing/route.schema.js';
import { deliveryMode, routesFor, type RoutableAlert } from '../../indexer/alert/routing/router.js';
import { aliasName } from '../../mappings/index.js';
import { routingFixture, type RoutingFixture } from './routing-support.js';

const route = (overrides: Partial<AlertRoute>): AlertRoute => ({
  id: 'r',
  name: 'r',
  node_id: '3301',
  node_level: 'city',
  jurisdiction: { city: '3301' },
  min_severity: 'low',
  categories: [],
  rule_ids: [],
  target: { channel: 'in_app' },
  enabled: true,
  digest_interval_ms: 0,
  bypass_digest_severity: 'critical',
  version: 1,
  created_at: '',
  created_by: 't',
  updated_at: '',
  updated_by: 't',
  ...overrides,
});

const city = route({ id: 'city' });
const westLake = route({
  id: 'county',
  node_id: '330106',
  node_level: 'county',
  jurisdiction: { city: '3301', county: '330106' },
});
const station = route({
  id: 'station',
  node_id: '330106-01',
  node_level: 'station',
  jurisdiction: { city: '3301', county: '330106', station: '330106-01' },
});
const grid = route({
  id: 'grid',
  node_id: '330106-01-g02',
  node_level: 'grid',
  jurisdiction: { city: '3301', county: '330106', station: '330106-01', grid: '330106-01-g02' },
});
const binjiang = route({
  id: 'other-county',
  node_id: '330108',
  node_level: 'county',
  jurisdiction: { city: '3301', county: '330108' },
});
const all = [city, westLake, station, grid, binjiang];

const alert = (overrides: Partial<RoutableAlert> = {}): RoutableAlert => ({
  ruleId: 'zui-jia',
  severity: 'high',
  category: 'ad_law_absolute',
  jurisdiction: { city: '3301', county: '330106', station: '330106-01', grid: '330106-01-g02' },
  ...overrides,
});
const ids = (routes: AlertRoute[]): string[] => routes.map((r) => r.id);

describe('routing an alert by jurisdiction, severity, category and rule', () => {
  it('goes to every node that contains the operator: its grid, station, county and the city, not the other county', () => {
    expect(ids(routesFor(alert(), all))).toEqual(['city', 'county', 'station', 'grid']);
    const otherGrid = alert({
      jurisdiction: { city: '3301', county: '330106', station: '330106-01', grid: '330106-01-g01' },
    });
    expect(ids(routesFor(otherGrid, all))).toEqual(['city', 'county', 'station']);
  });

  it('an alert with no jurisdiction goes to city-level routes only', () => {
    expect(ids(routesFor(alert({ jurisdiction: undefined }), all))).toEqual(['city']);
    expect(ids(routesFor(alert({ jurisdiction: {} }), all))).toEqual(['city']);
  });

  it('skips disabled routes, routes above the alert severity and routes for other categories or rules', () => {
    const routes = [
      route({ id: 'off', enabled: false }),
      route({ id: 'critical-only', min_severity: 'critical' }),
      route({ id: 'high-up', min_severity: 'high' }),
      route({ id: 'health', categories: ['health_claims'] }),
      route({ id: 'ad-law', categories: ['ad_law_absolute'] }),
      route({ id: 'other-rule', rule_ids: ['zhi-yu'] }),
      route({ id: 'this-rule', rule_ids: ['zui-jia'] }),
    ];
    expect(ids(routesFor(alert(), routes))).toEqual(['high-up', 'ad-law', 'this-rule']);
  });

  it('digests unless the route has no interval or the alert reaches the bypass severity', () => {
    const digest = route({ digest_interval_ms: 60_000, bypass_digest_severity: 'critical' });
    expect(deliveryMode(digest, 'high')).toBe('digest');
    expect(deliveryMode(digest, 'critical')).toBe('immediate');
    expect(deliveryMode(route({ digest_interval_ms: 0 }), 'low')).toBe('immediate');
  });
});

describe('route repository', () => {
  let fx: RoutingFixture;
  let routes: RouteRepository;
  let changes = 0;

  beforeAll(async () => {
    fx = await routingFixture('routes');
    routes = new RouteRepository(fx.engine, { prefix: fx.prefix, onChange: () => void changes++ });
  }, 120_000);
  afterAll(async () => fx.drop());

  it('creates a route at a county with its level and ref, email defaulting to a 15-minute digest', async () => {
    const { route: created } = await routes.create(
      {
        id: 'west-lake-email',
        name: '西湖区邮件汇总',
        node_id: '330106',
        min_severity: 'medium',
        target: { channel: 'email', to: ['xihu@bureau.test'] },
      },
      { actor: 'supervisor' },
    );
    expect(created).toMatchObject({
      node_level: 'county',
      jurisdiction: { city: '3301', county: '330106' },
      digest_interval_ms: 900_000,
      bypass_digest_severity: 'critical',
      enabled: true,
      categories: [],
      version: 1,
      created_by: 'supervisor',
    });
    expect(changes).toBe(1);
    const { route: hook } = await routes.create(
      {
        name: '网格 webhook',
        node_id: '330106-01-g02',
        target: { channel: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 'grid-secret-123' },
      },
      { actor: 'supervisor' },
    );
    expect(hook.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook).toMatchObject({ node_level: 'grid', digest_interval_ms: 0 });
  });

  it('refuses bad input with ROUTE_INVALID naming the field, and an unknown node', async () => {
    const bad = routes.create(
      { name: 'x', node_id: '330106', target: { channel: 'email', to: ['not-an-address'] } },
      { actor: 't' },
    );
    await expect(bad).rejects.toMatchObject({ code: 'ROUTE_INVALID', httpStatus: 400 });
    const error = (await bad.catch((e: unknown) => e)) as { details: { issues: Array<{ path: unknown[] }> } };
    expect(error.details.issues[0]?.path).toEqual(['target', 'to', 0]);
    await expect(
      routes.create(
        { name: 'x', node_id: '330106', target: { channel: 'webhook', url: 'ftp://x.test/' } },
        { actor: 't' },
      ),
    ).rejects.toMatchObject({ code: 'ROUTE_INVALID' });
    await expect(
      routes.create({ name: 'x', node_id: '999999', target: { channel: 'in_app' } }, { actor: 't' }),
    ).rejects.toMatchObject({ code: 'ROUTE_INVALID', details: { issues: [{ path: ['node_id'] }] } });
    await expect(
      routes.create(
        { id: 'west-lake-email', name: 'dup', node_id: '330106', target: { channel: 'in_app' } },
        { actor: 't' },
      ),
    ).rejects.toMatchObject({ code: 'ROUTE_EXISTS', httpStatus: 409 });
  });

  it('updates with a version bump, moves to another node, and answers a stale read with 409', async () => {
    const read = await routes.require('west-lake-email');
    const moved = await routes.update(
      'west-lake-email',
      { node_id: '330108-01', min_severity: 'high' },
      { actor: 'li' },
    );
    expect(moved.route).toMatchObject({
      version: 2,
      node_level: 'station',
      jurisdiction: { city: '3301', county: '330108', station: '330108-01' },
      min_severity: 'high',
      updated_by: 'li',
    });
    await expect(
      routes.update(
        'west-lake-email',
        { enabled: false },
        { actor: 'wang', guard: { ifSeqNo: read.seqNo, ifPrimaryTerm: read.primaryTerm } },
      ),
    ).rejects.toMatchObject({ code: 'ROUTE_VERSION_CONFLICT', httpStatus: 409 });
    await expect(routes.update('nope', { enabled: false }, { actor: 'x' })).rejects.toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('lists by node and by scope, and deletes', async () => {
    expect((await routes.listByNode('330108-01')).map((r) => r.id)).toEqual(['west-lake-email']);
    const inWestLake = await routes.list({ scope: { city: '3301', county: '330106' } });
    expect(inWestLake.map((r) => r.node_id)).toEqual(['330106-01-g02']);
    expect(await routes.list({ channel: 'email' })).toHaveLength(1);
    await routes.delete('west-lake-email', { actor: 'li' });
    expect(await routes.get('west-lake-email')).toBeUndefined();
    await expect(routes.delete('west-lake-email', { actor: 'li' })).rejects.toMatchObject({
      code: 'ROUTE_NOT_FOUND',
    });
  });

  it('keeps secrets out of redacted routes and out of the audit trail', async () => {
    const { route: robot } = await routes.create(
      {
        id: 'ding',
        name: 'ding',
        node_id: '3301',
        target: {
          channel: 'dingtalk',
          url: 'https://oapi.dingtalk.com/robot/send?access_token=tok123',
          secret: 'SECabcdefgh',
        },
      },
      { actor: 't' },
    );
    const safe = redactRoute(robot).target as { url: string; secret: string };
    expect(safe.secret).toBe('***');
    expect(safe.url).not.toContain('tok123');
    await fx.engine.refresh(aliasName(fx.prefix, 'audit'));
    const audit = await fx.engine.search({
      index: aliasName(fx.prefix, 'audit'),
      query: { term: { target_id: 'ding' } },
    });
    expect(audit.hits).toHaveLength(1);
    expect(JSON.stringify(audit.hits[0]?.source)).not.toMatch(/tok123|SECabcdefgh/);
  });

  it('demo routes: one email digest per demo county, disabled without SMTP, unchanged by a second run, enabled once SMTP is set', async () => {
    const first = await ensureDemoRoutes(routes, { smtpConfigured: false });
    expect(first.map((r) => [r.node_id, r.node_level, r.enabled, r.target.channel])).toEqual([
      ['330106', 'county', false, 'email'],
      ['330108', 'county', false, 'email'],
      ['330102', 'county', false, 'email'],
    ]);
    const same = await ensureDemoRoutes(routes, { smtpConfigured: false });
    expect(same.map((r) => [r.id, r.version])).toEqual(first.map((r) => [r.id, 1]));
    const withSmtp = await ensureDemoRoutes(routes, { smtpConfigured: true });
    expect(withSmtp.map((r) => [r.id, r.version, r.enabled])).toEqual(first.map((r) => [r.id, 2, true]));
  });
});
