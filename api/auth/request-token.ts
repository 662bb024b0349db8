/** Where a request carries its token: `Authorization: Bearer <token>`, else the session cookie. */
import type { Request } from 'express';

export const SESSION_COOKIE = 'argus_session';

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
