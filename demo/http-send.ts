import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, crc32, deflateSync, gzipSync } from 'node:zlib';

export type ContentCoding = 'br' | 'gzip' | 'deflate';

/** Options of one response. */
export interface SendOptions {
  status?: number;
  headers?: OutgoingHttpHeaders;
  /** Compress with this coding when the client accepts it. */
  compress?: ContentCoding | null;
  /** Compress with this coding whatever the client says (the lab's forced endpoints). */
  forceCoding?: ContentCoding;
}

/** Codings the client accepts (q > 0), from Accept-Encoding. */
export function acceptedCodings(req: IncomingMessage): Set<string> {
  const header = req.headers['accept-encoding'];
  const accepted = new Set<string>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)/.exec(p)?.[1]).find(Boolean);
    if (name && (q === undefined || Number(q) > 0)) accepted.add(name);
  }
  return accepted;
}

export function encodeBody(body: Buffer, coding: ContentCoding): Buffer {
  if (coding === 'br') return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
  if (coding === 'gzip') return gzipSync(body, { level: 6 });
  return deflateSync(body);
}

/** Sends a whole body (no body for HEAD), compressing when asked and accepted. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | string,
  options: SendOptions = {},
): void {
  let bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const headers: OutgoingHttpHeaders = { ...options.headers };
  const accepted = acceptedCodings(req);
  const coding =
    options.forceCoding ?? (options.compress && accepted.has(options.compress) ? options.compress : null);
  if (options.compress) headers.vary = 'Accept-Encoding';
  if (coding) {
    bytes = encodeBody(bytes, coding);
    headers['content-encoding'] = coding;
  }
  headers['content-length'] = bytes.length;
  res.writeHead(options.status ?? 200, headers);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  send(req, res, text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function redirect(req: IncomingMessage, res: ServerResponse, status: number, location: string): void {
  send(req, res, `Redirecting to ${location}\n`, {
    status,
    headers: { location, 'content-type': 'text/plain; charset=utf-8' },
  });
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1×1 RGBA PNG (one grey pixel), built once. */
export const PNG_1X1: Buffer = (() => {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const pixels = deflateSync(Buffer.from([0, 0x99, 0x99, 0x99, 0xff]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
})();

export function sendPng(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, PNG_1X1, { headers: { 'content-type': 'image/png', 'cache-control': 'max-age=86400' } });
}
