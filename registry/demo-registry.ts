/**
 * The demo bureau: a tree (Hangzhou city, three county bureaus, two field stations each, two or three
 * grids per station), the operators of the demo web's ground truth as an operators CSV, and demo staff.
 * `npm start` can import it with {@link importDemoRegistry}; running it again changes nothing.
 *
 * Demo accounts (passwords are public: demo only):
 * - `admin` / `argus-admin-demo` — admin, whole city
 * - `supervisor` / `argus-supervisor-demo` — supervisor, whole city
 * - `analyst` / `argus-analyst-demo` — ad analyst, whole city
 * - `inspector-a` / `argus-inspector-a` — inspector, station 330106-01 (西湖区 西溪所)
 * - `inspector-b` / `argus-inspector-b` — inspector, station 330108-01 (滨江区 长河所)
 */
import { errorCode } from '../core/errors.js';
import type { GroundTruth, SiteTruth } from '../demo/types.js';
import type { EnginePort } from '../engine/port.js';
import { importOperatorsCsv, type OperatorImportResult } from './csv/operator-import.js';
import { csvLine } from './csv/csv-read.js';
import { OPERATOR_COLUMNS, operatorLine } from './csv/operator-csv.js';
import { importTreeCsv, TREE_COLUMNS, type TreeImportResult } from './csv/tree-csv.js';
import { JurisdictionTree } from './jurisdictions/jurisdiction-tree.js';
import { refsOf } from './jurisdictions/jurisdiction.rules.js';
import { operatorInputSchema, toOperator, type OperatorInput } from './operators/operator.schema.js';
import { RegistryErrorCode } from './registry.errors.js';
import type { JurisdictionNode, Operator, OperatorType } from './types.js';
import { UserRepository, type NewUser } from './users/user.repository.js';

export const DEMO_CITY_ID = '3301';

const COUNTIES: ReadonlyArray<{ code: string; name: string; stations: [string, string] }> = [
  { code: '330106', name: '西湖区市场监督管理局', stations: ['西溪市场监管所', '灵隐市场监管所'] },
  { code: '330108', name: '滨江区市场监督管理局', stations: ['长河市场监管所', '浦沿市场监管所'] },
  { code: '330102', name: '上城区市场监督管理局', stations: ['湖滨市场监管所', '清波市场监管所'] },
];

/** The demo staff, with their public demo passwords. */
export const DEMO_USERS: readonly NewUser[] = [
  {
    username: 'admin',
    display_name: '系统管理员',
    role: 'admin',
    scope_node_id: DEMO_CITY_ID,
    password: 'argus-admin-demo',
  },
  {
    username: 'supervisor',
    display_name: '市局规则负责人',
    role: 'supervisor',
    scope_node_id: DEMO_CITY_ID,
    password: 'argus-supervisor-demo',
  },
  {
    username: 'analyst',
    display_name: '广告监测分析员',
    role: 'analyst',
    scope_node_id: DEMO_CITY_ID,
    password: 'argus-analyst-demo',
  },
  {
    username: 'inspector-a',
    display_name: '西溪所检查员',
    role: 'inspector',
    scope_node_id: '330106-01',
    password: 'argus-inspector-a',
  },
  {
    username: 'inspector-b',
    display_name: '长河所检查员',
    role: 'inspector',
    scope_node_id: '330108-01',
    password: 'argus-inspector-b',
  },
];

/** The station each demo inspector works; operators in its grids get that inspector. */
const STATION_INSPECTOR: ReadonlyMap<string, string> = new Map([
  ['330106-01', 'inspector-a'],
  ['330108-01', 'inspector-b'],
]);

export interface DemoRegistry {
  tree: JurisdictionNode[];
  treeCsv: string;
  /** Operators as the import will store them (jurisdiction and inspector filled in). */
  operators: Operator[];
  operatorsCsv: string;
  users: readonly NewUser[];
}

/** city → 3 counties → 2 stations each → 3 grids (first station) or 2 grids (second). */
export function demoTree(): JurisdictionNode[] {
  const nodes: JurisdictionNode[] = [
    { id: DEMO_CITY_ID, level: 'city', name: '杭州市市场监督管理局', parent_id: null },
  ];
  for (const county of COUNTIES) {
    nodes.push({ id: county.code, level: 'county', name: county.name, parent_id: DEMO_CITY_ID });
    county.stations.forEach((name, s) => {
      const station = `${county.code}-0${s + 1}`;
      nodes.push({ id: station, level: 'station', name, parent_id: county.code });
      for (let g = 1; g <= (s === 0 ? 3 : 2); g++) {
        nodes.push({ id: `${station}-g0${g}`, level: 'grid', name: `${name}第${g}网格`, parent_id: station });
      }
    });
  }
  return nodes;
}

/** Sites that are operators of the bureau: not lookalikes (impostors to be found) and not the test lab. */
function registered(site: SiteTruth): boolean {
  return site.type !== 'lookalike' && site.type !== 'lab';
}

const TYPE_OF: Record<SiteTruth['type'], OperatorType> = {
  platform: 'platform',
  platform_shop: 'third_party_shop',
  self_run: 'self_run_site',
  brand: 'self_run_site',
  advertiser: 'self_run_site',
  service_provider: 'service_provider',
  lookalike: 'self_run_site',
  lab: 'self_run_site',
};

function operatorInput(
  site: SiteTruth,
  platformIds: Map<string, string>,
  seenUscc: Set<string>,
): OperatorInput {
  const op = site.operator;
  const notes: string[] = [];
  let uscc = op.uscc;
  if (uscc && op.uscc_valid === false) {
    notes.push(`The site shows USCC ${uscc}, whose check digit fails.`);
    uscc = null;
  } else if (uscc && seenUscc.has(uscc)) {
    notes.push(`USCC ${uscc} is registered to another operator.`);
    uscc = null;
  }
  if (uscc) seenUscc.add(uscc);
  const pathHosted = site.base_path !== '';
  const platformId = site.platform_host ? platformIds.get(site.platform_host) : undefined;
  return {
    id: site.id,
    name: op.name,
    uscc,
    licence_numbers: op.licences.map((l) => l.number),
    icp_numbers: op.icp ? [op.icp] : [],
    domains: pathHosted ? [] : [site.host],
    shop_urls: pathHosted ? [`http://${site.host}${site.base_path}/`] : [],
    platform_id: platformId ?? null,
    type: TYPE_OF[site.type],
    risk_tier: site.violations.length > 0 ? 'high' : 'medium',
    contact: { ...(op.phone ? { phone: op.phone } : {}), ...(op.email ? { email: op.email } : {}) },
    address: op.address,
    district: op.district_hint?.code ?? null,
    notes: notes.length > 0 ? notes.join(' ') : null,
  };
}

/**
 * Grids for each operator, deterministically: operators (by site id) whose district is one of the
 * tree's counties go round-robin over that county's grids, the others round-robin over all grids.
 */
function assignGrids(inputs: OperatorInput[], tree: JurisdictionNode[]): Map<string, string> {
  const grids = tree.filter((n) => n.level === 'grid').map((n) => n.id);
  const turn = new Map<string, number>();
  const assigned = new Map<string, string>();
  for (const input of [...inputs].sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1))) {
    const county = COUNTIES.find((c) => c.code === input.district)?.code ?? '*';
    const pool = county === '*' ? grids : grids.filter((g) => g.startsWith(`${county}-`));
    const n = turn.get(county) ?? 0;
    turn.set(county, n + 1);
    assigned.set(input.id ?? '', pool[n % pool.length] ?? (grids[0] as string));
  }
  return assigned;
}

/** The demo tree, operators and users for a generated demo web. */
export function buildDemoRegistry(truth: Pick<GroundTruth, 'sites'>): DemoRegistry {
  const tree = demoTree();
  const refs = refsOf(new Map(tree.map((n) => [n.id, n])));
  const sites = truth.sites.filter(registered);
  const platformIds = new Map(sites.filter((s) => s.type === 'platform').map((s) => [s.host, s.id]));
  const seenUscc = new Set<string>();
  const inputs = sites.map((site) => operatorInput(site, platformIds, seenUscc));
  const grids = assignGrids(inputs, tree);
  const now = new Date().toISOString();
  const operators = inputs.map((input) => {
    const grid = grids.get(input.id ?? '') ?? '';
    const ref = refs.get(grid) ?? {};
    const inspector = ref.station ? STATION_INSPECTOR.get(ref.station) : undefined;
    const parsed = operatorInputSchema.parse({
      ...input,
      jurisdiction: ref,
      inspector_id: inspector ?? null,
    });
    return toOperator(parsed, now);
  });
  const treeCsv = [
    csvLine(TREE_COLUMNS),
    ...tree.map((n) => csvLine([n.id, n.level, n.name, n.parent_id])),
  ].join('');
  const operatorsCsv = [csvLine(OPERATOR_COLUMNS), ...operators.map(operatorLine)].join('');
  return { tree, treeCsv, operators, operatorsCsv, users: DEMO_USERS };
}

export interface DemoImportSummary {
  tree: TreeImportResult;
  usersCreated: number;
  operators: OperatorImportResult;
}

/** Imports the demo registry (tree, then users that do not exist yet, then operators); idempotent. */
export async function importDemoRegistry(
  engine: EnginePort,
  prefix: string,
  truth: Pick<GroundTruth, 'sites'>,
): Promise<DemoImportSummary> {
  const demo = buildDemoRegistry(truth);
  const tree = new JurisdictionTree(engine, { prefix });
  const users = new UserRepository(engine, tree, { prefix, refresh: false });
  const treeResult = await importTreeCsv(demo.treeCsv, tree);
  let usersCreated = 0;
  if (treeResult.ok) {
    for (const user of demo.users) {
      if (await users.get(user.username)) continue;
      try {
        await users.create(user);
        usersCreated += 1;
      } catch (error) {
        if (errorCode(error) !== RegistryErrorCode.Exists) throw error;
      }
    }
    await engine.refresh(users.index);
  }
  const operators = await importOperatorsCsv(demo.operatorsCsv, {
    engine,
    prefix,
    tree,
    users,
    actor: 'demo',
  });
  return { tree: treeResult, usersCreated, operators };
}
