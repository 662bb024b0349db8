import { errorCode, isRetryable } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { BulkItemResult, BulkOperation, EnginePort } from '../../engine/port.js';
import type { DeadLetterStore } from './dead-letters.js';

/** Options of the bulk writer. */
export interface BulkWriterOptions {
  /**
   * Flush when this many operations wait. Each batch rewrites a hot ad or candidate once (one write per
   * document in flight), so larger batches mean fewer rewrites of the same document. @default 1_000
   */
  maxOperations?: number;
  /** Flush when the waiting documents reach about this many bytes of JSON. @default 5_000_000 */
  maxBytes?: number;
  /**
   * How long an operation waits for others when no batch is in flight; while one is, operations gather
   * until it returns and then go out at once (the batch grows with the engine's latency, and a lone
   * write is not held back). 0 sends on the next turn of the event loop. @default 0
   */
  flushIntervalMs?: number;
  /**
   * `_bulk` requests in flight at once. Two keep the engine busy while this process prepares the next
   * batch; writes that depend on each other are awaited by their callers, so never share a moment in
   * flight. @default 2
   */
  maxBatchesInFlight?: number;
  /** `add` waits while more than this many operations are in flight (backpressure). @default 5_000 */
  highWaterMark?: number;
  /**
   * `add` also waits while the operations in flight (queued, cut or being written) reach about this many
   * bytes of JSON: page documents carry their full text, so a count alone does not bound the memory the
   * writer holds. Above `maxBytes`, so a full batch can form while another is written. @default 16_000_000
   */
  maxBytesInFlight?: number;
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

/** A folded operation while its batch gathers: its parts, their callers, and what builds it when the batch is cut. */
interface Fold {
  pending: Pending;
  parts: unknown[];
  waiters: Array<(result: BulkItemResult) => void>;
  build: (parts: never[]) => BulkOperation;
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
  /** Folded operations of the gathering batch (`queue`), by key. */
  private folds = new Map<string, Fold>();
  private queuedBytes = 0;
  private inFlight = 0;
  private bytesInFlight = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** Batches being written, and batches cut (size limit, `flush`) waiting for a free request. */
  private batchesInFlight = 0;
  private ready: Array<{ batch: Pending[]; done: () => void }> = [];
  private unfinished = new Set<Promise<void>>();
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
      maxOperations: options.maxOperations ?? 1_000,
      maxBytes: options.maxBytes ?? 5_000_000,
      flushIntervalMs: options.flushIntervalMs ?? 0,
      maxBatchesInFlight: Math.max(1, options.maxBatchesInFlight ?? 2),
      highWaterMark: options.highWaterMark ?? 5_000,
      maxBytesInFlight: options.maxBytesInFlight ?? 16_000_000,
      maxAttempts: options.maxAttempts ?? 6,
      backoffMs: options.backoffMs ?? 200,
    };
    this.deadLetters = options.deadLetters;
  }

  private readonly deadLetters: DeadLetterStore | undefined;

  /** Queues one operation; resolves with its result after the batch holding it is written. */
  async add(operation: BulkOperation, options: AddOptions = {}): Promise<BulkItemResult> {
    if (this.closed) throw new Error('BulkWriter is closed');
    // Checked and queued in one turn: callers woken together see each other's operations.
    while (this.full) await this.drained();
    return new Promise((resolve) => {
      const conflictIsAnswer = options.conflictIsAnswer ?? false;
      this.enqueue({ operation, bytes: estimateBytes(operation), attempt: 1, conflictIsAnswer, resolve });
    });
  }

  /**
   * Folds `part` into the one operation `key` (e.g. index and id) of the batch being gathered, which
   * `build` makes from all its parts when the batch is cut; resolves with that operation's result. A
   * document many pages touch at once (a hot ad, a candidate) is written once per batch, and a caller
   * waits for one batch, not for the writes of that document before it. Operations of one key in
   * batches in flight together must commute (scripted updates with `retryOnConflict`).
   */
  async fold<T>(key: string, part: T, build: (parts: T[]) => BulkOperation): Promise<BulkItemResult> {
    if (this.closed) throw new Error('BulkWriter is closed');
    // Checked and queued in one turn: callers woken together see each other's operations.
    while (this.full) await this.drained();
    return new Promise((resolve) => {
      const bytes = jsonSize(part);
      const gathering = this.folds.get(key);
      if (gathering) {
        gathering.parts.push(part);
        gathering.waiters.push(resolve);
        gathering.pending.bytes += bytes;
        this.count(bytes);
        return;
      }
      const waiters = [resolve];
      // The operation stays a placeholder until `flush` cuts the batch and builds it from the parts.
      const pending: Pending = {
        operation: PLACEHOLDER,
        bytes,
        attempt: 1,
        conflictIsAnswer: false,
        resolve: (result) => waiters.forEach((wake) => wake(result)),
      };
      this.folds.set(key, { pending, parts: [part], waiters, build });
      this.enqueue(pending);
    });
  }

  /** Resolves when an operation in flight is done (backpressure: callers wait while the writer is `full`). */
  private drained(): Promise<void> {
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /** Too many operations or bytes in flight. */
  private get full(): boolean {
    return this.inFlight >= this.options.highWaterMark || this.bytesInFlight >= this.options.maxBytesInFlight;
  }

  private enqueue(pending: Pending): void {
    this.inFlight += 1;
    this.queue.push(pending);
    this.count(pending.bytes);
  }

  /** Counts bytes just queued; cuts the batch when it is full, else makes sure it goes out soon. */
  private count(bytes: number): void {
    this.bytesInFlight += bytes;
    this.queuedBytes += bytes;
    if (this.queue.length >= this.options.maxOperations || this.queuedBytes >= this.options.maxBytes) {
      void this.flush();
    } else if (this.hasFreeRequest()) {
      this.timer ??=
        this.options.flushIntervalMs > 0
          ? setTimeout(() => void this.flush(), this.options.flushIntervalMs)
          : setImmediate(() => void this.flush());
    }
  }

  /** Writes everything queued so far; resolves when those batches (and any before them) are done. */
  flush(): Promise<void> {
    this.clearTimer();
    let batch = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.folds.size > 0) batch = this.buildFolds(batch);
    if (batch.length > 0) {
      let done = (): void => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      this.unfinished.add(finished);
      void finished.then(() => this.unfinished.delete(finished));
      this.ready.push({ batch, done });
      this.startReady();
    }
    return Promise.all([...this.unfinished]).then(() => undefined);
  }

  /** Builds the batch's folded operations; one whose build throws fails alone (a bug, not the engine). */
  private buildFolds(batch: Pending[]): Pending[] {
    const broken = new Set<Pending>();
    for (const { pending, parts, build } of this.folds.values()) {
      try {
        pending.operation = build(parts as never[]);
      } catch (error) {
        this.log.error({ err: error }, 'building a folded operation failed');
        broken.add(pending);
        this.stats.failed += 1;
        this.release(pending);
        pending.resolve(failedItem(pending.operation, 0, 'FOLD_FAILED', String(error)));
      }
    }
    this.folds.clear();
    return broken.size === 0 ? batch : batch.filter((p) => !broken.has(p));
  }

  private hasFreeRequest(): boolean {
    return this.batchesInFlight < this.options.maxBatchesInFlight && this.ready.length === 0;
  }

  private startReady(): void {
    while (this.batchesInFlight < this.options.maxBatchesInFlight) {
      const next = this.ready.shift();
      if (!next) return;
      this.batchesInFlight += 1;
      this.write(next.batch)
        .catch((error: unknown) => this.log.error({ err: error }, 'bulk batch failed unexpectedly'))
        .finally(() => {
          this.batchesInFlight -= 1;
          next.done();
          this.startReady();
          // What gathered while the engine was busy goes out now.
          if (this.queue.length > 0 && this.hasFreeRequest()) void this.flush();
        });
    }
  }

  private clearTimer(): void {
    if (!this.timer) return;
    if (this.options.flushIntervalMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
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
    this.release(pending);
    pending.resolve(item);
  }

  /** A refusal the caller asked to receive (see `AddOptions.conflictIsAnswer`): not a failure. */
  private answer(pending: Pending, item: BulkItemResult): void {
    this.stats.conflicts += 1;
    this.release(pending);
    pending.resolve(item);
  }

  private async fail(pending: Pending, item: BulkItemResult): Promise<void> {
    this.stats.failed += 1;
    try {
      if (this.deadLetters) await this.deadLetters.push(pending.operation, item);
      else this.log.error({ item }, 'bulk item failed and no dead-letter store is configured');
    } finally {
      this.release(pending);
      pending.resolve(item);
    }
  }

  private release(pending: Pending): void {
    this.inFlight -= 1;
    this.bytesInFlight -= pending.bytes;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }
}

const PLACEHOLDER: BulkOperation = { op: 'delete', index: '', id: '' };

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
    return jsonSize(operation.doc) + jsonSize(operation.script) + jsonSize(operation.upsert);
  return jsonSize(operation.doc);
}

/**
 * About the length of `JSON.stringify(value)` (escapes not counted), without building it: the writer
 * sizes every operation, and the engine client serialises it once more when the batch goes out.
 */
export function jsonSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'boolean':
      return String(value).length;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) return value.reduce((n: number, v: unknown) => n + jsonSize(v) + 1, 2);
      let n = 2;
      for (const [key, v] of Object.entries(value)) if (v !== undefined) n += key.length + 4 + jsonSize(v);
      return n;
    }
    default:
      return 0;
  }
}
