/**
 * `argus search` on the real engine: the API's search, unscoped, printed for a terminal (matches in
 * `**`, HTML entities decoded), with the domain option and a bad query as a clear error.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { aliasName, pagesDefinition } from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';

const run = promisify(execFile);
let engine: EnginePort;
let prefix: string;

function argus(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'bin/argus.ts', ...args], {
    env: { ...process.env, INDEX_PREFIX: prefix, LOG_LEVEL: 'silent' },
  });
}

beforeAll(async () => {
  engine = await createEngine();
  prefix = testPrefix('cli');
  await migrate(engine, { prefix, definitions: [pagesDefinition], log: pino({ level: 'silent' }) });
  const page = (id: string, host: string, title: string, text: string) => ({
    op: 'index' as const,
    index: aliasName(prefix, 'pages'),
    id,
    doc: { id, url: `http://${host}/${id}`, host, site: host, title, text, lang: 'zh' },
  });
  await engine.bulk(
    [
      page('p1', 'tea.test', '锦程茶庄 <白茶>', '本店白茶荣获国家级金奖 & 热销'),
      page('p2', 'other.test', '别家茶铺', '本店绿茶荣获国家级金奖'),
    ],
    { refresh: 'wait_for' },
  );
});
afterAll(async () => {
  await dropIndices(engine, { prefix, definitions: [pagesDefinition] });
  await engine.close();
});

describe('argus search', () => {
  it('prints the hits of a Chinese phrase with the match in ** and entities decoded', async () => {
    const { stdout } = await argus('search', '"白茶荣获"');
    expect(stdout).toContain('1 pages');
    expect(stdout).toContain('锦程茶庄 <白茶>\n  http://tea.test/p1');
    expect(stdout).toContain('**白茶荣获**国家级金奖 & 热销');
  });

  it('keeps to one domain with --domain', async () => {
    const { stdout } = await argus('search', '国家级', '--domain', 'other.test');
    expect(stdout).toContain('1 pages');
    expect(stdout).toContain('http://other.test/p2');
    expect(stdout).not.toContain('tea.test');
  });

  it('a bad query is an error naming the problem, not a stack trace', async () => {
    const failed = await argus('search', 'title:(最佳').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toMatch(/Invalid query at position \d+ .*never closed/);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });
});
