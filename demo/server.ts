import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdnet } from './adnet.routes.js';
import type { DemoWeb } from './generator.js';
import { sendText } from './http-send.js';
import { handleLab, type SpecialState } from './lab.routes.js';
import type { RenderContext } from './render/html.js';
import { handleSite } from './site.routes.js';
import { LAB_HOST } from './sites.js';
import { demoUrl } from './urls.js';
import { AD_NETWORK_HOST } from './vocab/ads.js';
import { indexWeb, type WebIndex } from './web-index.js';

/** Options of the demo server. */
export interface DemoServerOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to listen on (loopback: the demo web is never exposed). @default '127.0.0.1' */
  host?: string;
}

/** A running demo server. */
export interface DemoServer {
  port: number;
  /** Stops listening, cuts open connections and pending slow responses. */
  close(): Promise<void>;
  /** Home URLs of the crawlable sites (shops, platform, brand, lookalikes, service provider). */
  seeds(): string[];
  /** curl-like `host:port:address` entries mapping every demo host to this server. */
  resolveEntries(): string[];
  /** `http://<host>:<port><path>` on this server. */
  url(host: string, path: string): string;
}

async function route(
  index: WebIndex,
  state: SpecialState,
  port: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const hostHeader = (req.headers.host ?? '').toLowerCase();
  const host = hostHeader.replace(/:\d+$/, '');
  const url = new URL(req.url ?? '/', `http://${hostHeader || 'invalid.test'}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendText(req, res, 405, 'method not allowed\n');
  }
  const ctx: RenderContext = { index, port, origin: `http://${hostHeader}` };
  if (host === AD_NETWORK_HOST) return handleAdnet(req, res, ctx, url);
  if (host === LAB_HOST && (await handleLab(req, res, url, state))) return;
  if (await handleSite(req, res, ctx, url, host, state)) return;
  sendText(req, res, 421, `unknown host: ${host || '(none)'}\n`);
}

/** Serves the demo web on one port, routing by the Host header. */
export async function startDemoServer(web: DemoWeb, options: DemoServerOptions = {}): Promise<DemoServer> {
  const index = indexWeb(web.truth);
  const state: SpecialState = { flakyCounts: new Map(), cancels: new Set(), closing: false };
  const address = options.host ?? '127.0.0.1';
  let port = 0;
  const server = createServer((req, res) => {
    route(index, state, port, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(req, res, 500, `demo server error: ${(error as Error).message}\n`);
      else res.destroy(error as Error);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const hosts = [...new Set([...web.truth.sites.map((s) => s.host), AD_NETWORK_HOST])];
  return {
    port,
    close: () => {
      state.closing = true;
      for (const cancel of [...state.cancels]) cancel();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
    seeds: () => web.truth.sites.filter((s) => s.seed).map((s) => demoUrl(s.host, `${s.base_path}/`, port)),
    resolveEntries: () => hosts.map((h) => `${h}:${port}:${address}`),
    url: (host, path) => demoUrl(host, path, port),
  };
}
