/**
 * The notification outbox in Redis: every delivery an alert owes (one per route) is queued here
 * before anything is sent, so a restart loses nothing. Items are grouped: a digest group holds the
 * alerts of one rule for one route in one aligned window and falls due when the window ends; an
 * immediate group holds one alert and is due at once.
 *
 * Keys under `<keyPrefix>:notify:outbox:`: `due` (zset group → due ms), `lease` (zset group → lease
 * expiry ms), `meta` (hash group → JSON), `items:<group>` (list of JSON items). A flusher claims due
 * groups atomically (Lua) under a lease; it acknowledges the items it delivered by count (LTRIM), so
 * a flush is idempotent, two flushers never take one group, and a flusher that dies mid-way leaves
 * its groups to be reclaimed when the lease runs out (delivered at least once).
 */
import type { Redis } from 'ioredis';
import type { AlertNotice as NotifyNotice, ChannelTarget } from '../../../notify/types.js';

/** What a group is sent to, and how. */
export interface GroupMeta {
  routeId: string;
  ruleId: string;
  target: ChannelTarget;
  mode: 'immediate' | 'digest';
  /** Digest window, ms since the epoch. */
  windowStart?: number;
  windowEnd?: number;
  /** Failed flushes so far. */
  tries: number;
}

/** One alert waiting in a group. */
export interface QueuedItem {
  notice: NotifyNotice;
  /** ISO time the alert was queued. */
  at: string;
}

/** A claimed group: its meta and the items to send (acknowledge exactly `items.length`). */
export interface ClaimedGroup {
  id: string;
  meta: GroupMeta;
  items: QueuedItem[];
}

/** Options of {@link DeliveryQueue}. */
export interface DeliveryQueueOptions {
  /** Key prefix, e.g. `argus:argus` → `argus:argus:notify:outbox:*`. */
  keyPrefix: string;
  /** How long a claim holds before another flusher may take the group. @default 120_000 */
  leaseMs?: number;
}

const CLAIM = `
local now = tonumber(ARGV[1])
local until_ms = now + tonumber(ARGV[2])
local out = {}
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, g in ipairs(stale) do
  redis.call('ZADD', KEYS[2], until_ms, g)
  table.insert(out, g)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, g in ipairs(due) do
  redis.call('ZREM', KEYS[1], g)
  if not redis.call('ZSCORE', KEYS[2], g) then
    redis.call('ZADD', KEYS[2], until_ms, g)
    table.insert(out, g)
  end
end
return out
`;

/** KEYS: due, lease, meta, items; ARGV: group, delivered count, now. */
const ACK = `
redis.call('LTRIM', KEYS[4], tonumber(ARGV[2]), -1)
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('DEL', KEYS[4])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return 0
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
return 1
`;

export class DeliveryQueue {
  readonly dueKey: string;
  readonly leaseKey: string;
  readonly metaKey: string;
  private readonly base: string;
  private readonly leaseMs: number;

  constructor(
    private readonly redis: Redis,
    options: DeliveryQueueOptions,
  ) {
    this.base = `${options.keyPrefix}:notify:outbox`;
    this.dueKey = `${this.base}:due`;
    this.leaseKey = `${this.base}:lease`;
    this.metaKey = `${this.base}:meta`;
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  itemsKey(group: string): string {
    return `${this.base}:items:${group}`;
  }

  /** Appends an item to a group (creating it), due at `dueAt` unless it is already queued. */
  async enqueue(group: string, meta: GroupMeta, item: QueuedItem, dueAt: number): Promise<void> {
    await this.redis
      .multi()
      .rpush(this.itemsKey(group), JSON.stringify(item))
      .hsetnx(this.metaKey, group, JSON.stringify(meta))
      .zadd(this.dueKey, 'NX', dueAt, group)
      .exec();
  }

  /** Takes up to `limit` due groups (and groups whose lease ran out) with their items. */
  async claim(limit = 50, now = Date.now()): Promise<ClaimedGroup[]> {
    const ids = (await this.redis.eval(
      CLAIM,
      2,
      this.dueKey,
      this.leaseKey,
      now,
      this.leaseMs,
      limit,
    )) as string[];
    const claimed: ClaimedGroup[] = [];
    for (const id of ids) {
      const [rawMeta, rawItems] = await Promise.all([
        this.redis.hget(this.metaKey, id),
        this.redis.lrange(this.itemsKey(id), 0, -1),
      ]);
      if (!rawMeta || rawItems.length === 0) {
        await this.ack(id, rawItems.length);
        continue;
      }
      claimed.push({
        id,
        meta: JSON.parse(rawMeta) as GroupMeta,
        items: rawItems.map((raw) => JSON.parse(raw) as QueuedItem),
      });
    }
    return claimed;
  }

  /** The first `delivered` items are done; the group goes, or stays due when items came in meanwhile. */
  async ack(group: string, delivered: number): Promise<void> {
    await this.redis.eval(
      ACK,
      4,
      this.dueKey,
      this.leaseKey,
      this.metaKey,
      this.itemsKey(group),
      group,
      delivered,
      Date.now(),
    );
  }

  /** A failed flush: the group stays, due again at `dueAt`, with `tries` counted. */
  async retryLater(group: ClaimedGroup, dueAt: number): Promise<void> {
    const meta: GroupMeta = { ...group.meta, tries: group.meta.tries + 1 };
    await this.redis
      .multi()
      .hset(this.metaKey, group.id, JSON.stringify(meta))
      .zrem(this.leaseKey, group.id)
      .zadd(this.dueKey, dueAt, group.id)
      .exec();
  }

  /** Groups waiting (due or leased). */
  async size(): Promise<number> {
    return this.redis.hlen(this.metaKey);
  }

  /** Drops everything (tests). */
  async clear(): Promise<void> {
    const groups = await this.redis.hkeys(this.metaKey);
    const keys = [this.dueKey, this.leaseKey, this.metaKey, ...groups.map((g) => this.itemsKey(g))];
    await this.redis.del(...keys);
  }
}
