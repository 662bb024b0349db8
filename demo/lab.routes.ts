import type { IncomingMessage, ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import {
  encodeBody,
  PNG_1X1,
  redirect,
  send,
  sendText,
  acceptedCodings,
  type ContentCoding,
} from './http-send.js';
import { Rng } from './prng.js';
import { FLAKY_FAILURES, HUGE_PAGE_MB, LAB_SLOW_MS, MAX_SLOW_MS, PRIVATE_TARGETS } from './specials.js';

/** Server state the special endpoints need: flaky counters and delays to cancel on close. */
export interface SpecialState {
  flakyCounts: Map<string, number>;
  /** Cancels pending delays (resolving them as cut short). */
  cancels: Set<() => void>;
  closing: boolean;
}

const html = (title: string, body: string): string =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>\n`;
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const CACHED_ETAG = '"lab-cached-v1"';
const CACHED_LAST_MODIFIED = new Date(Date.UTC(2024, 0, 1));

/** Waits `ms` unless the server closes or the client goes away first; false when cut short. */
export function delay(state: SpecialState, res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (completed: boolean): void => {
      clearTimeout(timer);
      state.cancels.delete(cancel);
      res.off('close', cancel);
      resolve(completed && !res.destroyed && !state.closing);
    };
    const cancel = (): void => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    state.cancels.add(cancel);
    res.once('close', cancel);
  });
}

function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const value = Number.parseInt(query.get(name) ?? '', 10);
  return Number.isFinite(value) && value >= 0 ? Math.min(value, max) : fallback;
}

/** 503 (Retry-After: 1) the first `fail` times per key, then 200. */
export function flaky(
  req: IncomingMessage,
  res: ServerResponse,
  state: SpecialState,
  key: string,
  fail: number,
): void {
  const count = state.flakyCounts.get(key) ?? 0;
  state.flakyCounts.set(key, count + 1);
  if (count < fail) {
    send(req, res, html('Service unavailable', '<h1>503</h1>'), {
      status: 503,
      headers: { ...HTML, 'retry-after': '1' },
    });
    return;
  }
  send(req, res, html('Back again', `<h1>OK after ${fail} failures</h1>`), { headers: HTML });
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function streamHuge(
  req: IncomingMessage,
  res: ServerResponse,
  totalBytes: number,
  declared: boolean,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    ...(declared ? { 'content-length': totalBytes } : {}),
  });
  if (req.method === 'HEAD') return void res.end();
  const head = Buffer.from('<!DOCTYPE html>\n<html><head><title>Huge page</title></head><body>\n');
  const line = Buffer.from(
    '<p>Lorem ipsum filler line for the huge page endpoint of the Argus demo lab.</p>\n',
  );
  const chunk = Buffer.concat([head, ...Array.from({ length: Math.ceil(65_536 / line.length) }, () => line)]);
  let sent = 0;
  while (sent < totalBytes && !res.destroyed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
    sent += piece.length;
    if (!res.write(piece)) await drainOrClose(res);
  }
  res.end();
}

async function slowBody(res: ServerResponse, state: SpecialState, totalMs: number): Promise<void> {
  res.writeHead(200, HTML);
  res.write('<!DOCTYPE html>\n<html><head><title>Slow body</title></head><body>\n');
  for (let i = 1; i <= 6; i++) {
    if (!(await delay(state, res, totalMs / 6))) return void res.destroy();
    res.write(`<p>part ${i} of 6</p>\n`);
  }
  res.end('</body></html>\n');
}

function conditional(req: IncomingMessage, res: ServerResponse): void {
  const headers = {
    ...HTML,
    etag: CACHED_ETAG,
    'last-modified': CACHED_LAST_MODIFIED.toUTCString(),
    'cache-control': 'no-cache',
  };
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  const match = req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === CACHED_ETAG);
  if (
    match ||
    (!req.headers['if-none-match'] && Number.isFinite(since) && since >= CACHED_LAST_MODIFIED.getTime())
  ) {
    res.writeHead(304, { etag: CACHED_ETAG, 'last-modified': headers['last-modified'] });
    return void res.end();
  }
  send(req, res, html('Cached page', '<p>Unchanged since 2024-01-01.</p>'), { headers });
}

function compressed(req: IncomingMessage, res: ServerResponse, forced: ContentCoding | undefined): void {
  const body = html('Compressed page', '<p>Compressible text. </p>'.repeat(800));
  if (forced) return send(req, res, body, { headers: HTML, forceCoding: forced });
  const accepted = acceptedCodings(req);
  const coding = (['br', 'gzip', 'deflate'] as const).find((c) => accepted.has(c));
  if (!coding) return send(req, res, body, { headers: { ...HTML, vary: 'Accept-Encoding' } });
  const bytes = encodeBody(Buffer.from(body), coding);
  res.writeHead(200, {
    ...HTML,
    vary: 'Accept-Encoding',
    'content-encoding': coding,
    'content-length': bytes.length,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

const MALFORMED = `<!DOCTYPE html>
<html><head><title>Malformed page<title><meta charset=utf-8>
<body><div class=box id="main <p>Unclosed paragraph <b>bold <i>italic</b></i>
<a href="/lab-ok" class="x"y="z">link with broken attributes</a>
<table><tr><td>cell one<td>cell two</table></div></div></div>
<img src="/img/x.png" alt="unterminated>
<p>Text after a broken attribute <a href=/unquoted/path>unquoted link</a>
<script>document.write("<p>unterminated string)</script>
<!-- unterminated comment
`;

function invalidBytes(req: IncomingMessage, res: ServerResponse, charset: 'utf-8' | 'gbk'): void {
  const encode = (text: string): Buffer =>
    charset === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text);
  const head = encode(
    `<!DOCTYPE html>\n<html><head><meta charset="${charset}"><title>乱码测试</title></head><body><p>正常文字`,
  );
  const bad =
    charset === 'gbk'
      ? Buffer.from([0x81, 0x20, 0xff, 0x80, 0x7f])
      : Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe]);
  const tail = encode('之后的文字</p></body></html>\n');
  send(req, res, Buffer.concat([head, bad, tail]), {
    headers: { 'content-type': `text/html; charset=${charset}` },
  });
}

function binary(req: IncomingMessage, res: ServerResponse): void {
  const rng = new Rng(7);
  const bytes = Buffer.alloc(65_536);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
  send(req, res, bytes, { headers: { 'content-type': 'application/octet-stream' } });
}

type LabRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  state: SpecialState,
) => void | Promise<void>;

const page =
  (title: string, body: string): LabRoute =>
  (req, res) =>
    send(req, res, html(title, body), { headers: HTML });
const to =
  (status: number, location: string): LabRoute =>
  (req, res) =>
    redirect(req, res, status, location);
const huge =
  (declared: boolean): LabRoute =>
  (req, res, query) =>
    streamHuge(req, res, intParam(query, 'mb', HUGE_PAGE_MB, 200) * 1024 * 1024, declared);

const LAB_ROUTES: Record<string, LabRoute> = {
  '/slow': async (req, res, query, state) => {
    if (await delay(state, res, intParam(query, 'ms', LAB_SLOW_MS, MAX_SLOW_MS)))
      await page('Slow page', '<p>Finally.</p>')(req, res, query, state);
  },
  '/slow-body': (_req, res, query, state) =>
    slowBody(res, state, intParam(query, 'ms', LAB_SLOW_MS, MAX_SLOW_MS)),
  '/flaky': (req, res, query, state) =>
    flaky(
      req,
      res,
      state,
      `lab|${query.get('key') ?? 'default'}|${query.get('fail') ?? ''}`,
      intParam(query, 'fail', FLAKY_FAILURES, 100),
    ),
  '/redirect/chain': to(301, '/redirect/chain/2'),
  '/redirect/chain/2': to(302, '/redirect/chain/3'),
  '/redirect/chain/3': page('End of chain', '<p>Arrived after 301 and 302.</p>'),
  '/redirect/loop': to(302, '/redirect/loop/2'),
  '/redirect/loop/2': to(302, '/redirect/loop'),
  '/redirect/metadata': to(302, PRIVATE_TARGETS.metadata),
  '/redirect/private': to(302, PRIVATE_TARGETS.private),
  '/huge': huge(false),
  '/huge-declared': huge(true),
  '/binary.bin': binary,
  '/image.png': (req, res) => send(req, res, PNG_1X1, { headers: { 'content-type': 'image/png' } }),
  '/malformed': (req, res) => send(req, res, MALFORMED, { headers: HTML }),
  '/malformed/utf8': (req, res) => invalidBytes(req, res, 'utf-8'),
  '/malformed/gbk': (req, res) => invalidBytes(req, res, 'gbk'),
  '/wrong-type/html-as-text': (req, res) =>
    send(req, res, html('HTML served as text', '<p>I am HTML.</p>'), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    }),
  '/wrong-type/png-as-html': (req, res) => send(req, res, PNG_1X1, { headers: HTML }),
  '/cached': conditional,
  '/compressed': (req, res) => compressed(req, res, undefined),
  '/compressed/gzip': (req, res) => compressed(req, res, 'gzip'),
  '/compressed/br': (req, res) => compressed(req, res, 'br'),
  '/private/report': page('Private report', '<p>robots.txt asks crawlers to stay out of /private.</p>'),
};

/** Answers the lab's special endpoints; false when the path is not one (index page, robots.txt, 404s). */
export async function handleLab(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  state: SpecialState,
): Promise<boolean> {
  const status = /^\/status\/(\d{3})$/.exec(url.pathname);
  if (status) {
    const code = Number(status[1]);
    if (code < 200 || code > 599) sendText(req, res, 400, 'status must be 200-599\n');
    else send(req, res, html(`Status ${code}`, `<h1>${code}</h1>`), { status: code, headers: HTML });
    return true;
  }
  const route = LAB_ROUTES[url.pathname];
  if (!route) return false;
  await route(req, res, url.searchParams, state);
  return true;
}
