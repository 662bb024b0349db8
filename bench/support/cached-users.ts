/**
 * The experiment behind `npm run bench:api -- --variant-cache-ms <ms>`: a second API child whose
 * `authenticate` finds the user and its scope ref in memory for a few milliseconds after the first
 * lookup, instead of two engine GETs per request. It measures what such a cache in `api/` would
 * save; the API itself does not use this class.
 */
import type { EnginePort } from '../../engine/port.js';
import type { JurisdictionTree } from '../../registry/jurisdictions/jurisdiction-tree.js';
import type { JurisdictionRef, User } from '../../registry/types.js';
import { UserRepository, type UserRepositoryOptions } from '../../registry/users/user.repository.js';

interface Cached<T> {
  expiresAt: number;
  value: T;
}

export class CachedUserRepository extends UserRepository {
  private readonly users = new Map<string, Cached<User | undefined>>();
  private readonly scopes = new Map<string, Cached<JurisdictionRef | null>>();

  constructor(
    engine: EnginePort,
    tree: JurisdictionTree,
    options: UserRepositoryOptions,
    private readonly ttlMs: number,
  ) {
    super(engine, tree, options);
  }

  override async get(id: string): Promise<User | undefined> {
    return this.cached(this.users, id, () => super.get(id));
  }

  override async scopeOf(user: Pick<User, 'scope_node_id'>): Promise<JurisdictionRef | null> {
    return this.cached(this.scopes, user.scope_node_id ?? '', () => super.scopeOf(user));
  }

  private async cached<T>(map: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = map.get(key);
    if (hit && hit.expiresAt > Date.now()) return hit.value;
    const value = await load();
    map.set(key, { expiresAt: Date.now() + this.ttlMs, value });
    return value;
  }
}
