import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const composeCli = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
const hasCompose = composeCli.status === 0;

describe('docker-compose.yml', () => {
  test('declares Elasticsearch 8, Redis with append-only persistence, api, worker and an opensearch profile', () => {
    const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as {
      services: Record<string, { image?: string; command?: string[]; profiles?: string[] }>;
    };
    expect(compose.services.elasticsearch?.image).toMatch(/elasticsearch:8\./);
    expect(compose.services.redis?.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(compose.services.opensearch?.profiles).toEqual(['opensearch']);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['api', 'worker']));
  });

  if (!hasCompose) {
    console.log(
      `skipping docker compose config -q: ${(composeCli.stderr || composeCli.error?.message || '').trim()}`,
    );
  }
  (hasCompose ? test : test.skip)(
    'passes `docker compose config -q` (skipped when the CLI is absent)',
    () => {
      const result = spawnSync('docker', ['compose', 'config', '-q'], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );
});
