import type http from 'node:http';
import zlib from 'node:zlib';
import { createFetcher, type Fetcher } from '../../indexer/fetch/fetcher.js';
import { createSsrfGuard } from '../../indexer/fetch/ssrf-guard.js';
import { startServer, type TestServer } from './support/http-server.js';
import { rejection } from './support/rejection.js';

const MB = 1024 * 1024;
const CAP = 256 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** What the server managed to send before the client hung up. */
interface Stream {
  written: number;
  finished: boolean;
  closed: Promise<void>;
}

/** Streams `total` bytes with backpressure; records how far it got before the client went away. */
function streamBody(res: http.ServerResponse, total: number, headers: http.OutgoingHttpHeaders): Stream {
  const state: Stream = { written: 0, finished: false, closed: Promise.resolve() };
  state.closed = new Promise((resolve) => res.once('close', () => resolve()));
  res.once('finish', () => (state.finished = true));
  res.writeHead(200, headers);
  const pump = (): void => {
    while (state.written < total && !res.destroyed) {
      state.written += CHUNK.length;
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
  return state;
}

describe('fetch limits', () => {
  let server: TestServer;
  let fetcher: Fetcher;
  let base: string;
  const streams: Record<string, Stream> = {};
  const bomb = zlib.gzipSync(Buffer.alloc(30 * MB, ' '));

  beforeAll(async () => {
    server = await startServer((req, res) => {
      switch (req.url) {
        case '/huge':
          streams.huge = streamBody(res, 30 * MB, { 'content-type': 'text/html' });
          return;
        case '/announced':
          streams.announced = streamBody(res, 50 * MB, {
            'content-type': 'text/html',
            'content-length': 50 * MB,
          });
          return;
        case '/bomb':
          res.writeHead(200, {
            'content-type': 'text/html',
            'content-encoding': 'gzip',
            'content-length': bomb.length,
          });
          res.end(bomb);
          return;
        case '/silent':
          return; // accepts the request and never answers
        case '/trickle': {
          res.writeHead(200, { 'content-type': 'text/html' });
          const timer = setInterval(() => res.write('<p>.</p>'), 20);
          res.once('close', () => clearInterval(timer));
          return;
        }
        default:
          res.writeHead(404).end();
      }
    });
    base = `http://shop.test:${server.port}`;
    const guard = createSsrfGuard({
      resolve: `shop.test:${server.port}:127.0.0.1`,
      allowPrivate: '127.0.0.1/32',
    });
    fetcher = createFetcher({ guard, maxBytes: CAP, totalTimeoutMs: 1500, responseTimeoutMs: 300 });
  });

  afterAll(async () => {
    fetcher.close();
    await server.close();
  });

  test('a streamed 30 MB body is cut off as soon as it passes the cap', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/huge`));
    expect(error).toMatchObject({ code: 'FETCH_TOO_LARGE', retryable: false, details: { maxBytes: CAP } });
    expect(error.details.receivedBytes).toBeLessThanOrEqual(CAP + CHUNK.length);
    await streams.huge?.closed;
    expect(streams.huge?.finished).toBe(false);
    expect(streams.huge?.written).toBeLessThan(30 * MB);
  });

  test('a Content-Length over the cap is refused before the body is read', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/announced`));
    expect(error).toMatchObject({ code: 'FETCH_TOO_LARGE', details: { announcedBytes: 50 * MB } });
    expect(error.details.receivedBytes).toBeUndefined();
    await streams.announced?.closed;
    expect(streams.announced?.finished).toBe(false);
  });

  test('a small Content-Length that lies about a gzip bomb still stops at the cap of decoded bytes', async () => {
    expect(bomb.length).toBeLessThan(CAP);
    const error = await rejection(fetcher.fetchPage(`${base}/bomb`));
    expect(error).toMatchObject({ code: 'FETCH_TOO_LARGE', details: { maxBytes: CAP } });
    expect(error.details.receivedBytes).toBeLessThanOrEqual(CAP + CHUNK.length);
  });

  test('with truncate, the first maxBytes are returned and marked truncated', async () => {
    const result = await fetcher.fetchPage(`${base}/huge`, { truncate: true, maxBytes: 100_000 });
    expect(result).toMatchObject({ truncated: true, bytes: 100_000 });
    expect(result.text).toBe('a'.repeat(100_000));
  });

  test('a server that never answers times out waiting for the response, retryably', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/silent`));
    expect(error).toMatchObject({ code: 'FETCH_TIMEOUT', retryable: true, details: { phase: 'response' } });
  });

  test('a caller cancelling mid-body gets FETCH_ABORTED, not a timeout', async () => {
    const trickles = (): number => server.seen.filter((r) => r.path === '/trickle').length;
    const before = trickles();
    const controller = new AbortController();
    const pending = fetcher.fetchPage(`${base}/trickle`, { signal: controller.signal });
    const waitForRequest = async (): Promise<void> => {
      while (trickles() === before) await new Promise((r) => setTimeout(r, 5));
    };
    await waitForRequest();
    controller.abort();
    const error = await rejection(pending);
    expect(error).toMatchObject({ code: 'FETCH_ABORTED', retryable: true });
  });

  test('a body that never ends hits the total deadline', async () => {
    const error = await rejection(fetcher.fetchPage(`${base}/trickle`));
    expect(error).toMatchObject({ code: 'FETCH_TIMEOUT', retryable: true, details: { phase: 'total' } });
  });
});
