/**
 * `npm run bench:registry [-- --operators 100000]`: writes a generated operators CSV (valid USCCs,
 * licences, ICP numbers, hosts, grids of a 3-county tree) to a temp file, imports it all-or-nothing into
 * a fresh prefix (validation of every row, then bulk writes with history entries), and prints
 * `name=value` lines. The indices and the file are deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { positiveInt } from './support/cli-options.js';
import { pino } from 'pino';
import { createEngine } from '../engine/index.js';
import { usccCheckChar } from '../indexer/extract/uscc.js';
import {
  entitiesDefinition,
  jurisdictionsDefinition,
  operatorHistoryDefinition,
  usersDefinition,
} from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { csvLine } from '../registry/csv/csv-read.js';
import { OPERATOR_COLUMNS } from '../registry/csv/operator-csv.js';
import { importOperatorsCsv } from '../registry/csv/operator-import.js';
import { demoTree } from '../registry/demo-registry.js';
import { JurisdictionTree } from '../registry/jurisdictions/jurisdiction-tree.js';

const DEFINITIONS = [entitiesDefinition, operatorHistoryDefinition, jurisdictionsDefinition, usersDefinition];

function uscc(n: number): string {
  const body = `91330106${String(n).padStart(9, '0')}`;
  return `${body}${usccCheckChar(body) ?? '0'}`;
}

/** One generated row: every tenth a platform shop, the rest self-run sites; columns as the export. */
function row(n: number, grids: string[]): string {
  const shop = n % 10 === 9;
  const cells: Record<(typeof OPERATOR_COLUMNS)[number], string | number | null> = {
    id: `op-${n}`,
    name: `杭州示范${n}号商贸有限公司`,
    uscc: uscc(n),
    licence_numbers: `JY1330106${String(n).padStart(7, '0')}`,
    icp_numbers: `浙ICP备${String(10_000_000 + n)}号-1`,
    domains: shop ? '' : `www.shop${n}.com.cn;shop${n}.com.cn`,
    shop_urls: shop ? `https://op-0.example.cn/store/${n}/` : '',
    platform_id: shop ? 'op-0' : null,
    type: n === 0 ? 'platform' : shop ? 'third_party_shop' : 'self_run_site',
    classification: null,
    risk_tier: ['high', 'medium', 'low'][n % 3] ?? 'medium',
    status: 'active',
    contact_person: null,
    contact_phone: `0571-8${String(n).padStart(7, '0')}`,
    contact_email: `service@shop${n}.com.cn`,
    address: `杭州市西湖区文三路${n % 500}号`,
    district: '330106',
    jurisdiction_id: grids[n % grids.length] ?? null,
    inspector_id: null,
    inspection_frequency_days: null,
    source_focus: null,
    notes: null,
  };
  return csvLine(OPERATOR_COLUMNS.map((c) => cells[c]));
}

async function writeCsv(file: string, operators: number, grids: string[]): Promise<void> {
  const out = createWriteStream(file);
  out.write(csvLine(OPERATOR_COLUMNS));
  for (let n = 0; n < operators; n++) {
    if (!out.write(row(n, grids))) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

async function main(argv: string[]): Promise<void> {
  const { operators } = new Command('bench:registry')
    .option('--operators <n>', 'operators in the generated CSV', positiveInt, 100_000)
    .parse(argv)
    .opts<{ operators: number }>();
  const engine = await createEngine();
  const prefix = `bench-reg-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'argus-registry-bench-'));
  const file = join(dir, 'operators.csv');
  try {
    await migrate(engine, { prefix, definitions: DEFINITIONS, log: pino({ level: 'silent' }) });
    const tree = new JurisdictionTree(engine, { prefix });
    const nodes = demoTree();
    await tree.writeMany(nodes);
    await writeCsv(
      file,
      operators,
      nodes.filter((n) => n.level === 'grid').map((n) => n.id),
    );
    const startedAt = performance.now();
    const stats = { validateMs: 0, writeMs: 0 };
    const result = await importOperatorsCsv(createReadStream(file), {
      engine,
      prefix,
      tree,
      actor: 'bench',
      stats,
    });
    const seconds = (performance.now() - startedAt) / 1000;
    if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.problems.slice(0, 5))}`);
    console.log(`operators=${operators}`);
    console.log(`csv_mb=${((await stat(file)).size / 1e6).toFixed(1)}`);
    console.log(`import_seconds=${seconds.toFixed(2)}`);
    console.log(`validate_seconds=${(stats.validateMs / 1000).toFixed(2)}`);
    console.log(`write_seconds=${(stats.writeMs / 1000).toFixed(2)}`);
    console.log(`operators_imported_per_sec=${Math.round(result.created / seconds)}`);
    console.log(`operators_stored=${await engine.count(`${prefix}-entities`)}`);
    console.log(`rss_mb=${Math.round(process.memoryUsage().rss / 1e6)}`);
  } finally {
    await dropIndices(engine, { prefix, definitions: DEFINITIONS });
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(`bench:registry failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
