/**
 * The first thing an `/api` request meets: the rate limit shared by every API process (one budget per
 * bearer token or session cookie, else per client address; over budget is a 429 `RATE_LIMITED` with
 * `Retry-After`) and the lookup of the caller's token, in one Lua call to Redis: count the request,
 * then, when it is within budget, read the session (restarting its idle timer) or the machine token,
 * and the users' epoch of {@link PrincipalCache}. `authenticate` takes what it read from here.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { INITIAL_EPOCH, type PrincipalCache } from './principal-cache.js';
import { requestToken } from './request-token.js';
import { parseTokenRecord, type SessionStore, type TokenRecord } from './session.store.js';

/** Options of {@link requestGate}. */
export interface RequestGateOptions {
  redis: Redis;
  sessions: SessionStore;
  principals: PrincipalCache;
  /** Redis key prefix of the counters. */
  keyPrefix: string;
  /** Requests per caller per window; 0 turns limiting off. @default API_RATE_LIMIT_MAX (600) */
  max: number;
  /** @default API_RATE_LIMIT_WINDOW_SEC (60) */
  windowSec: number;
}

/** What the gate read for the request's token. */
export interface TokenLookup {
  record: TokenRecord | undefined;
  /** The users' epoch read with it. */
  epoch: string;
}

// KEYS: counter, [session, machine token, users' epoch]. ARGV: max (0: no limit), window ms, session idle
// seconds. Returns { hits, counter ms left [, record or false, epoch or false] }.
const GATE_LUA = `
local hits, left = 0, 0
local max = tonumber(ARGV[1])
if max > 0 then
  hits = redis.call('INCR', KEYS[1])
  left = redis.call('PTTL', KEYS[1])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    left = tonumber(ARGV[2])
  end
  if hits > max then return { hits, left } end
end
if #KEYS < 4 then return { hits, left } end
local record = redis.call('GETEX', KEYS[2], 'EX', ARGV[3])
if not record then record = redis.call('GET', KEYS[3]) end
return { hits, left, record, redis.call('GET', KEYS[4]) }
`;

type GateReply = [number, number, string | null | undefined, string | null | undefined];

interface GateRedis extends Redis {
  argusRequestGate(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<GateReply>;
}

const lookups = new WeakMap<Request, TokenLookup>();

/** The token lookup the gate made for `req`; undefined without a well-formed token (or without the gate). */
export function tokenLookupOf(req: Request): TokenLookup | undefined {
  return lookups.get(req);
}

function addressKey(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

export function requestGate(options: RequestGateOptions): RequestHandler {
  const redis = options.redis as GateRedis;
  if (typeof redis.argusRequestGate !== 'function') {
    redis.defineCommand('argusRequestGate', { lua: GATE_LUA });
  }
  const { max, windowSec, sessions, principals } = options;
  const windowMs = windowSec * 1_000;
  const counterPrefix = `${options.keyPrefix}:rl:`;
  const policy = `${max};w=${windowSec}`;
  return async (req, res, next) => {
    const token = requestToken(req);
    const keys = token ? sessions.keysOf(token) : undefined;
    if (max === 0 && !keys) return next();
    // A token's budget is keyed by a slice of its hash, never the token itself; a malformed one counts
    // against the address.
    const counter = counterPrefix + (keys ? `t:${keys.hash.slice(0, 32)}` : addressKey(req));
    const args = [max, windowMs, sessions.ttlSec];
    const reply = keys
      ? await redis.argusRequestGate(4, counter, keys.session, keys.api, principals.epochKey, ...args)
      : await redis.argusRequestGate(1, counter, ...args);
    const [hits, leftMs, record, epoch] = reply;
    if (max > 0) {
      const resetSec = Math.max(1, Math.ceil(leftMs / 1_000));
      res.setHeader('RateLimit-Policy', policy);
      res.setHeader('RateLimit', `limit=${max}, remaining=${Math.max(0, max - hits)}, reset=${resetSec}`);
      if (hits > max) {
        res.setHeader('Retry-After', String(resetSec));
        res.status(429).json({
          error: {
            code: 'RATE_LIMITED',
            message: `More than ${max} requests in ${windowSec} s; retry after ${resetSec} s`,
            details: { retryAfterSec: resetSec, limit: max, windowSec },
          },
        });
        return;
      }
    }
    if (keys) lookups.set(req, { record: parseTokenRecord(record), epoch: epoch ?? INITIAL_EPOCH });
    next();
  };
}
