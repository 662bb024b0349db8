import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What the server answers for one request. */
export interface PageSpec {
  status?: number;
  body?: string;
  /** Wait this long before answering (a slow page). */
  delayMs?: number;
}

/** Decides the answer from the virtual host, the path and how many times this host+path was hit (1-based). */
export type Route = (host: string, path: string, hit: number) => PageSpec;

/** One request as seen by the server; times from `performance.now()`. */
export interface SeenRequest {
  host: string;
  path: string;
  startedAt: number;
  endedAt?: number;
}

/**
 * A real HTTP server on port 0 serving several virtual hosts (by Host header) and recording what a
 * crawler does to it: requests per host+path, start times, and the most requests in flight per host.
 */
export interface SiteServer {
  readonly port: number;
  /** `http://<host>:<port>` of a virtual host. */
  origin(host: string): string;
  readonly requests: SeenRequest[];
  hits(host: string, path: string): number;
  maxInFlight(host?: string): number;
  close(): Promise<void>;
}

export async function startSiteServer(route: Route): Promise<SiteServer> {
  const requests: SeenRequest[] = [];
  const hitCount = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const maxByHost = new Map<string, number>();
  let inFlightAll = 0;
  let maxAll = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = req.url ?? '/';
    const seen: SeenRequest = { host, path, startedAt: performance.now() };
    requests.push(seen);
    const key = `${host}${path}`;
    const hit = (hitCount.get(key) ?? 0) + 1;
    hitCount.set(key, hit);
    const now = (inFlight.get(host) ?? 0) + 1;
    inFlight.set(host, now);
    maxByHost.set(host, Math.max(maxByHost.get(host) ?? 0, now));
    maxAll = Math.max(maxAll, ++inFlightAll);
    const spec = route(host, path, hit);
    setTimeout(() => {
      inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
      inFlightAll -= 1;
      seen.endedAt = performance.now();
      res.writeHead(spec.status ?? 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(spec.body ?? '');
    }, spec.delayMs ?? 0);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: (host) => `http://${host}:${port}`,
    requests,
    hits: (host, path) => hitCount.get(`${host}${path}`) ?? 0,
    maxInFlight: (host) => (host === undefined ? maxAll : (maxByHost.get(host) ?? 0)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTML page linking to `hrefs`. */
export function page(...hrefs: string[]): PageSpec {
  return { body: `<html><body>${hrefs.map((h) => `<a href="${h}">${h}</a>`).join('\n')}</body></html>` };
}
