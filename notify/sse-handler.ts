/**
 * The express handler of the in-app stream (`GET /api/notifications/stream`, mounted by the API):
 * `text/event-stream` with `id:` / `event: alert` / `data: <AlertNotice JSON>` frames, a comment
 * heartbeat, and resume from the `Last-Event-ID` header (or `?lastEventId=`, for a first connect
 * that wants history).
 */
import type { Request, RequestHandler, Response } from 'express';
import { isAppError } from '../core/errors.js';
import type { HubEvent, SseHub, SubscriberFilter } from './sse-hub.js';

/** Who the stream is for; `undefined` from a resolver answers 401. */
export type SsePrincipal = SubscriberFilter & { userId: string };

export type PrincipalSource = SsePrincipal | ((req: Request) => SsePrincipal | undefined);

/** Client reconnect delay sent in the `retry:` field. */
export const SSE_RETRY_MS = 3_000;

function lastEventIdOf(req: Request): string | undefined {
  const header = req.get('last-event-id');
  const query = typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
  return header?.trim() || query?.trim() || undefined;
}

function frame(event: HubEvent): string {
  return `id: ${event.id}\nevent: alert\ndata: ${JSON.stringify(event.notice)}\n\n`;
}

function badRequest(res: Response, error: unknown): void {
  if (isAppError(error) && error.httpStatus < 500) {
    res
      .status(error.httpStatus)
      .json({ error: { code: error.code, message: error.message, details: error.details } });
    return;
  }
  throw error;
}

/** An SSE endpoint serving `hub` to `principal` (a fixed one, or resolved per request by the auth layer). */
export function sseHandler(hub: SseHub, principal: PrincipalSource): RequestHandler {
  return async (req, res) => {
    const who = typeof principal === 'function' ? principal(req) : principal;
    if (!who) {
      res
        .status(401)
        .json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to follow notifications' } });
      return;
    }
    const filter: SubscriberFilter = { scope: who.scope, minSeverity: who.minSeverity };
    const pending: string[] = [];
    let open = false;
    const write = (event: HubEvent): void => {
      if (open) res.write(frame(event));
      else pending.push(frame(event));
    };
    let closed = false;
    res.once('close', () => {
      closed = true;
    });
    let unsubscribe: () => void;
    try {
      unsubscribe = await hub.subscribe(filter, write, lastEventIdOf(req));
    } catch (error) {
      badRequest(res, error);
      return;
    }
    if (closed) {
      unsubscribe();
      return;
    }
    res.status(200);
    res.set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    for (const chunk of pending) res.write(chunk);
    open = true;
    const heartbeat = setInterval(() => res.write(`: heartbeat ${Date.now()}\n\n`), hub.heartbeatMs);
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };
}
