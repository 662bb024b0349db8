import { LuaScript } from './lua-script.js';

/**
 * Redis keys of one crawl, beside BullMQ's own keys (`<prefix>:<name>:wait`, ...). Job ids are 32 hex
 * characters, so they never collide with these names. For Redis Cluster, give the prefix a hash tag
 * (`{argus}`) so that scripts see every key in one slot.
 */
export interface FrontierKeys {
  /** SET of urlIds ever accepted (dedupe). */
  seen: string;
  /** HASH site → pages accepted (site budget). */
  sites: string;
  /** HASH of counters: discovered, queued, done, failed, failed:<code>, retried, skipped:<reason>. */
  stats: string;
  /** HASH urlId → CrawlFailure JSON. */
  failures: string;
  /** ZSET urlId → next_fetch_at (epoch ms). */
  recrawl: string;
  /** HASH urlId → CrawlTask JSON of the scheduled recrawl. */
  recrawlTasks: string;
}

export function frontierKeys(prefix: string, name: string): FrontierKeys {
  const base = `${prefix}:${name}:frontier`;
  return {
    seen: `${base}:seen`,
    sites: `${base}:sites`,
    stats: `${base}:stats`,
    failures: `${base}:failures`,
    recrawl: `${base}:recrawl`,
    recrawlTasks: `${base}:recrawl-tasks`,
  };
}

/**
 * Accepts links into the crawl atomically, so that concurrent workers never queue a URL twice nor
 * overrun a site budget. KEYS: seen, sites, stats. ARGV: triples (urlId, site, budget).
 * Returns one code per link: 1 accepted, 2 duplicate, 3 over the site budget.
 */
export const acceptLinksScript = new LuaScript(`
local out = {}
local accepted, duplicates, overBudget = 0, 0, 0
for i = 1, #ARGV, 3 do
  local id, site, budget = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if redis.call('SISMEMBER', KEYS[1], id) == 1 then
    duplicates = duplicates + 1
    out[#out + 1] = 2
  elseif tonumber(redis.call('HGET', KEYS[2], site) or '0') >= budget then
    overBudget = overBudget + 1
    out[#out + 1] = 3
  else
    redis.call('SADD', KEYS[1], id)
    redis.call('HINCRBY', KEYS[2], site, 1)
    accepted = accepted + 1
    out[#out + 1] = 1
  end
end
if accepted > 0 then
  redis.call('HINCRBY', KEYS[3], 'discovered', accepted)
  redis.call('HINCRBY', KEYS[3], 'queued', accepted)
end
if duplicates > 0 then redis.call('HINCRBY', KEYS[3], 'skipped:duplicate', duplicates) end
if overBudget > 0 then redis.call('HINCRBY', KEYS[3], 'skipped:site_budget', overBudget) end
return out
`);

/**
 * Links robots.txt forbids, known before any fetch: deduped and budgeted like {@link acceptLinksScript},
 * then recorded as failed for good in the same step (so a crash never leaves one seen but neither
 * queued nor failed). KEYS: seen, sites, stats, failures. ARGV: error code, then quadruples
 * (urlId, site, budget, failure JSON). Returns one code per link: 1 refused, 2 duplicate, 3 over budget.
 */
export const refuseLinksScript = new LuaScript(`
local out = {}
local code = ARGV[1]
local refused, duplicates, overBudget = 0, 0, 0
for i = 2, #ARGV, 4 do
  local id, site, budget = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  if redis.call('SISMEMBER', KEYS[1], id) == 1 then
    duplicates = duplicates + 1
    out[#out + 1] = 2
  elseif tonumber(redis.call('HGET', KEYS[2], site) or '0') >= budget then
    overBudget = overBudget + 1
    out[#out + 1] = 3
  else
    redis.call('SADD', KEYS[1], id)
    redis.call('HINCRBY', KEYS[2], site, 1)
    redis.call('HSET', KEYS[4], id, ARGV[i + 3])
    refused = refused + 1
    out[#out + 1] = 1
  end
end
if refused > 0 then
  redis.call('HINCRBY', KEYS[3], 'discovered', refused)
  redis.call('HINCRBY', KEYS[3], 'failed', refused)
  redis.call('HINCRBY', KEYS[3], 'failed:' .. code, refused)
end
if duplicates > 0 then redis.call('HINCRBY', KEYS[3], 'skipped:duplicate', duplicates) end
if overBudget > 0 then redis.call('HINCRBY', KEYS[3], 'skipped:site_budget', overBudget) end
return out
`);

/** Undoes {@link acceptLinksScript} for links whose job could not be added. ARGV: pairs (urlId, site). */
export const unacceptLinksScript = new LuaScript(`
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('SREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('HINCRBY', KEYS[2], ARGV[i + 1], -1)
    n = n + 1
  end
end
if n > 0 then
  redis.call('HINCRBY', KEYS[3], 'discovered', -n)
  redis.call('HINCRBY', KEYS[3], 'queued', -n)
end
return n
`);

/**
 * Pops recrawls that are due, so that exactly one of several polling workers queues each.
 * KEYS: recrawl, recrawlTasks. ARGV: now (epoch ms), limit. Returns flat [urlId, dueAt, taskJson, ...].
 */
export const popDueRecrawlsScript = new LuaScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due, 2 do
  local id = due[i]
  local task = redis.call('HGET', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  if task then
    out[#out + 1] = id
    out[#out + 1] = due[i + 1]
    out[#out + 1] = task
  end
end
return out
`);
