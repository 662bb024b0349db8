/**
 * Demo web CLI: writes the ground truth, then serves the demo web until killed.
 *   tsx demo/cli.ts --sites 50 --pages 200 --seed 42 --port 8090 --out .argus/demo/ground-truth.json
 * Prints name=value lines on stdout (port, ground truth path, counts, CRAWL_RESOLVE); logs go to stderr.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { errorCode } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { DEFAULT_GROUND_TRUTH_PATH, generateDemoWeb, startDemoServer, writeGroundTruth } from './index.js';

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

interface CliOptions {
  sites: number;
  pages: number;
  seed: number;
  ads: number;
  port: number;
  host: string;
  out: string;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('demo')
    .description('Generate and serve the Argus demo web of synthetic e-commerce operators')
    .option('--sites <n>', 'number of shops (fixed sites come on top)', integer, 12)
    .option('--pages <n>', 'pages per shop (min 6)', integer, 30)
    .option('--seed <n>', 'random seed', integer, 42)
    .option('--ads <n>', 'number of ad creatives (min 10)', integer, 40)
    .option('--port <n>', 'port to listen on (0 = any free port)', integer, 8090)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--out <file>', 'ground truth JSON path', DEFAULT_GROUND_TRUTH_PATH);
  program.parse(argv);
  const opts = program.opts<CliOptions>();
  const web = generateDemoWeb({ seed: opts.seed, sites: opts.sites, pages: opts.pages, ads: opts.ads });
  const out = resolve(opts.out);
  await writeGroundTruth(web.truth, out);
  const server = await startDemoServer(web, { port: opts.port, host: opts.host });
  const { summary } = web.truth;
  process.stdout.write(
    [
      `ground_truth=${out}`,
      `port=${server.port}`,
      `sites=${summary.sites}`,
      `pages=${summary.pages}`,
      `ads=${summary.ads}`,
      `seeds=${server.seeds().join(',')}`,
      `CRAWL_RESOLVE=${server.resolveEntries().join(',')}`,
      '',
    ].join('\n'),
  );
  logger('demo').info({ port: server.port, pages: summary.pages, out }, 'demo web serving');
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`demo: ${errorCode(error)}: ${(error as Error).message}\n`);
  process.exit(2);
});
