/**
 * Signed-in users and their scope kept in this process for a short time, so a request does not read
 * the user document from the engine each time. Each entry is stamped with the users' epoch, a Redis
 * counter that the request gate reads in the same round trip as the session; a change of a user or of
 * the jurisdiction tree through the registry bumps it (see {@link PrincipalCache.watch}), so every API
 * process on that Redis reads the user again at its next request. `ttlMs` bounds how long a change
 * made past the registry (a direct engine write) can go unseen. Sessions are not cached: sign-out and
 * token revocation take effect at the next request whatever this holds.
 */
import type { Redis } from 'ioredis';
import type { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { AuthenticatedUser, UserRepository } from '../../registry/users/user.repository.js';

/** Options of {@link PrincipalCache}. */
export interface PrincipalCacheOptions {
  /** Prefix of the API's Redis keys; the epoch is `<keyPrefix>:user-epoch`. */
  keyPrefix: string;
  /** How long an entry lives at most; 0 turns the cache off. @default API_PRINCIPAL_CACHE_MS (10000) */
  ttlMs: number;
  /** Entries kept at most (the oldest go first). @default 10000 */
  maxEntries?: number;
}

interface Entry {
  epoch: string;
  expiresAt: number;
  user: Readonly<AuthenticatedUser>;
}

/** The epoch when the counter was never bumped (or Redis lost it: any difference reloads). */
export const INITIAL_EPOCH = '0';

export class PrincipalCache {
  readonly epochKey: string;
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: PrincipalCacheOptions,
  ) {
    this.epochKey = `${options.keyPrefix}:user-epoch`;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The cached user when it was stored under `epoch` and has not expired. */
  get(userId: string, epoch: string): Readonly<AuthenticatedUser> | undefined {
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    if (entry.epoch === epoch && entry.expiresAt > Date.now()) return entry.user;
    this.entries.delete(userId);
    return undefined;
  }

  /** Keeps `user` as read under `epoch` (read before the user, so a change in between reloads it). */
  set(userId: string, epoch: string, user: AuthenticatedUser): void {
    if (this.options.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    const frozen = Object.freeze({ ...user, scope: user.scope ? Object.freeze({ ...user.scope }) : null });
    this.entries.set(userId, { epoch, expiresAt: Date.now() + this.options.ttlMs, user: frozen });
  }

  /** Drops every entry here and, through the epoch, in every process on the same Redis. */
  async invalidate(): Promise<void> {
    this.entries.clear();
    await this.redis.incr(this.epochKey);
  }

  /** Invalidates after every user update and tree move of these stores. */
  watch(users: UserRepository, tree: JurisdictionTree): void {
    const invalidate = () => this.invalidate();
    users.changes.subscribe(invalidate);
    tree.userChanges.subscribe(invalidate);
  }
}
