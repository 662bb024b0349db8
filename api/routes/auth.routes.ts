/** Sign-in, sign-out, who am I, and machine tokens (admin only). */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { AuthenticationError, type UserRepository } from '../../registry/users/user.repository.js';
import { authorize, principalOf, requestToken, SESSION_COOKIE } from '../auth/principal.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { SessionStore } from '../auth/session.store.js';
import { parseRequest } from '../http/validate.js';
import { defineRoute } from '../openapi/route-docs.js';

/** What the auth routes need. */
export interface AuthRouteDeps {
  users: UserRepository;
  sessions: SessionStore;
  limiter: LoginLimiter;
  sessionTtlSec: number;
  /** Mark the cookie `Secure` (behind HTTPS). @default false */
  secureCookie?: boolean;
}

const loginBody = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();

const tokenIdParam = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) }).strict();

const tokenBody = z
  .object({ user_id: z.string().min(1).max(64), name: z.string().trim().min(1).max(100) })
  .strict();

function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function sessionCookie(value: string, maxAgeSec: number, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/api',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSec}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** Routes that work without a session: `POST /auth/login`. */
export function loginRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const log = logger('api.auth');
  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Sign in; sets the session cookie and returns a token',
      body: loginBody,
      auth: false,
    },
    async (req: Request, res: Response) => {
      const { username, password } = parseRequest(loginBody, req.body, 'body');
      const ip = clientIp(req);
      await deps.limiter.assertAllowed(username, ip);
      try {
        const user = await deps.users.authenticate(username, password);
        await deps.limiter.reset(username, ip);
        const token = await deps.sessions.createSession(user.id);
        res.setHeader('Set-Cookie', sessionCookie(token, deps.sessionTtlSec, deps.secureCookie ?? false));
        log.info({ user: user.id }, 'signed in');
        res.json({ token, expires_in: deps.sessionTtlSec, user: { ...user, scope: user.scope } });
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        await deps.limiter.recordFailure(username, ip);
        log.warn({ username: username.slice(0, 64) }, 'failed sign-in');
        throw error;
      }
    },
  );
  return router;
}

/** Routes behind `authenticate`: sign-out, `me`, machine tokens. */
export function sessionRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  defineRoute(
    router,
    '/api',
    { method: 'post', path: '/auth/logout', tag: 'auth', summary: 'End the session' },
    async (req: Request, res: Response) => {
      principalOf(req);
      const token = requestToken(req);
      if (token) await deps.sessions.destroySession(token);
      res.setHeader('Set-Cookie', sessionCookie('', 0, deps.secureCookie ?? false));
      res.status(204).end();
    },
  );
  defineRoute(
    router,
    '/api',
    { method: 'get', path: '/me', tag: 'auth', summary: 'The signed-in user, role and scope' },
    (req: Request, res: Response) => {
      const { user, role, scope, via } = principalOf(req);
      res.json({ user, role, scope, via });
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'post',
      path: '/tokens',
      tag: 'auth',
      summary: 'Create an API token (shown once)',
      body: tokenBody,
    },
    async (req: Request, res: Response) => {
      const access = authorize(req, 'tokens', 'write');
      const body = parseRequest(tokenBody, req.body, 'body');
      const user = await deps.users.get(body.user_id);
      if (!user || !access.sees(await deps.users.scopeOf(user))) {
        throw new NonRetryableError(`No user "${body.user_id}"`, { code: 'NOT_FOUND', httpStatus: 404 });
      }
      const { token, id } = await deps.sessions.createApiToken(user.id, body.name, access.principal.user.id);
      res.status(201).json({ id, token, user_id: user.id, name: body.name });
    },
  );
  defineRoute(
    router,
    '/api',
    {
      method: 'delete',
      path: '/tokens/:id',
      tag: 'auth',
      summary: 'Revoke an API token',
      params: tokenIdParam,
    },
    async (req: Request, res: Response) => {
      authorize(req, 'tokens', 'write');
      const { id } = parseRequest(tokenIdParam, req.params, 'params');
      if (!(await deps.sessions.revokeApiToken(id))) {
        throw new NonRetryableError(`No token "${id}"`, { code: 'NOT_FOUND', httpStatus: 404 });
      }
      res.status(204).end();
    },
  );
  return router;
}
