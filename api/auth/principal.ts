/**
 * The one place where a request becomes a principal (user, role, jurisdiction scope) and where every
 * route asks for its powers: {@link authorize} checks the role (403) and hands back the engine filter
 * and the single-document check of the principal's scope (404 outside it, so existence never leaks).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { NonRetryableError } from '../../core/errors.js';
import type { Doc } from '../../engine/port.js';
import { refWithin, scopeFilter } from '../../registry/scope.js';
import type { JurisdictionRef, Role, User } from '../../registry/types.js';
import type { UserRepository } from '../../registry/users/user.repository.js';
import { allows, type ApiAction, type ApiResource } from './access-policy.js';
import type { PrincipalCache } from './principal-cache.js';
import { tokenLookupOf, type TokenLookup } from './request-gate.js';
import { requestToken } from './request-token.js';
import type { SessionStore, TokenRecord } from './session.store.js';

export { requestToken, SESSION_COOKIE } from './request-token.js';

/** The signed-in caller, resolved once per request. */
export interface Principal {
  user: User;
  role: Role;
  /** The ref of the user's scope node; null (sees nothing) for a user without one. */
  scope: JurisdictionRef | null;
  via: TokenRecord['kind'];
}

/** What a route may see of one resource, from {@link authorize}. */
export interface ScopedAccess {
  principal: Principal;
  /** Engine filter of the documents inside the principal's scope (`field` holds their ref). */
  filter(field?: string): Doc;
  /** Whether a document at `ref` lies inside the scope. */
  sees(ref: JurisdictionRef | null | undefined): boolean;
  /** Throws 404 `NOT_FOUND` unless `ref` lies inside the scope: outside is the same as absent. */
  assertVisible(ref: JurisdictionRef | null | undefined, kind: string, id: string): void;
}

const principals = new WeakMap<Request, Principal>();

export function unauthenticated(): NonRetryableError {
  return new NonRetryableError('Sign in first', { code: 'AUTH_REQUIRED', httpStatus: 401 });
}

export function notFoundError(kind: string, id: string): NonRetryableError {
  return new NonRetryableError(`No ${kind} "${id}"`, {
    code: 'NOT_FOUND',
    httpStatus: 404,
    details: { kind, id },
  });
}

/** The token's record and the users' epoch: from the request gate, else read here (no epoch: no cache). */
async function lookupToken(req: Request, sessions: SessionStore): Promise<Partial<TokenLookup>> {
  const gated = tokenLookupOf(req);
  if (gated) return gated;
  const token = requestToken(req);
  return { record: token ? await sessions.resolve(token) : undefined };
}

/**
 * Middleware: resolves the bearer token or session cookie to a principal. The session is read at every
 * request (sign-out and revocation take effect at once); the user and its scope come from `cache` while
 * the users' epoch read with the session is the one they were cached under, so a disabled account or a
 * changed role or scope takes effect at the next request (api/auth/principal-cache.ts). 401 without a
 * valid session.
 */
export function authenticate(
  sessions: SessionStore,
  users: UserRepository,
  cache?: PrincipalCache,
): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const { record, epoch } = await lookupToken(req, sessions);
    if (!record) throw unauthenticated();
    let found = epoch === undefined ? undefined : cache?.get(record.userId, epoch);
    if (!found) {
      found = await users.getWithScope(record.userId);
      if (found && epoch !== undefined) cache?.set(record.userId, epoch, found);
    }
    if (!found || found.disabled) throw unauthenticated();
    const { scope, ...user } = found;
    principals.set(req, { user, role: user.role, scope, via: record.kind });
    next();
  };
}

/** The principal `authenticate` resolved; 401 if the route forgot to mount it (fail closed). */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw unauthenticated();
  return principal;
}

/** Checks the role's power over `resource` (403 `FORBIDDEN`) and returns the scope helpers. */
export function authorize(req: Request, resource: ApiResource, action: ApiAction): ScopedAccess {
  const principal = principalOf(req);
  if (!allows(principal.role, resource, action)) {
    throw new NonRetryableError(`A ${principal.role} may not ${action} ${resource}`, {
      code: 'FORBIDDEN',
      httpStatus: 403,
      details: { role: principal.role, resource, action },
    });
  }
  const { scope } = principal;
  return {
    principal,
    filter: (field = 'jurisdiction') => scopeFilter(scope, { field }),
    sees: (ref) => refWithin(ref, scope),
    assertVisible(ref, kind, id) {
      if (!refWithin(ref, scope)) throw notFoundError(kind, id);
    },
  };
}
