/**
 * Notifications whose channel kept failing after every retry: kept in a Redis list until someone
 * lists, replays or drops them, so an exhausted webhook loses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AlertNotice, ChannelTarget } from './types.js';

/** One undelivered notification. The target is kept whole (a webhook secret included) for replay. */
export interface NotifyDeadLetter {
  id: string;
  failedAt: string;
  notice: AlertNotice;
  target: ChannelTarget;
  attempts: number;
  error: string;
  /** How many replays failed so far. */
  replays: number;
}

export class NotifyDeadLetterStore {
  readonly key: string;

  /** @param prefix key prefix, e.g. `argus` → `argus:notify:dead-letters` */
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = `${prefix}:notify:dead-letters`;
  }

  async push(entry: Omit<NotifyDeadLetter, 'id' | 'failedAt' | 'replays'>): Promise<NotifyDeadLetter> {
    const letter: NotifyDeadLetter = {
      id: randomUUID(),
      failedAt: new Date().toISOString(),
      replays: 0,
      ...entry,
    };
    await this.redis.rpush(this.key, JSON.stringify(letter));
    return letter;
  }

  count(): Promise<number> {
    return this.redis.llen(this.key);
  }

  /** Oldest first. */
  async list(offset = 0, limit = 100): Promise<NotifyDeadLetter[]> {
    const raw = await this.redis.lrange(this.key, offset, offset + limit - 1);
    return raw.map((entry) => JSON.parse(entry) as NotifyDeadLetter);
  }

  async get(id: string): Promise<NotifyDeadLetter | undefined> {
    return (await this.findRaw(id))?.letter;
  }

  /** Drops one letter; false when it was not there (already replayed by someone else). */
  async remove(id: string): Promise<boolean> {
    const found = await this.findRaw(id);
    if (!found) return false;
    return (await this.redis.lrem(this.key, 1, found.raw)) > 0;
  }

  /** Replaces a letter in place (after a failed replay); false when it is gone. */
  async update(letter: NotifyDeadLetter): Promise<boolean> {
    const found = await this.findRaw(letter.id);
    if (!found) return false;
    const replaced = await this.redis.lrem(this.key, 1, found.raw);
    if (replaced > 0) await this.redis.rpush(this.key, JSON.stringify(letter));
    return replaced > 0;
  }

  async clear(): Promise<void> {
    await this.redis.del(this.key);
  }

  private async findRaw(id: string): Promise<{ raw: string; letter: NotifyDeadLetter } | undefined> {
    const raw = await this.redis.lrange(this.key, 0, -1);
    for (const entry of raw) {
      const letter = JSON.parse(entry) as NotifyDeadLetter;
      if (letter.id === id) return { raw: entry, letter };
    }
    return undefined;
  }
}
