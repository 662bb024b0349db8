/**
 * Sessions and machine tokens in Redis. A token is 32 random bytes (base64url) handed to the client
 * once; Redis keeps only its SHA-256, so a copy of Redis does not let anyone sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Key prefix, e.g. `argus:api` (tests use a random one). */
  keyPrefix: string;
  /** Idle lifetime of a session, renewed on use. @default 28800 (8 hours) */
  sessionTtlSec?: number;
}

/** What a session or a machine token stands for. */
export interface TokenRecord {
  kind: 'session' | 'api';
  userId: string;
  createdAt: string;
  /** Machine tokens: the name the admin gave it, and who made it. */
  name?: string;
  createdBy?: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens as sent by clients: base64url of 32 bytes. Anything else is rejected before Redis. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The Redis keys a token may live under (sessions expire, machine tokens do not). */
export interface TokenKeys {
  session: string;
  api: string;
  /** SHA-256 of the token, hex. */
  hash: string;
}

/** A stored record, as `createSession` / `createApiToken` wrote it. */
export function parseTokenRecord(raw: string | null | undefined): TokenRecord | undefined {
  return raw ? (JSON.parse(raw) as TokenRecord) : undefined;
}

export class SessionStore {
  /** Idle lifetime of a session, renewed on use. */
  readonly ttlSec: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: SessionStoreOptions,
  ) {
    this.ttlSec = options.sessionTtlSec ?? 8 * 3600;
  }

  /** A new session for `userId`; returns the clear token (the only time it exists outside the client). */
  async createSession(userId: string): Promise<string> {
    const token = newToken();
    const record: TokenRecord = { kind: 'session', userId, createdAt: new Date().toISOString() };
    await this.redis.set(this.key('session', token), JSON.stringify(record), 'EX', this.ttlSec);
    return token;
  }

  /** A machine token for `userId` without expiry; listed under the user, revocable. */
  async createApiToken(
    userId: string,
    name: string,
    createdBy: string,
  ): Promise<{ token: string; id: string }> {
    const token = newToken();
    const record: TokenRecord = { kind: 'api', userId, name, createdBy, createdAt: new Date().toISOString() };
    const id = hashToken(token).slice(0, 16);
    await this.redis
      .multi()
      .set(this.key('api', token), JSON.stringify(record))
      .hset(`${this.options.keyPrefix}:api-tokens`, id, hashToken(token))
      .exec();
    return { token, id };
  }

  /** Revokes a machine token by the id `createApiToken` returned; false when there is none. */
  async revokeApiToken(id: string): Promise<boolean> {
    const hash = await this.redis.hget(`${this.options.keyPrefix}:api-tokens`, id);
    if (!hash) return false;
    await this.redis
      .multi()
      .del(`${this.options.keyPrefix}:api:${hash}`)
      .hdel(`${this.options.keyPrefix}:api-tokens`, id)
      .exec();
    return true;
  }

  /** The record behind a token (a session's idle timer restarts), or undefined. */
  async resolve(token: string): Promise<TokenRecord | undefined> {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    // One round trip: GETEX reads a session and restarts its idle timer; a machine token never expires.
    const replies = await this.redis
      .pipeline()
      .getex(this.key('session', token), 'EX', this.ttlSec)
      .get(this.key('api', token))
      .exec();
    const [session, api] = (replies ?? []).map(([error, value]) => {
      if (error) throw error;
      return typeof value === 'string' ? value : null;
    });
    return parseTokenRecord(session ?? api);
  }

  /** Where a token's record lives, for readers that batch the lookup (api/auth/request-gate.ts). */
  keysOf(token: string): TokenKeys | undefined {
    if (!TOKEN_SHAPE.test(token)) return undefined;
    const hash = hashToken(token);
    const prefix = this.options.keyPrefix;
    return { session: `${prefix}:session:${hash}`, api: `${prefix}:api:${hash}`, hash };
  }

  /** Ends a session; true when it existed. */
  async destroySession(token: string): Promise<boolean> {
    if (!TOKEN_SHAPE.test(token)) return false;
    return (await this.redis.del(this.key('session', token))) > 0;
  }

  private key(kind: 'session' | 'api', token: string): string {
    return `${this.options.keyPrefix}:${kind}:${hashToken(token)}`;
  }
}
