import { request, type IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { DemoServer } from '../../demo/index.js';

/** A raw response: status, headers, body bytes as sent (still compressed if it was). */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Options of one test request. */
export interface GetOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Abort when no response has started within this many ms. */
  timeoutMs?: number;
}

/** DNS look-up answering from the server's curl-like resolve entries, as the crawler does. */
export function resolveLookup(server: DemoServer): LookupFunction {
  const map = new Map(
    server.resolveEntries().map((entry) => {
      const [host = '', , address = ''] = entry.split(':');
      return [host, address] as const;
    }),
  );
  return (hostname, options, callback) => {
    const address = map.get(hostname);
    if (!address) {
      callback(Object.assign(new Error(`not in resolve map: ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address, family: 4 },
      ]);
    } else callback(null, address, 4);
  };
}

/** GET (or HEAD) a demo URL such as `http://shop-03.test:<port>/product/12`, without following redirects. */
export function demoGet(server: DemoServer, url: string, options: GetOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        lookup: resolveLookup(server),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    if (options.timeoutMs !== undefined)
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Body bytes after undoing Content-Encoding. */
export function decoded(res: RawResponse): Buffer {
  switch (res.headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(res.body);
    case 'br':
      return brotliDecompressSync(res.body);
    case 'deflate':
      return inflateSync(res.body);
    default:
      return res.body;
  }
}
