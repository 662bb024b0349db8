import type { Redis } from 'ioredis';
import type { BulkItemResult, BulkOperation } from '../../engine/port.js';

/** One write the engine refused, kept until someone replays or drops it. */
export interface DeadLetter {
  id: string;
  failedAt: string;
  operation: BulkOperation;
  error: { status: number; type: string; reason: string };
}

/** Redis-backed dead-letter list of bulk items: list them, replay them, nothing silently lost. */
export class DeadLetterStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:dead-letters`;
  }

  async push(operation: BulkOperation, item: BulkItemResult): Promise<void> {
    const letter: DeadLetter = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      failedAt: new Date().toISOString(),
      operation,
      error: { status: item.status, type: item.error?.type ?? 'unknown', reason: item.error?.reason ?? '' },
    };
    await this.redis.rpush(this.key, JSON.stringify(letter));
  }

  count(): Promise<number> {
    return this.redis.llen(this.key);
  }

  async list(offset = 0, limit = 100): Promise<DeadLetter[]> {
    const raw = await this.redis.lrange(this.key, offset, offset + limit - 1);
    return raw.map((entry) => JSON.parse(entry) as DeadLetter);
  }

  /**
   * Takes up to `limit` letters off the list and hands each operation to `write`; those that fail
   * again come back to the list (by `write` calling `push`), so a replay never loses a letter.
   */
  async replay(
    write: (operation: BulkOperation) => Promise<BulkItemResult>,
    limit = 1_000,
  ): Promise<ReplayReport> {
    const report: ReplayReport = { attempted: 0, written: 0, failedAgain: 0 };
    // Only the letters there now: those failing again go to the tail and wait for the next replay.
    const due = Math.min(limit, await this.count());
    for (let i = 0; i < due; i += 1) {
      const raw = await this.redis.lpop(this.key);
      if (raw === null) break;
      const letter = JSON.parse(raw) as DeadLetter;
      report.attempted += 1;
      try {
        const result = await write(letter.operation);
        if (result.ok) report.written += 1;
        else report.failedAgain += 1;
      } catch (error) {
        await this.redis.rpush(this.key, raw);
        throw error;
      }
    }
    return report;
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }
}

export interface ReplayReport {
  attempted: number;
  written: number;
  /** Refused again and back in the list. */
  failedAgain: number;
}
