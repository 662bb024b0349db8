/**
 * Users in the `users` index: roles scoped to one node of the tree, scrypt password hashes that never
 * leave this file, and `authenticate`. A user's id is its (lower-case) username, so two concurrent
 * sign-ups of one name cannot both succeed.
 */
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { scanAll } from '../../engine/deep-paging.js';
import type { Doc, EnginePort, RefreshPolicy } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionTree } from '../jurisdictions/jurisdiction-tree.js';
import {
  alreadyExists,
  invalid,
  isEngineConflict,
  notFound,
  type RegistryStoreOptions,
} from '../registry.errors.js';
import { refWithin, scopeFilter } from '../scope.js';
import type { JurisdictionRef, Role, User } from '../types.js';
import { parseOrThrow } from '../validation.js';
import {
  burnVerification,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyPassword,
  type PasswordHashOptions,
} from './password.js';
import { UserChanges } from './user-changes.js';

/** The fields a listing reads: never `password_hash`. */
const USER_FIELDS = ['id', 'username', 'display_name', 'role', 'scope_node_id', 'email', 'disabled'];

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'inspector', 'analyst', 'public'];

const password = z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH);

const newUserSchema = z
  .object({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_.-]{2,63}$/, '3-64 letters, digits, "_", "-" or "."'),
    display_name: z.string().trim().min(1).max(200),
    role: z.enum(ROLES as [Role, ...Role[]]),
    scope_node_id: z.string().min(1).nullable(),
    email: z.email().optional(),
    disabled: z.boolean().default(false),
    password,
  })
  .strict();

/** What `create` takes: a user plus the clear-text password (hashed here, never stored as is). */
export type NewUser = z.input<typeof newUserSchema>;

const userPatchSchema = newUserSchema.omit({ username: true, password: true }).partial().strict();
export type UserPatch = z.input<typeof userPatchSchema>;

/** A signed-in user: the user and the ref of its scope node (null for `public`). */
export interface AuthenticatedUser extends User {
  scope: JurisdictionRef | null;
}

/** Options of {@link UserRepository}. */
export interface UserRepositoryOptions extends RegistryStoreOptions {
  /** scrypt cost. @default { N: 16384, r: 8, p: 1 } */
  hash?: PasswordHashOptions;
}

interface UserDoc extends User {
  password_hash: string;
  jurisdiction?: JurisdictionRef;
  created_at: string;
  updated_at: string;
}

/** Every sign-in failure looks the same: unknown user, wrong password, disabled account. */
export class AuthenticationError extends NonRetryableError {
  constructor() {
    super('Unknown username or wrong password', { code: 'AUTH_INVALID_CREDENTIALS', httpStatus: 401 });
  }
}

function toUser(doc: UserDoc): User {
  const user: User = {
    id: doc.id,
    username: doc.username,
    display_name: doc.display_name,
    role: doc.role,
    scope_node_id: doc.scope_node_id ?? null,
    disabled: doc.disabled,
  };
  if (doc.email) user.email = doc.email;
  return user;
}

/**
 * Whether `user` may see a record at `ref`: a disabled or public user sees nothing scoped; anyone
 * else sees what lies inside its scope node (the city sees all).
 */
export function canSee(
  user: Pick<AuthenticatedUser, 'scope' | 'disabled' | 'role'>,
  ref: JurisdictionRef | null,
): boolean {
  if (user.disabled || user.role === 'public') return false;
  return refWithin(ref, user.scope);
}

export class UserRepository {
  readonly index: string;
  /** Told after `update` (role, scope or disabled may have changed). */
  readonly changes = new UserChanges();
  private readonly refresh: RefreshPolicy;

  constructor(
    private readonly engine: EnginePort,
    private readonly tree: JurisdictionTree,
    private readonly options: UserRepositoryOptions,
  ) {
    this.index = aliasName(options.prefix, 'users');
    this.refresh = options.refresh ?? 'wait_for';
  }

  /** Creates a user; the username must be new and the scope node must exist (none for `public`). */
  async create(input: NewUser): Promise<User> {
    const parsed = parseOrThrow(newUserSchema, input, 'user');
    const ref = await this.checkScope(parsed.role, parsed.scope_node_id);
    const now = new Date().toISOString();
    const { password: clear, ...rest } = parsed;
    const doc: UserDoc = {
      ...rest,
      id: parsed.username,
      password_hash: await hashPassword(clear, this.options.hash),
      created_at: now,
      updated_at: now,
      ...(ref ? { jurisdiction: ref } : {}),
    };
    try {
      await this.engine.index(this.index, doc.id, doc as unknown as Doc, {
        createOnly: true,
        refresh: this.refresh,
      });
    } catch (error) {
      if (isEngineConflict(error)) throw alreadyExists('user', 'username', parsed.username, error);
      throw error;
    }
    return toUser(doc);
  }

  async get(id: string): Promise<User | undefined> {
    const doc = await this.getDoc(id);
    return doc ? toUser(doc) : undefined;
  }

  /**
   * The user and its scope in one read: the user document carries its scope node's ref (kept in step
   * by create, update and the tree's move), so a request needs no second read of the tree.
   */
  async getWithScope(id: string): Promise<AuthenticatedUser | undefined> {
    const doc = await this.getDoc(id);
    if (!doc) return undefined;
    const user = toUser(doc);
    if (!user.scope_node_id) return { ...user, scope: null };
    return { ...user, scope: doc.jurisdiction ? { ...doc.jurisdiction } : await this.scopeOf(user) };
  }

  /** Changes role, scope, name, e-mail or the disabled flag. */
  async update(id: string, patch: UserPatch): Promise<User> {
    const parsed = parseOrThrow(userPatchSchema, patch, 'user');
    const current = await this.getDoc(id);
    if (!current) throw notFound('user', id);
    const next: UserDoc = { ...current, ...parsed, updated_at: new Date().toISOString() };
    const ref = await this.checkScope(next.role, next.scope_node_id);
    delete next.jurisdiction;
    if (ref) next.jurisdiction = ref;
    await this.engine.index(this.index, id, next as unknown as Doc, { refresh: this.refresh });
    await this.changes.notify();
    return toUser(next);
  }

  async setPassword(id: string, newPassword: string): Promise<void> {
    const clear = parseOrThrow(password, newPassword, 'password');
    if (!(await this.getDoc(id))) throw notFound('user', id);
    const hash = await hashPassword(clear, this.options.hash);
    await this.engine.update(
      this.index,
      id,
      { doc: { password_hash: hash, updated_at: new Date().toISOString() } },
      { refresh: this.refresh },
    );
  }

  /** Which of `ids` are users (the CSV import checks inspector ids in one go). */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const results = await this.engine.mget<UserDoc>(this.index, ids.slice(i, i + 1000));
      for (const result of results) if (result.found) found.add(result.id);
    }
    return found;
  }

  /** Users whose scope node lies inside `scope` (public users have none and are listed for the city). */
  async list(scope: JurisdictionRef): Promise<User[]> {
    const users: User[] = [];
    const query = { bool: { filter: scopeFilter(scope) } };
    for await (const hit of scanAll<UserDoc>(this.engine, {
      index: this.index,
      query,
      source: USER_FIELDS,
    })) {
      users.push(toUser(hit.source));
    }
    return users;
  }

  /** The user and its scope, or {@link AuthenticationError} (401) whatever the reason. */
  async authenticate(username: string, clear: string): Promise<AuthenticatedUser> {
    const id = typeof username === 'string' ? username.trim().toLowerCase() : '';
    const doc = id && /^[a-z0-9][a-z0-9_.-]{2,63}$/.test(id) ? await this.getDoc(id) : undefined;
    if (typeof clear !== 'string' || clear.length > MAX_PASSWORD_LENGTH) throw new AuthenticationError();
    if (!doc) {
      await burnVerification(clear);
      throw new AuthenticationError();
    }
    const ok = await verifyPassword(clear, doc.password_hash);
    if (!ok || doc.disabled) throw new AuthenticationError();
    const user = toUser(doc);
    return { ...user, scope: await this.scopeOf(user) };
  }

  /** The ref of the user's scope node (null for a user without one). */
  async scopeOf(user: Pick<User, 'scope_node_id'>): Promise<JurisdictionRef | null> {
    return user.scope_node_id ? this.tree.refOf(user.scope_node_id) : null;
  }

  private async checkScope(role: Role, nodeId: string | null): Promise<JurisdictionRef | null> {
    if (role === 'public') {
      if (nodeId)
        throw invalid('user', [{ field: 'scope_node_id', reason: 'a public user has no scope node' }]);
      return null;
    }
    if (!nodeId) throw invalid('user', [{ field: 'scope_node_id', reason: `a ${role} needs a scope node` }]);
    const node = await this.tree.get(nodeId);
    if (!node)
      throw invalid('user', [{ field: 'scope_node_id', reason: `no jurisdiction node "${nodeId}"` }]);
    return this.tree.refOf(nodeId);
  }

  private async getDoc(id: string): Promise<UserDoc | undefined> {
    const result = await this.engine.get<UserDoc>(this.index, id);
    return result.found ? result.source : undefined;
  }
}
