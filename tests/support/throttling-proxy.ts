import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of the throttling proxy. */
export interface ThrottlingProxyOptions {
  /** Real engine behind the proxy. @default 'http://127.0.0.1:9200' */
  target?: string;
  /** How many `_bulk` requests answer 429 before they pass through. */
  throttleBulkRequests: number;
}

/**
 * A real local HTTP stand-in in front of the real engine that answers the first N `_bulk` requests with
 * 429 in the engine's own error format, the way a busy node does (a 429 cannot be provoked on demand on
 * a single idle node).
 */
export async function startThrottlingProxy(
  options: ThrottlingProxyOptions,
): Promise<{ url: string; throttled: () => number; close: () => Promise<void> }> {
  const target = new URL(options.target ?? 'http://127.0.0.1:9200');
  let throttled = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.includes('_bulk') && throttled < options.throttleBulkRequests) {
      throttled += 1;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            type: 'es_rejected_execution_exception',
            reason: 'rejected execution (queue capacity 200)',
          },
          status: 429,
        }),
      );
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    throttled: () => throttled,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
