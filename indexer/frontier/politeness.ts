import type { Redis } from 'ioredis';
import { LuaScript, toNumber } from './lua-script.js';

/** Options of {@link createPoliteness}. */
export interface PolitenessOptions {
  redis: Redis;
  /** Key prefix; every crawl under the same prefix shares the per-host state. */
  prefix: string;
  /** Fetches in flight per host, across every worker process. @default 2 */
  perHostConcurrency: number;
  /** Minimum gap between request starts to one host. @default 250 */
  minDelayMs: number;
  /** A lease not renewed for this long is dropped, so a killed worker never blocks a host. @default 60000 */
  leaseTtlMs?: number;
  /** Crawl-delay reported by a host is capped to this (robots.txt may ask for hours). @default 30000 */
  maxCrawlDelayMs?: number;
  /** How long a reported Crawl-delay is remembered. @default 86400000 (a day, like robots.txt caches) */
  crawlDelayTtlMs?: number;
  /** Fetch duration assumed for a host before one is measured (spaces out waiting jobs). @default 500 */
  initialFetchMs?: number;
}

/** A granted lease, or how long to wait before asking again (the slot reserved for the caller). */
export type LeaseAnswer = { granted: true } | { granted: false; waitMs: number };

/** Per-host politeness shared through Redis by every worker process. */
export interface Politeness {
  acquire(host: string, leaseId: string): Promise<LeaseAnswer>;
  /** Keeps a lease alive during a long fetch. */
  renew(host: string, leaseId: string): Promise<void>;
  /** Frees the lease and feeds the host's fetch-time estimate. */
  release(host: string, leaseId: string, fetchMs: number): Promise<void>;
  /** Records the host's Crawl-delay (already in ms); politeness then uses max(minDelayMs, this). */
  setCrawlDelay(host: string, crawlDelayMs: number): Promise<void>;
  /** Leases currently held on a host (expired ones excluded). */
  inFlight(host: string): Promise<number>;
  readonly leaseTtlMs: number;
}

/**
 * KEYS: leases (ZSET leaseId → expiry ms), state (HASH lastStart, nextSlot, fetchMs), crawl delay (STRING).
 * ARGV: leaseId, perHostConcurrency, minDelayMs, leaseTtlMs, initialFetchMs.
 *
 * Time is Redis's own clock, so workers on machines with skewed clocks still agree. A lease is granted
 * when fewer than `perHostConcurrency` unexpired leases exist and `delay` has passed since the last
 * start. Otherwise the caller gets a reserved slot: slots are spaced by the host's expected pace,
 * max(delay, fetchMs / concurrency), so N jobs waiting on one host come back one after another instead
 * of all polling at once. A slot is only a hint; the grant check above is the rule.
 */
const acquireScript = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max, minDelay, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local delay = math.max(minDelay, tonumber(redis.call('GET', KEYS[3]) or '0'))
local state = redis.call('HMGET', KEYS[2], 'lastStart', 'nextSlot', 'fetchMs')
local last = tonumber(state[1] or '0')
local nextSlot = tonumber(state[2] or '0')
local fetchMs = tonumber(state[3] or ARGV[5])
local pace = math.max(delay, math.ceil(fetchMs / max), 1)
local inflight = redis.call('ZCARD', KEYS[1])
if inflight < max and now >= last + delay then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('HSET', KEYS[2], 'lastStart', now, 'nextSlot', math.max(nextSlot, now + pace))
  redis.call('PEXPIRE', KEYS[2], math.max(nextSlot - now, 0) + 3600000)
  return {1, 0}
end
local slot = math.max(now + 1, last + delay, nextSlot)
if inflight >= max then slot = math.max(slot, now + pace) end
redis.call('HSET', KEYS[2], 'nextSlot', slot + pace)
redis.call('PEXPIRE', KEYS[2], slot + pace - now + 3600000)
return {0, slot - now}
`);

/** KEYS: leases. ARGV: leaseId, leaseTtlMs. Extends the lease if it is still held. */
const renewScript = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`);

/** KEYS: leases, state. ARGV: leaseId, fetchMs. Frees the lease; moving average of the fetch time. */
const releaseScript = new LuaScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local old = tonumber(redis.call('HGET', KEYS[2], 'fetchMs') or ARGV[2])
  redis.call('HSET', KEYS[2], 'fetchMs', math.floor(old * 0.7 + tonumber(ARGV[2]) * 0.3))
end
return 1
`);

function hostKeys(prefix: string, host: string): [leases: string, state: string, crawlDelay: string] {
  const base = `${prefix}:politeness:${host}`;
  return [`${base}:leases`, `${base}:state`, `${base}:crawl-delay`];
}

/** Opens per-host politeness on a Redis connection (not closed here: it belongs to the caller). */
export function createPoliteness(options: PolitenessOptions): Politeness {
  const { redis, prefix, perHostConcurrency, minDelayMs } = options;
  const leaseTtlMs = options.leaseTtlMs ?? 60_000;
  const maxCrawlDelayMs = options.maxCrawlDelayMs ?? 30_000;
  const crawlDelayTtlMs = options.crawlDelayTtlMs ?? 86_400_000;
  const initialFetchMs = options.initialFetchMs ?? 500;
  return {
    leaseTtlMs,
    async acquire(host, leaseId) {
      const args = [leaseId, perHostConcurrency, minDelayMs, leaseTtlMs, initialFetchMs];
      const reply = (await acquireScript.run(redis, hostKeys(prefix, host), args)) as unknown[];
      return toNumber(reply[0]) === 1 ? { granted: true } : { granted: false, waitMs: toNumber(reply[1]) };
    },
    async renew(host, leaseId) {
      await renewScript.run(redis, hostKeys(prefix, host).slice(0, 1), [leaseId, leaseTtlMs]);
    },
    async release(host, leaseId, fetchMs) {
      const args = [leaseId, Math.max(0, Math.round(fetchMs))];
      await releaseScript.run(redis, hostKeys(prefix, host).slice(0, 2), args);
    },
    async setCrawlDelay(host, crawlDelayMs) {
      const ms = Math.min(Math.max(0, Math.round(crawlDelayMs)), maxCrawlDelayMs);
      await redis.set(hostKeys(prefix, host)[2], ms, 'PX', crawlDelayTtlMs);
    },
    async inFlight(host) {
      const [leases] = hostKeys(prefix, host);
      return redis.zcount(leases, `(${Date.now()}`, '+inf');
    },
  };
}
