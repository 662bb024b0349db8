/**
 * Request rate limiting shared by every API process through Redis (express-rate-limit with the
 * rate-limit-redis store): one budget per bearer token or session cookie, else per client address.
 * Over budget is a 429 `RATE_LIMITED` with `Retry-After`.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { requestToken } from '../auth/principal.js';

/** Options of {@link rateLimiter}. */
export interface RateLimitOptions {
  redis: Redis;
  /** Redis key prefix of the counters. */
  keyPrefix: string;
  /** Requests per caller per window; 0 turns limiting off. @default API_RATE_LIMIT_MAX (600) */
  max: number;
  /** @default API_RATE_LIMIT_WINDOW_SEC (60) */
  windowSec: number;
}

/** The caller's budget key: a hash of its token (never the token itself), else its address. */
export function rateLimitKey(req: Request): string {
  const token = requestToken(req);
  if (token) return `t:${createHash('sha256').update(token).digest('base64url').slice(0, 32)}`;
  return `ip:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

export function rateLimiter(options: RateLimitOptions): RequestHandler {
  if (options.max === 0) return (_req, _res, next) => next();
  const store = new RedisStore({
    prefix: `${options.keyPrefix}:rl:`,
    sendCommand: (command: string, ...args: string[]) =>
      options.redis.call(command, ...args) as Promise<RedisReply>,
  });
  return rateLimit({
    windowMs: options.windowSec * 1_000,
    limit: options.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store,
    keyGenerator: rateLimitKey,
    handler: (req: Request, res: Response) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterSec = resetTime
        ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1_000))
        : options.windowSec;
      res.setHeader('Retry-After', String(retryAfterSec));
      res.status(429).json({
        error: {
          code: 'RATE_LIMITED',
          message: `More than ${options.max} requests in ${options.windowSec} s; retry after ${retryAfterSec} s`,
          details: { retryAfterSec, limit: options.max, windowSec: options.windowSec },
        },
      });
    },
  });
}
