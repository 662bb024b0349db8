/** Failed sign-ins counted per username and client address in Redis; too many → 429 until the window ends. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ThrottledError } from '../../core/errors.js';

/** Options of {@link LoginLimiter}. */
export interface LoginLimiterOptions {
  keyPrefix: string;
  /** Failed attempts allowed per username and address within the window. @default 5 */
  maxFailures?: number;
  /** @default 900 (15 minutes) */
  windowSec?: number;
}

export class LoginLimiter {
  private readonly maxFailures: number;
  private readonly windowSec: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: LoginLimiterOptions,
  ) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowSec = options.windowSec ?? 900;
  }

  /** Throws `AUTH_RATE_LIMITED` (429) when this username and address have failed too often. */
  async assertAllowed(username: string, ip: string): Promise<void> {
    const key = this.key(username, ip);
    const count = Number((await this.redis.get(key)) ?? 0);
    if (count < this.maxFailures) return;
    const ttl = await this.redis.ttl(key);
    throw new ThrottledError('Too many failed sign-ins; try again later', {
      code: 'AUTH_RATE_LIMITED',
      httpStatus: 429,
      details: { retryAfterSec: ttl > 0 ? ttl : this.windowSec },
    });
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    const key = this.key(username, ip);
    // The window starts at the first failure; later failures do not extend it (EXPIRE NX).
    await this.redis.multi().incr(key).expire(key, this.windowSec, 'NX').exec();
  }

  async reset(username: string, ip: string): Promise<void> {
    await this.redis.del(this.key(username, ip));
  }

  /** Hashed, so neither usernames nor addresses sit in Redis key names. */
  private key(username: string, ip: string): string {
    const digest = createHash('sha256').update(`${username.trim().toLowerCase()}\n${ip}`).digest('hex');
    return `${this.options.keyPrefix}:login-fail:${digest}`;
  }
}
