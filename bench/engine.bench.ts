/**
 * `npm run bench:engine [-- --docs 20000 --batch 1000]`: bulk-indexes synthetic Chinese/English pages into
 * a fresh pages index (own prefix, deleted at the end) with the custom analyzers; prints `name=value` lines.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { positiveInt } from './support/cli-options.js';
import { pino } from 'pino';
import { createEngine } from '../engine/index.js';
import type { BulkOperation, EnginePort } from '../engine/port.js';
import { aliasName, pagesDefinition } from '../mappings/index.js';
import { dropIndices, migrate } from '../mappings/migrate.js';
import { syntheticPages } from './support/synthetic-pages.js';

interface BenchOptions {
  docs: number;
  batch: number;
  maxBatchBytes: number;
}

interface BulkFigures {
  bulkMs: number;
  bytes: number;
  batches: number;
  failed: number;
}

/** Sends batches of at most `batch` documents or `maxBatchBytes` of JSON, whichever comes first. */
async function indexAll(engine: EnginePort, index: string, options: BenchOptions): Promise<BulkFigures> {
  const figures: BulkFigures = { bulkMs: 0, bytes: 0, batches: 0, failed: 0 };
  let batch: BulkOperation[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const startedAt = performance.now();
    const result = await engine.bulk(batch);
    figures.bulkMs += performance.now() - startedAt;
    figures.failed += result.items.filter((item) => !item.ok).length;
    if (result.errors) console.error(`bulk error: ${JSON.stringify(result.items.find((i) => !i.ok)?.error)}`);
    figures.batches++;
    batch = [];
    batchBytes = 0;
  };
  for (const doc of syntheticPages(options.docs)) {
    const size = Buffer.byteLength(JSON.stringify(doc));
    if (batch.length >= options.batch || (batchBytes + size > options.maxBatchBytes && batch.length > 0))
      await flush();
    batch.push({ op: 'index', index, id: doc.id, doc });
    batchBytes += size;
    figures.bytes += size;
  }
  await flush();
  return figures;
}

async function main(argv: string[]): Promise<void> {
  const options = new Command('bench:engine')
    .option('--docs <n>', 'documents to index', positiveInt, 20_000)
    .option('--batch <n>', 'documents per bulk request', positiveInt, 1_000)
    .option('--max-batch-bytes <n>', 'bytes of JSON per bulk request', positiveInt, 8 * 1024 * 1024)
    .parse(argv)
    .opts<BenchOptions>();
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const engine = await createEngine();
  const definitions = [pagesDefinition];
  try {
    await migrate(engine, { prefix, definitions, log: pino({ level: 'silent' }) });
    const alias = aliasName(prefix, 'pages');
    const startedAt = performance.now();
    const figures = await indexAll(engine, alias, options);
    const refreshStartedAt = performance.now();
    await engine.refresh(alias);
    const refreshMs = performance.now() - refreshStartedAt;
    const wallMs = performance.now() - startedAt;
    const indexed = await engine.count(alias);
    const seconds = figures.bulkMs / 1000;
    console.log(`docs=${indexed}`);
    console.log(`failed=${figures.failed}`);
    console.log(`batches=${figures.batches}`);
    console.log(`mb=${(figures.bytes / 1024 / 1024).toFixed(1)}`);
    console.log(`seconds=${seconds.toFixed(2)}`);
    console.log(`bulk_docs_per_sec=${Math.round(options.docs / seconds)}`);
    console.log(`bulk_mb_per_sec=${(figures.bytes / 1024 / 1024 / seconds).toFixed(2)}`);
    console.log(`refresh_seconds=${(refreshMs / 1000).toFixed(2)}`);
    console.log(`wall_seconds=${(wallMs / 1000).toFixed(2)}`);
    if (indexed !== options.docs) process.exitCode = 1;
  } finally {
    await dropIndices(engine, { prefix, definitions });
    await engine.close();
  }
}

main(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
