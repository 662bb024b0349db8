/**
 * Starts and stops `api-server.child.ts` for `npm run bench:api`. The child's stderr (its JSON logs)
 * goes to a file, as a deployed API's would, so the bench neither drains a pipe nor loses the logs.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild } from './bench-processes.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running API child. */
export interface ApiProcess {
  baseUrl: string;
  pid: number | undefined;
  logPath: string;
  /** Lines the API logged so far (per-request logging shows here). */
  logLines(): number;
  stop(): Promise<void>;
}

/** Options of {@link startApiProcess}. */
export interface ApiProcessOptions {
  prefix: string;
  keyPrefix: string;
  logPath: string;
  /** Serve the floor (a bare node:http server around `searchDocuments`) instead of the API. */
  floor?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Extra Node flags, e.g. `--cpu-prof --cpu-prof-dir=<dir>`. */
  nodeArgs?: string[];
  /** @default 60000 */
  startTimeoutMs?: number;
}

function tailOf(path: string, lines = 15): string {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

/** Starts the API child on a free port and waits for its `port=` line. */
export async function startApiProcess(options: ApiProcessOptions): Promise<ApiProcess> {
  const log = openSync(options.logPath, 'w');
  const { prefix, keyPrefix, floor } = options;
  const settings = JSON.stringify({ prefix, keyPrefix, ...(floor ? { floor } : {}) });
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'bench/support/api-server.child.ts', settings],
    { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', log] },
  );
  closeSync(log);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the API did not start in time: ${tailOf(options.logPath)}`));
    }, options.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('port=')) return;
      clearTimeout(timer);
      resolve(Number(line.slice('port='.length)));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (${code}): ${tailOf(options.logPath)}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid,
    logPath: options.logPath,
    logLines: () => {
      try {
        return readFileSync(options.logPath, 'utf8').split('\n').filter(Boolean).length;
      } catch {
        return 0;
      }
    },
    stop: () => stopChild(child),
  };
}
