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
import type { SessionStore, TokenRecord } from './session.store.js';

export const SESSION_COOKIE = 'argus_session';

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

/** The token of a request: `Authorization: Bearer <token>`, else the session cookie. */
export function requestToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  const cookies = req.headers.cookie;
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Middleware: resolves the bearer token or session cookie to a principal, reloading the user (one read,
 * scope included) each time so a disabled account or a changed scope takes effect at once. 401 without
 * a valid session.
 */
export function authenticate(sessions: SessionStore, users: UserRepository): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const token = requestToken(req);
    const record = token ? await sessions.resolve(token) : undefined;
    const found = record ? await users.getWithScope(record.userId) : undefined;
    if (!record || !found || found.disabled) throw unauthenticated();
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
