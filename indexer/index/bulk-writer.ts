import { errorCode, isRetryable } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { BulkItemResult, BulkOperation, EnginePort } from '../../engine/port.js';
import type { DeadLetterStore } from './dead-letters.js';

/** Options of the bulk writer. */
export interface BulkWriterOptions {
  /** Flush when this many operations wait. @default 500 */
  maxOperations?: number;
  /** Flush when the waiting documents reach about this many bytes of JSON. @default 5_000_000 */
  maxBytes?: number;
  /** Flush at least this often while operations wait. @default 250 */
  flushIntervalMs?: number;
  /** `add` waits while more than this many operations are in flight (backpressure). @default 5_000 */
  highWaterMark?: number;
  /** Tries of a throttled (429) or unavailable batch before its items go to dead letters. @default 6 */
  maxAttempts?: number;
  /** First back-off after a 429; doubles per attempt. @default 200 */
  backoffMs?: number;
  /** Where failed items go; without one they are only logged. */
  deadLetters?: DeadLetterStore;
}

/** Options of one `BulkWriter.add`. */
export interface AddOptions {
  /**
   * A 409 (version conflict, e.g. `create` of a document that exists) is an answer the caller handles,
   * not a failure: it resolves with the item and does not go to dead letters. @default false
   */
  conflictIsAnswer?: boolean;
}

interface Pending {
  operation: BulkOperation;
  bytes: number;
  attempt: number;
  conflictIsAnswer: boolean;
  resolve: (result: BulkItemResult) => void;
}

export interface BulkWriterStats {
  flushes: number;
  written: number;
  failed: number;
  throttled: number;
  /** 409 answers handed back to callers that expected them (`conflictIsAnswer`). */
  conflicts: number;
}

/**
 * Batches writes by count, bytes and time into `_bulk` requests. Each `add` resolves with the item's
 * own result once written; items the engine refuses for good go to the dead-letter store (nothing is
 * dropped in silence), items it throttles (429) or that meet an unavailable engine are retried with
 * exponential back-off while `add` callers wait (backpressure).
 */
export class BulkWriter {
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private drainWaiters: Array<() => void> = [];
  private closed = false;
  readonly stats: BulkWriterStats = { flushes: 0, written: 0, failed: 0, throttled: 0, conflicts: 0 };
  private readonly options: Required<Omit<BulkWriterOptions, 'deadLetters'>>;
  private readonly log = logger('bulk-writer');

  constructor(
    private readonly engine: EnginePort,
    options: BulkWriterOptions = {},
  ) {
    this.options = {
      maxOperations: options.maxOperations ?? 500,
      maxBytes: options.maxBytes ?? 5_000_000,
      flushIntervalMs: options.flushIntervalMs ?? 250,
      highWaterMark: options.highWaterMark ?? 5_000,
      maxAttempts: options.maxAttempts ?? 6,
      backoffMs: options.backoffMs ?? 200,
    };
    this.deadLetters = options.deadLetters;
  }

  private readonly deadLetters: DeadLetterStore | undefined;

  /** Queues one operation; resolves with its result after the batch holding it is written. */
  async add(operation: BulkOperation, options: AddOptions = {}): Promise<BulkItemResult> {
    if (this.closed) throw new Error('BulkWriter is closed');
    while (this.inFlight >= this.options.highWaterMark) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
    return new Promise((resolve) => {
      const bytes = estimateBytes(operation);
      this.inFlight += 1;
      const conflictIsAnswer = options.conflictIsAnswer ?? false;
      this.queue.push({ operation, bytes, attempt: 1, conflictIsAnswer, resolve });
      this.queuedBytes += bytes;
      if (this.queue.length >= this.options.maxOperations || this.queuedBytes >= this.options.maxBytes) {
        void this.flush();
      } else {
        this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      }
    });
  }

  /** Writes everything queued so far; resolves when those batches are done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    // Batches go one after another: the engine's bulk thread pool, not us, decides parallelism.
    this.flushing = this.flushing.then(() => (batch.length > 0 ? this.write(batch) : undefined));
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async write(batch: Pending[]): Promise<void> {
    let retry: Pending[] = [];
    this.stats.flushes += 1;
    try {
      const result = await this.engine.bulk(batch.map((p) => p.operation));
      result.items.forEach((item, i) => {
        const pending = batch[i];
        if (!pending) return;
        if (item.ok) this.settle(pending, item);
        else if (item.status === 409 && pending.conflictIsAnswer) this.answer(pending, item);
        else if (item.status === 429) retry.push(pending);
        else void this.fail(pending, item);
      });
    } catch (error) {
      if (!isRetryable(error)) {
        const reason = error instanceof Error ? error.message : String(error);
        for (const pending of batch)
          void this.fail(pending, failedItem(pending.operation, 0, errorCode(error), reason));
        return;
      }
      retry = batch;
    }
    if (retry.length > 0) await this.retry(retry);
  }

  private async retry(items: Pending[]): Promise<void> {
    this.stats.throttled += items.length;
    const exhausted = items.filter((p) => p.attempt >= this.options.maxAttempts);
    for (const pending of exhausted) {
      void this.fail(
        pending,
        failedItem(pending.operation, 429, 'ENGINE_THROTTLED', 'gave up after back-off'),
      );
    }
    const again = items.filter((p) => p.attempt < this.options.maxAttempts);
    if (again.length === 0) return;
    const attempt = Math.min(...again.map((p) => p.attempt));
    const delayMs = this.options.backoffMs * 2 ** (attempt - 1);
    this.log.warn({ items: again.length, delayMs }, 'engine throttled or unavailable; backing off');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    for (const pending of again) pending.attempt += 1;
    await this.write(again);
  }

  private settle(pending: Pending, item: BulkItemResult): void {
    this.stats.written += 1;
    this.release();
    pending.resolve(item);
  }

  /** A refusal the caller asked to receive (see `AddOptions.conflictIsAnswer`): not a failure. */
  private answer(pending: Pending, item: BulkItemResult): void {
    this.stats.conflicts += 1;
    this.release();
    pending.resolve(item);
  }

  private async fail(pending: Pending, item: BulkItemResult): Promise<void> {
    this.stats.failed += 1;
    try {
      if (this.deadLetters) await this.deadLetters.push(pending.operation, item);
      else this.log.error({ item }, 'bulk item failed and no dead-letter store is configured');
    } finally {
      this.release();
      pending.resolve(item);
    }
  }

  private release(): void {
    this.inFlight -= 1;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }
}

function failedItem(operation: BulkOperation, status: number, type: string, reason: string): BulkItemResult {
  return {
    op: operation.op,
    index: operation.index,
    id: operation.id,
    status,
    ok: false,
    error: { type, reason },
  };
}

function estimateBytes(operation: BulkOperation): number {
  if (operation.op === 'delete') return 64;
  if (operation.op === 'update')
    return JSON.stringify([operation.doc, operation.script, operation.upsert]).length;
  return JSON.stringify(operation.doc).length;
}
