import { createEngine, type EnginePort } from '../../engine/index.js';
import { createFrontier, type Frontier } from '../../indexer/frontier/frontier.js';
import { planRecrawls } from '../../indexer/schedule/recrawl-planner.js';
import { loadScheduleTable, type ScheduleTable } from '../../indexer/schedule/schedule-table.js';
import { taskList } from '../../indexer/schedule/task-list.js';
import { aliasName } from '../../mappings/index.js';
import { dropIndices } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';
import { LINK_DEFINITIONS, migrateLinkIndices, operator, page, writeOperators } from '../link/support.js';

const NOW = new Date('2024-06-10T12:00:00.000Z');
const STATION_A = { city: '330100', county: '330106', station: '330106-01', grid: '330106-01-g01' };
const STATION_B = { city: '330100', county: '330106', station: '330106-02', grid: '330106-02-g01' };
const OTHER_COUNTY = { city: '330100', county: '330108', station: '330108-01', grid: '330108-01-g01' };

const OPERATORS = [
  // High risk (3 days), crawled 2 days ago: upcoming.
  operator({
    id: 'op-fresh',
    risk_tier: 'high',
    domains: ['fresh.test'],
    jurisdiction: STATION_A,
    inspector_id: 'insp-a',
  }),
  // Normal (7 days), crawled 7.5 days ago: due (within the grace day).
  operator({
    id: 'op-due',
    risk_tier: 'medium',
    domains: ['due.test'],
    jurisdiction: STATION_A,
    inspector_id: 'insp-a',
  }),
  // Source focus (1 day), crawled 5 days ago with two violating pages: overdue.
  operator({
    id: 'op-late',
    source_focus: true,
    type: 'platform',
    domains: ['late.test'],
    shop_urls: ['http://late.test/store/1'],
    jurisdiction: STATION_A,
    inspector_id: 'insp-a',
  }),
  // Never crawled, registered long ago: overdue.
  operator({
    id: 'op-never',
    risk_tier: 'low',
    domains: ['never.test'],
    jurisdiction: STATION_A,
    inspector_id: 'insp-a',
  }),
  operator({
    id: 'op-b',
    risk_tier: 'low',
    domains: ['b.test'],
    jurisdiction: STATION_B,
    inspector_id: 'insp-b',
  }),
  operator({
    id: 'op-east',
    risk_tier: 'low',
    domains: ['east.test'],
    jurisdiction: OTHER_COUNTY,
    inspector_id: 'insp-c',
  }),
];

function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
}

describe('inspection task lists and recrawl planning', () => {
  let engine: EnginePort;
  let prefix: string;
  let table: ScheduleTable;
  let frontier: Frontier | undefined;

  beforeAll(async () => {
    engine = await createEngine();
    prefix = testPrefix('sched');
    table = await loadScheduleTable('rules/inspection-schedule.json');
    await migrateLinkIndices(engine, prefix);
    await writeOperators(engine, prefix, OPERATORS);
    const pages = [
      {
        ...page('http://fresh.test/'),
        operator_id: 'op-fresh',
        jurisdiction: STATION_A,
        fetched_at: daysAgo(2),
      },
      {
        ...page('http://fresh.test/old'),
        operator_id: 'op-fresh',
        jurisdiction: STATION_A,
        fetched_at: daysAgo(9),
      },
      {
        ...page('http://due.test/'),
        operator_id: 'op-due',
        jurisdiction: STATION_A,
        fetched_at: daysAgo(7.5),
      },
      {
        ...page('http://late.test/'),
        operator_id: 'op-late',
        jurisdiction: STATION_A,
        fetched_at: daysAgo(5),
        rule_hits: ['r1'],
      },
      {
        ...page('http://late.test/a'),
        operator_id: 'op-late',
        jurisdiction: STATION_A,
        fetched_at: daysAgo(6),
        rule_hits: ['r1', 'r2'],
      },
      { ...page('http://b.test/'), operator_id: 'op-b', jurisdiction: STATION_B, fetched_at: daysAgo(1) },
    ];
    await engine.bulk(
      pages.map((doc) => ({ op: 'index', index: aliasName(prefix, 'pages'), id: doc.id, doc })),
      { refresh: true },
    );
  });

  afterAll(async () => {
    await frontier?.obliterate();
    await frontier?.close();
    await dropIndices(engine, { prefix, definitions: LINK_DEFINITIONS });
    await engine.close();
  });

  it("lists an inspector's operators as overdue, due and upcoming with the last result", async () => {
    const list = await taskList(engine, { prefix, table, scope: STATION_A, inspectorId: 'insp-a', now: NOW });
    expect(list.overdue.map((t) => t.operator_id)).toEqual(['op-never', 'op-late']);
    expect(list.due.map((t) => t.operator_id)).toEqual(['op-due']);
    expect(list.upcoming.map((t) => t.operator_id)).toEqual(['op-fresh']);
    expect(list.overdue[1]).toMatchObject({
      interval_days: 1,
      interval_rule: 'source focus',
      last_crawled_at: daysAgo(5),
      due_at: daysAgo(4),
      open_violations: 2,
    });
    expect(list.overdue[0]).toMatchObject({
      last_crawled_at: null,
      open_violations: 0,
      due_at: '2024-01-01T00:00:00.000Z',
    });
    expect(list.upcoming[0]).toMatchObject({
      last_crawled_at: daysAgo(2),
      due_at: daysAgo(-1),
      interval_days: 3,
    });
  });

  it('a station sees its own operators only, a county its stations, the city everything', async () => {
    const ids = async (scope: Record<string, string>): Promise<string[]> => {
      const list = await taskList(engine, { prefix, table, scope, now: NOW });
      return [...list.overdue, ...list.due, ...list.upcoming].map((t) => t.operator_id).sort();
    };
    expect(await ids({ city: '330100', county: '330106', station: '330106-02' })).toEqual(['op-b']);
    expect(await ids({ city: '330100', county: '330106' })).toEqual([
      'op-b',
      'op-due',
      'op-fresh',
      'op-late',
      'op-never',
    ]);
    expect(await ids({ city: '330100' })).toHaveLength(OPERATORS.length);
    expect(await ids({})).toEqual([]);
    // Asking for another station's inspector from station A's scope shows nothing.
    const foreign = await taskList(engine, {
      prefix,
      table,
      scope: STATION_A,
      inspectorId: 'insp-b',
      now: NOW,
    });
    expect([...foreign.overdue, ...foreign.due, ...foreign.upcoming]).toEqual([]);
  });

  it("sets next_fetch_at of every operator's sites in the frontier from its schedule", async () => {
    frontier = createFrontier({ prefix: testPrefix('sched-q'), name: 'crawl' });
    const plan = await planRecrawls(engine, frontier, { prefix, table, now: NOW, scheme: 'http' });
    expect(plan.skipped).toEqual([]);
    expect(plan.planned).toHaveLength(7);
    const at = async (url: string): Promise<string | undefined> =>
      (await frontier!.nextFetchAt(url))?.toISOString();
    expect(await at('http://fresh.test/')).toBe(daysAgo(-1));
    expect(await at('http://b.test/')).toBe(daysAgo(-29));
    // Overdue and never-crawled sites are fetched now.
    expect(await at('http://late.test/')).toBe(NOW.toISOString());
    expect(await at('http://late.test/store/1')).toBe(NOW.toISOString());
    expect(await at('http://never.test/')).toBe(NOW.toISOString());
  });
});
