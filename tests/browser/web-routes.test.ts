/**
 * Serving the built UI: index.html at `/` and for client routes, hashed assets cached for long, API
 * paths left to the API, and a clear 503 when the UI was never built. A real express app on port 0
 * over a temporary dist directory.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { webRoutes } from '../../api/routes/web.routes.js';

async function serve(distDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(webRoutes({ distDir }));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('web UI routes', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'argus-web-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves index.html at / and for client-side routes, never cached', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    const web = await serve(dir);
    try {
      for (const path of [
        '/',
        '/alerts',
        '/rules/builtin.ad-law.absolute-terms',
        '/rules/builtin.ad-law.terms',
      ]) {
        const res = await fetch(`${web.url}${path}`, { headers: { Accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/text\/html/);
        expect(res.headers.get('cache-control')).toBe('no-cache');
        expect(await res.text()).toContain('id="root"');
      }
    } finally {
      await web.close();
    }
  });

  test('hashed assets are served with a long cache; a missing asset is a 404, not index.html', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const web = await serve(dir);
    try {
      const asset = await fetch(`${web.url}/assets/index-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toContain('immutable');
      const missing = await fetch(`${web.url}/assets/nope.js`);
      expect(missing.status).toBe(404);
    } finally {
      await web.close();
    }
  });

  test('API, health and metrics paths fall through to the API (JSON 404), not to the UI', async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const web = await serve(dir);
    try {
      for (const path of ['/api/nothing', '/api', '/healthz/x', '/metrics', '/favicon.ico']) {
        const res = await fetch(`${web.url}${path}`, { headers: { Accept: 'text/html' } });
        expect(res.status).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      }
      const json = await fetch(`${web.url}/alerts`, { headers: { Accept: 'application/json' } });
      expect(json.status).toBe(404);
    } finally {
      await web.close();
    }
  });

  test('when the UI was never built, a page request says how to build it (503)', async () => {
    const web = await serve(join(dir, 'missing'));
    try {
      const res = await fetch(`${web.url}/`, { headers: { Accept: 'text/html' } });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build:web');
    } finally {
      await web.close();
    }
  });
});
