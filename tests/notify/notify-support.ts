import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertNotice } from '../../notify/types.js';

export function sampleNotice(overrides: Partial<AlertNotice> = {}): AlertNotice {
  return {
    alertIds: ['alert-1'],
    ruleId: 'rule-absolute-terms',
    ruleName: '绝对化用语 Absolute terms',
    severity: 'high',
    category: 'advertising',
    legalBasis: '《广告法》第九条第三项',
    title: '页面含有“最佳”',
    summary: '店铺首页宣称“全网最佳”。The shop home page claims to be the best.',
    url: 'http://shop-a.test/index.html',
    jurisdiction: { city: '330100', county: '330106' },
    hits: 1,
    digest: false,
    ...overrides,
  };
}

export interface LocalServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A real HTTP server on 127.0.0.1, port 0. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => handler(req, res, body),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
