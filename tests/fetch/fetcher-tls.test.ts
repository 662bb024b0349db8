import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFetcher, type Fetcher } from '../../indexer/fetch/fetcher.js';
import { createSsrfGuard } from '../../indexer/fetch/ssrf-guard.js';
import { rejection } from './support/rejection.js';

/** A self-signed certificate for shop.test, made with the openssl CLI. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'argus-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-subj',
        '/CN=shop.test',
        '-addext',
        'subjectAltName=DNS:shop.test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('fetching over HTTPS', () => {
  let server: https.Server;
  let port: number;
  let connections = 0;
  const fetchers: Fetcher[] = [];

  beforeAll(async () => {
    server = https.createServer(selfSigned(), (_req, res) => res.writeHead(200).end('secret'));
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const fetcher of fetchers) fetcher.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('an untrusted certificate is a permanent connection failure', async () => {
    const guard = createSsrfGuard({ resolve: `shop.test:${port}:127.0.0.1`, allowPrivate: '127.0.0.1/32' });
    const fetcher = createFetcher({ guard });
    fetchers.push(fetcher);
    const error = await rejection(fetcher.fetchPage(`https://shop.test:${port}/`));
    expect(error).toMatchObject({ code: 'FETCH_CONNECTION', retryable: false });
    expect(String(error.details.cause)).toMatch(/SELF_SIGNED|CERT/);
  });

  test('the address guard applies to https URLs too, before any TCP connection', async () => {
    const before = connections;
    const fetcher = createFetcher({ guard: createSsrfGuard({ resolve: `shop.test:${port}:127.0.0.1` }) });
    fetchers.push(fetcher);
    const error = await rejection(fetcher.fetchPage(`https://shop.test:${port}/`));
    expect(error).toMatchObject({ code: 'FETCH_SSRF_BLOCKED', details: { reason: 'loopback' } });
    expect(connections).toBe(before);
  });
});
