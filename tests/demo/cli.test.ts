import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { generateDemoWeb, stringifyGroundTruth, type DemoServer } from '../../demo/index.js';
import { demoGet } from './demo-http.js';

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs `demo/cli.ts` and resolves with its name=value lines once it serves. */
function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/cli.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('CRAWL_RESOLVE=') && stdout.endsWith('\n')) {
        resolve(
          Object.fromEntries(
            stdout
              .trim()
              .split('\n')
              .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
          ),
        );
      }
    });
    child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, ready, exited, stderr: () => stderr };
}

describe('demo CLI', () => {
  it('writes the ground truth, serves the web and stops cleanly on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'argus-demo-'));
    const out = join(dir, 'truth.json');
    const cli = runCli(['--sites', '3', '--pages', '8', '--seed', '5', '--port', '0', '--out', out]);
    const lines = await cli.ready;
    const port = Number(lines.port);
    expect(port).toBeGreaterThan(0);
    expect(await readFile(out, 'utf8')).toBe(
      stringifyGroundTruth(generateDemoWeb({ seed: 5, sites: 3, pages: 8 }).truth),
    );
    const server = { resolveEntries: () => (lines.CRAWL_RESOLVE ?? '').split(',') } as DemoServer;
    const seeds = (lines.seeds ?? '').split(',');
    expect(seeds.length).toBeGreaterThan(3);
    expect((await demoGet(server, seeds[1] ?? '')).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('rejects bad options with one clear line and a non-zero exit', async () => {
    const cli = runCli(['--pages', '2', '--port', '0', '--out', join(tmpdir(), 'never-written.json')]);
    await expect(cli.ready).rejects.toThrow('DEMO_OPTIONS_INVALID');
    expect(await cli.exited).toBe(2);
  });
});
