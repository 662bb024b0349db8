/**
 * The raw `_bulk` baseline of `npm run bench:crawl`: reads back what the pipeline indexed (`scanAll`) and
 * writes the same documents with the engine port's `bulk` into fresh indices of the same mappings, in
 * batches like the pipeline's bulk writer, one request at a time. Only the `bulk` calls are timed.
 */
import { scanAll } from '../../engine/index.js';
import type { BulkOperation, Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';

/** Batch limits of `BulkWriter`'s defaults (indexer/index/bulk-writer.ts), so batches look alike. */
export const PIPELINE_BATCH = { maxOperations: 1_000, maxBytes: 5_000_000 } as const;

/** Options of {@link replayIndices}. */
export interface ReplayOptions {
  /** Index prefix the crawl wrote under. */
  from: string;
  /** Index prefix of the fresh indices (already migrated). */
  to: string;
  /** Index names (`pages`, `page-versions`, `ads`). */
  names: readonly string[];
  /** Sees every document read back (for scoring), before it is bulked. */
  onDocument?: (name: string, doc: Doc) => void;
}

/** What the replay wrote and how long `bulk` took. */
export interface ReplayResult {
  docs: number;
  docsByIndex: Record<string, number>;
  failed: number;
  batches: number;
  bulkSeconds: number;
  megabytes: number;
}

export async function replayIndices(engine: EnginePort, options: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = {
    docs: 0,
    docsByIndex: {},
    failed: 0,
    batches: 0,
    bulkSeconds: 0,
    megabytes: 0,
  };
  let batch: BulkOperation[] = [];
  let batchBytes = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const startedAt = performance.now();
    const written = await engine.bulk(batch);
    result.bulkSeconds += (performance.now() - startedAt) / 1000;
    result.failed += written.items.filter((item) => !item.ok).length;
    result.batches += 1;
    batch = [];
    batchBytes = 0;
  };
  let bytes = 0;
  for (const name of options.names) {
    const index = aliasName(options.to, name);
    for await (const hit of scanAll(engine, { index: aliasName(options.from, name) })) {
      options.onDocument?.(name, hit.source);
      const size = JSON.stringify(hit.source).length;
      if (batch.length >= PIPELINE_BATCH.maxOperations || batchBytes + size > PIPELINE_BATCH.maxBytes)
        await flush();
      batch.push({ op: 'index', index, id: hit.id, doc: hit.source });
      batchBytes += size;
      bytes += size;
      result.docs += 1;
      result.docsByIndex[name] = (result.docsByIndex[name] ?? 0) + 1;
    }
  }
  await flush();
  result.megabytes = bytes / 1024 / 1024;
  return result;
}
