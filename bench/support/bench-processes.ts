/**
 * Child processes of `npm run bench:crawl`: the demo web (its own process, so it does not share the
 * crawler's CPU and memory figures) and the crawl children, each a TypeScript file run through tsx.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type CrawlChildResult } from './crawl-bench.types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a TypeScript file with this Node and the tsx loader, from the repo root. */
function spawnTs(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] }) {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Keeps the last lines of a stream, to explain a child that failed. */
function tail(child: ChildProcess, lines: string[], max = 20): void {
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    if (lines.length > max) lines.splice(0, lines.length - max);
  });
}

/** A running demo web child process. */
export interface DemoProcess {
  port: number;
  seeds: string[];
  resolve: string[];
  groundTruthPath: string;
  pages: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Options of {@link startDemoProcess}. */
export interface DemoProcessOptions {
  sites: number;
  pages: number;
  seed: number;
  groundTruthPath: string;
  /** Generation of 100 × 200 pages takes a few seconds on a busy box. @default 120000 */
  startTimeoutMs?: number;
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Starts `demo/cli.ts` on a free port and waits for its `CRAWL_RESOLVE=` line. */
export async function startDemoProcess(options: DemoProcessOptions): Promise<DemoProcess> {
  const args = ['--sites', `${options.sites}`, '--pages', `${options.pages}`, '--seed', `${options.seed}`];
  const child = spawnTs('demo/cli.ts', [...args, '--port', '0', '--out', options.groundTruthPath], {
    env: { LOG_LEVEL: 'warn' },
  });
  const stderr: string[] = [];
  tail(child, stderr);
  const values = new Map<string, string>();
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const at = line.indexOf('=');
      if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
      if (line.startsWith('CRAWL_RESOLVE=')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`demo web exited (${code}): ${stderr.join(' | ')}`)));
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), options.startTimeoutMs ?? 120_000);
  try {
    await ready;
  } finally {
    clearTimeout(timer);
  }
  const list = (name: string): string[] => (values.get(name) ?? '').split(',').filter(Boolean);
  return {
    port: Number(values.get('port')),
    seeds: list('seeds'),
    resolve: list('CRAWL_RESOLVE'),
    groundTruthPath: values.get('ground_truth') ?? options.groundTruthPath,
    pages: Number(values.get('pages')),
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

/** Options of {@link runCrawlChild}. */
export interface CrawlChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags, e.g. `--cpu-prof --cpu-prof-dir=<dir>`. */
  nodeArgs?: string[];
}

/** Runs a crawl child to its end and returns the `result=` line it printed. */
export async function runCrawlChild(
  file: string,
  settings: object,
  options: CrawlChildOptions = {},
): Promise<CrawlChildResult> {
  const child = spawnTs(file, [JSON.stringify(settings)], options);
  const stderr: string[] = [];
  tail(child, stderr);
  let result: CrawlChildResult | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(RESULT_PREFIX))
      result = JSON.parse(line.slice(RESULT_PREFIX.length)) as CrawlChildResult;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0 || !result) {
    throw new Error(`${file} exited with ${code}${result ? '' : ' without a result'}: ${stderr.join(' | ')}`);
  }
  return result;
}
