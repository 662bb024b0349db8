/**
 * `npm run bench:api [-- --docs 100000 --rounds 20 --connections 50 --duration 20]`: indexes a corpus
 * of synthetic Chinese/English pages spread over the demo bureau's grids into a fresh prefix, starts
 * the API as a child process on it, then
 * 1. runs each search of the mix through the API and straight to the engine (`searchDocuments`, the same
 *    query compiler and scope filter the route uses), alternately, one at a time, as a county
 *    inspector and as the city admin: `api_vs_engine_p50` / `api_vs_engine_p99` (goal ≤ 1.15); and,
 *    as a third side, the floor (the same `searchDocuments` behind a bare node:http server in its own
 *    process): `floor_vs_engine_p50` / `_p99`, what a separate Node process costs before any API work;
 * 2. times what the API resolves per request before it searches (session, user, scope);
 * 3. loads the API with autocannon (50 connections, 20 s) over the same mix: `api_rps`,
 *    `api_error_rate` (goal 0).
 * Prints `name=value` lines on stdout, a per-query table on stderr. The prefix's indices and Redis
 * keys are removed at the end, also on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { Command } from 'commander';
import { envSetting, positiveInt } from './support/cli-options.js';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { SessionStore } from '../api/auth/session.store.js';
import { config } from '../core/config.js';
import { createEngine } from '../engine/index.js';
import type { EnginePort } from '../engine/port.js';
import { aliasName, INDEX_DEFINITIONS } from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { DEMO_CITY_ID, demoTree } from '../registry/demo-registry.js';
import { JurisdictionTree } from '../registry/jurisdictions/jurisdiction-tree.js';
import { scopeFilter } from '../registry/scope.js';
import type { JurisdictionRef } from '../registry/types.js';
import { UserRepository } from '../registry/users/user.repository.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';
import { measureAuthCosts, runLoad } from './support/api-load.js';
import { corpusPage, gridRefs, loadCorpus, type SearchCorpusOptions } from './support/search-corpus.js';
import { compareSearches, queryTable, summarise, type BenchCaller } from './support/search-compare.js';
import { queryMix, type MixQuery, type MixTargets } from './support/search-mix.js';

interface BenchOptions {
  docs: number;
  rounds: number;
  connections: number;
  duration: number;
  batch: number;
  rateLimit: number;
  keepLog?: boolean;
  variantEnv?: Record<string, string>;
  cpuProf?: string;
}

/** The county whose inspector the bench signs in as (西湖区); the admin is the city's. */
const INSPECTOR_COUNTY = '330106';

function print(figures: Record<string, number>, prefix = ''): void {
  for (const [name, value] of Object.entries(figures)) {
    const shown = Number.isInteger(value) ? String(value) : value.toFixed(name.includes('_vs_') ? 3 : 2);
    console.log(`${prefix}${name}=${shown}`);
  }
}

const load1m = (): string => (loadavg()[0] ?? 0).toFixed(2);

/** Everything the bench holds, released once by {@link release} (normal end, error or Ctrl-C). */
interface Held {
  engine: EnginePort;
  redis: Redis;
  prefix: string;
  logPath: string;
  keepLog: boolean;
  api?: ApiProcess;
  variant?: ApiProcess;
  floor?: ApiProcess;
  cannon?: autocannon.Instance;
  released?: Promise<void>;
}

async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) deleted += await redis.del(...keys);
  }
  return deleted;
}

function release(held: Held): Promise<void> {
  held.released ??= (async () => {
    held.cannon?.stop();
    await held.api?.stop().catch((error: unknown) => console.error('stopping the API:', error));
    await held.variant?.stop().catch((error: unknown) => console.error('stopping the variant:', error));
    await held.floor?.stop().catch((error: unknown) => console.error('stopping the floor:', error));
    await dropIndices(held.engine, { prefix: held.prefix, definitions: INDEX_DEFINITIONS });
    const keys = await deleteKeys(held.redis, `${held.prefix}:*`);
    console.error(`cleanup: dropped the ${held.prefix}-* indices and ${keys} Redis keys`);
    await held.redis.quit();
    await held.engine.close();
    if (held.keepLog) console.error(`api log: ${held.logPath}`);
    else rmSync(held.logPath, { force: true });
    rmSync(`${held.logPath}.variant`, { force: true });
    rmSync(`${held.logPath}.floor`, { force: true });
  })();
  return held.released;
}

/** The tree, a county inspector and the city admin; returns the callers' credentials. */
async function seedRegistry(engine: EnginePort, prefix: string) {
  const tree = new JurisdictionTree(engine, { prefix, refresh: true });
  await tree.writeMany(demoTree());
  const users = new UserRepository(engine, tree, { prefix, refresh: true, hash: { N: 1024 } });
  const password = randomBytes(12).toString('hex');
  await users.create({
    username: 'bench-inspector',
    display_name: '西湖区检查员',
    role: 'inspector',
    scope_node_id: INSPECTOR_COUNTY,
    password,
  });
  await users.create({
    username: 'bench-admin',
    display_name: '市局管理员',
    role: 'admin',
    scope_node_id: DEMO_CITY_ID,
    password,
  });
  return { tree, users, password };
}

/** A site inside the inspector's county (so its domain searches find pages for both callers). */
function mixTargets(corpus: SearchCorpusOptions, docs: number, scope: JurisdictionRef): MixTargets {
  let n = 40;
  const countyOf = (page: number) =>
    (corpusPage(page, corpus).jurisdiction as JurisdictionRef | undefined)?.county;
  while (countyOf(n) !== scope.county && n < docs) n++;
  const site = corpusPage(n, corpus);
  return {
    registeredDomain: String(site.registered_domain),
    host: site.host,
    midFetchedAt: String(corpusPage(Math.floor(docs / 2), corpus).fetched_at),
  };
}

async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 200 || !body.token) throw new Error(`login of ${username}: ${res.status}`);
  return body.token;
}

/** Migrates, seeds the registry, loads and refreshes the corpus; prints its figures. */
async function prepare(held: Held, options: BenchOptions) {
  const { engine, prefix } = held;
  await migrate(engine, { prefix, definitions: INDEX_DEFINITIONS, log: pino({ level: 'silent' }) });
  const { tree, users, password } = await seedRegistry(engine, prefix);
  const pages = aliasName(prefix, 'pages');
  const corpus = { tree: demoTree(), docs: options.docs, batch: options.batch };
  const loaded = await loadCorpus(engine, pages, corpus);
  await engine.refresh(pages);
  const inspectorScope = await tree.refOf(INSPECTOR_COUNTY);
  const adminScope = await tree.refOf(DEMO_CITY_ID);
  const indexed = await engine.count(pages);
  print({
    corpus_docs: indexed,
    corpus_failed: loaded.failed,
    corpus_mb: loaded.bytes / 1024 / 1024,
    corpus_load_seconds: loaded.seconds,
    corpus_grids: gridRefs(demoTree()).length,
    inspector_scope_docs: await engine.count(pages, scopeFilter(inspectorScope)),
  });
  if (indexed < options.docs) throw new Error(`only ${indexed} of ${options.docs} pages indexed`);
  const queries = queryMix(mixTargets(corpus, options.docs, inspectorScope));
  return { users, password, inspectorScope, adminScope, queries };
}

/** The API child, the floor, and the what-if variant when asked for; all on the bench's prefix. */
async function startApis(held: Held, options: BenchOptions, keyPrefix: string): Promise<void> {
  const env = { API_RATE_LIMIT_MAX: String(options.rateLimit) };
  const { prefix, logPath } = held;
  held.api = await startApiProcess({
    prefix,
    keyPrefix,
    logPath,
    env,
    ...(options.cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] } : {}),
  });
  console.log(`api_rate_limit_max=${options.rateLimit}`);
  held.floor = await startApiProcess({ prefix, keyPrefix, logPath: `${logPath}.floor`, floor: true });
  if (!options.variantEnv) return;
  held.variant = await startApiProcess({
    prefix,
    keyPrefix,
    logPath: `${logPath}.variant`,
    env: { ...env, ...options.variantEnv },
  });
  for (const [name, value] of Object.entries(options.variantEnv)) console.log(`variant_env_${name}=${value}`);
}

/** Side by side, API, floor (and variant) against the engine; prints the figures, returns the failures. */
async function compare(
  held: Held,
  options: BenchOptions,
  callers: BenchCaller[],
  queries: MixQuery[],
): Promise<number> {
  const api = held.api as ApiProcess;
  const warmupRounds = 2;
  const logLinesBefore = api.logLines();
  const timings = await compareSearches({
    engine: held.engine,
    prefix: held.prefix,
    baseUrl: api.baseUrl,
    ...(held.variant ? { variantUrl: held.variant.baseUrl } : {}),
    ...(held.floor ? { floorUrl: held.floor.baseUrl } : {}),
    callers,
    queries,
    rounds: options.rounds,
    warmupRounds,
  });
  await held.variant?.stop();
  await held.floor?.stop();
  const apiRequests = timings.length * (options.rounds + warmupRounds);
  for (const line of queryTable(timings)) console.error(line);
  const mismatches = timings.filter((t) =>
    [t.apiTotal, t.variantTotal, t.floorTotal].some(
      (total) => total !== undefined && total !== t.engineTotal,
    ),
  );
  for (const t of mismatches)
    console.error(`MISMATCH ${t.caller} ${t.query.q}: api ${t.apiTotal} engine ${t.engineTotal}`);
  const errors = timings.flatMap((t) => t.errors.map((e) => `${t.caller} ${e}`));
  for (const error of errors.slice(0, 10)) console.error(`ERROR ${error}`);
  console.log(`queries=${queries.length}`);
  console.log(`rounds=${options.rounds}`);
  for (const caller of callers)
    print(summarise(timings.filter((t) => t.caller === caller.name)), `${caller.name}_`);
  print(summarise(timings));
  console.log(`hit_count_mismatches=${mismatches.length}`);
  console.log(`api_log_lines_per_request=${((api.logLines() - logLinesBefore) / apiRequests).toFixed(2)}`);
  console.log(`loadavg_1m_after_compare=${load1m()}`);
  return mismatches.length + errors.length;
}

async function run(held: Held, options: BenchOptions): Promise<void> {
  console.log(`cpus=${cpus().length}`);
  console.log(`loadavg_1m_start=${load1m()}`);
  const { users, password, inspectorScope, adminScope, queries } = await prepare(held, options);
  const keyPrefix = `${held.prefix}:api`;
  await startApis(held, options, keyPrefix);
  const { baseUrl } = held.api as ApiProcess;
  const callers: BenchCaller[] = [
    { name: 'inspector', token: await login(baseUrl, 'bench-inspector', password), scope: inspectorScope },
    { name: 'admin', token: await login(baseUrl, 'bench-admin', password), scope: adminScope },
  ];
  const failures = await compare(held, options, callers, queries);

  const sessions = new SessionStore(held.redis, { keyPrefix });
  const token = (callers[0] as BenchCaller).token;
  print(await measureAuthCosts({ sessions, users, baseUrl, token, userId: 'bench-inspector' }));

  const load = await runLoad({
    baseUrl,
    callers,
    queries,
    connections: options.connections,
    durationSec: options.duration,
    onStart: (instance) => (held.cannon = instance),
  });
  print(load);
  console.log(`loadavg_1m_after_load=${load1m()}`);
  if (failures > 0 || (load.api_error_rate ?? 1) > 0) process.exitCode = 1;
}

async function main(argv: string[]): Promise<void> {
  const options = new Command('bench:api')
    .option('--docs <n>', 'pages in the corpus', positiveInt, 100_000)
    .option('--rounds <n>', 'timed rounds of the side-by-side searches', positiveInt, 20)
    .option('--connections <n>', 'autocannon connections', positiveInt, 50)
    .option('--duration <sec>', 'autocannon seconds', positiveInt, 20)
    .option('--batch <n>', 'pages per _bulk request', positiveInt, 2_000)
    .option(
      '--rate-limit <n>',
      'API_RATE_LIMIT_MAX of the API child (requests per token per minute)',
      positiveInt,
      1_000_000,
    )
    .option(
      '--variant-env <KEY=VALUE>',
      'also time a second API child with this setting, e.g. API_PRINCIPAL_CACHE_MS=0 (repeatable)',
      envSetting,
    )
    .option('--keep-log', "keep the API child's log file (path printed)")
    .option('--cpu-prof <dir>', 'write a CPU profile of the API child into <dir>')
    .parse(argv)
    .opts<BenchOptions>();
  const prefix = `bench-api-${randomBytes(4).toString('hex')}`;
  const held: Held = {
    engine: await createEngine(),
    redis: new Redis(config().REDIS_URL),
    prefix,
    logPath: join(tmpdir(), `${prefix}.api.log`),
    keepLog: options.keepLog === true,
  };
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void release(held).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await run(held, options);
  } finally {
    await release(held);
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
