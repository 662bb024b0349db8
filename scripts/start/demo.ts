import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { config } from '../../core/config.js';
import { generateDemoWeb, startDemoServer, type GroundTruth } from '../../demo/index.js';

export interface RunningDemo {
  port: number;
  sites: number;
  seeds: string[];
  /** `host:port:127.0.0.1` entries for the fetcher's resolve map. */
  resolveEntries: string[];
  groundTruthPath: string;
  truth: GroundTruth;
  close(): Promise<void>;
}

/** Generates the demo web from DEMO_* settings, writes its ground truth and serves it on loopback. */
export async function startDemo(): Promise<RunningDemo> {
  const cfg = config();
  const web = generateDemoWeb({ seed: cfg.DEMO_SEED, sites: cfg.DEMO_SITES, pages: cfg.DEMO_PAGES });
  const groundTruthPath = resolve(join(cfg.DATA_DIR, 'demo', 'ground-truth.json'));
  mkdirSync(dirname(groundTruthPath), { recursive: true });
  writeFileSync(groundTruthPath, JSON.stringify(web.truth));
  const server = await startDemoServer(web, { port: cfg.DEMO_PORT, host: '127.0.0.1' });
  return {
    port: server.port,
    sites: web.truth.sites.length,
    seeds: server.seeds(),
    resolveEntries: server.resolveEntries(),
    groundTruthPath,
    truth: web.truth,
    close: () => server.close(),
  };
}
