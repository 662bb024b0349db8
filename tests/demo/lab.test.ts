import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import {
  FLAKY_FAILURES,
  HUGE_PAGE_MB,
  PRIVATE_TARGETS,
  demoUrl,
  generateDemoWeb,
  startDemoServer,
  withPort,
  type DemoServer,
} from '../../demo/index.js';
import { decoded, demoGet } from './demo-http.js';

const web = generateDemoWeb({ seed: 42 });
let server: DemoServer;
const lab = (path: string) => demoUrl('lab.test', path, server.port);
const get = (path: string, headers: Record<string, string> = {}) => demoGet(server, lab(path), { headers });

beforeAll(async () => {
  server = await startDemoServer(web);
});
afterAll(async () => {
  await server.close();
});

describe('lab.test special endpoints', () => {
  it('lists every endpoint on its index page, which is not a seed', async () => {
    const index = (await get('/')).body.toString();
    const endpoints = web.truth.special_endpoints.filter((e) => e.host === 'lab.test');
    expect(endpoints.length).toBeGreaterThan(15);
    for (const e of endpoints) expect(index).toContain(`href="${e.path}"`);
  });

  it('when the client gives up before the delay, the slow page has not answered; a short delay answers 200', async () => {
    await expect(demoGet(server, lab('/slow?ms=3000'), { timeoutMs: 200 })).rejects.toThrow('client timeout');
    expect((await get('/slow?ms=20')).status).toBe(200);
  });

  it('streams the slow body in parts after sending headers', async () => {
    const res = await get('/slow-body?ms=300');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('part 6 of 6');
  });

  it('fails with 503 and Retry-After the first times per key, then answers 200', async () => {
    for (let i = 0; i < FLAKY_FAILURES; i++) {
      const res = await get('/flaky?key=t1');
      expect([res.status, res.headers['retry-after']]).toEqual([503, '1']);
    }
    expect((await get('/flaky?key=t1')).status).toBe(200);
    expect((await get('/flaky?key=t2&fail=1')).status).toBe(503);
    expect((await get('/flaky?key=t3&fail=0')).status).toBe(200);
  });

  it('answers any status asked and 500 on /status/500', async () => {
    expect((await get('/status/500')).status).toBe(500);
    expect((await get('/status/418')).status).toBe(418);
    expect((await get('/status/100')).status).toBe(400);
  });

  it('redirects 301 then 302 to a 200, loops between two paths, and points at private addresses', async () => {
    const one = await get('/redirect/chain');
    const two = await get(one.headers.location ?? '');
    const end = await get(two.headers.location ?? '');
    expect([one.status, two.status, end.status]).toEqual([301, 302, 200]);
    const loopA = await get('/redirect/loop');
    const loopB = await get(loopA.headers.location ?? '');
    expect(loopB.headers.location).toBe('/redirect/loop');
    expect((await get('/redirect/metadata')).headers.location).toBe(PRIVATE_TARGETS.metadata);
    expect((await get('/redirect/private')).headers.location).toBe('http://10.0.0.1/');
  });

  it('streams a huge page without Content-Length, and declares the full size on the declared one', async () => {
    const res = await get('/huge?mb=2');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body.length).toBe(2 * 1024 * 1024);
    const head = await demoGet(server, lab('/huge-declared'), { method: 'HEAD' });
    expect(head.headers['content-length']).toBe(String(HUGE_PAGE_MB * 1024 * 1024));
    expect((await get('/huge-declared?mb=1')).body.length).toBe(1024 * 1024);
  });

  it('serves binary and PNG bodies with their content types', async () => {
    const bin = await get('/binary.bin');
    expect([bin.headers['content-type'], bin.body.length]).toEqual(['application/octet-stream', 65_536]);
    const png = await get('/image.png');
    expect(png.headers['content-type']).toBe('image/png');
    expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('serves malformed HTML and bytes invalid in the declared charset', async () => {
    expect((await get('/malformed')).body.toString()).toContain('<!-- unterminated comment');
    const utf8 = await get('/malformed/utf8');
    expect(utf8.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(utf8.body)).toThrow();
    const gbk = await get('/malformed/gbk');
    const text = iconv.decode(gbk.body, 'gbk');
    expect(text).toContain('正常文字');
    expect(text).toContain('之后的文字');
    expect(text).toContain('\uFFFD');
  });

  it('serves HTML as text/plain and PNG bytes as text/html', async () => {
    const asText = await get('/wrong-type/html-as-text');
    expect(asText.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(asText.body.toString()).toMatch(/^<!DOCTYPE html>/);
    const asHtml = await get('/wrong-type/png-as-html');
    expect(asHtml.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(asHtml.body.subarray(1, 4).toString()).toBe('PNG');
  });

  it('answers 304 to If-None-Match and If-Modified-Since, 200 when the copy is stale', async () => {
    const first = await get('/cached');
    expect(first.status).toBe(200);
    expect((await get('/cached', { 'if-none-match': first.headers.etag ?? '' })).status).toBe(304);
    expect((await get('/cached', { 'if-modified-since': first.headers['last-modified'] ?? '' })).status).toBe(
      304,
    );
    expect((await get('/cached', { 'if-modified-since': 'Sun, 01 Jan 2023 00:00:00 GMT' })).status).toBe(200);
  });

  it('compresses with br or gzip as accepted, and forces gzip or br on the forced endpoints', async () => {
    const br = await get('/compressed', { 'accept-encoding': 'gzip, br' });
    const gzip = await get('/compressed', { 'accept-encoding': 'gzip' });
    const plain = await get('/compressed', { 'accept-encoding': 'identity' });
    expect([
      br.headers['content-encoding'],
      gzip.headers['content-encoding'],
      plain.headers['content-encoding'],
    ]).toEqual(['br', 'gzip', undefined]);
    expect(decoded(br).equals(plain.body)).toBe(true);
    expect(decoded(gzip).equals(plain.body)).toBe(true);
    expect(
      (await get('/compressed/gzip', { 'accept-encoding': 'identity' })).headers['content-encoding'],
    ).toBe('gzip');
    expect(decoded(await get('/compressed/br')).equals(plain.body)).toBe(true);
  });

  it('disallows /private in robots.txt while the page itself exists', async () => {
    expect((await get('/robots.txt')).body.toString()).toContain('Disallow: /private\n');
    expect((await get('/private/report')).status).toBe(200);
  });
});

describe('special endpoints inside shops and the ad network', () => {
  const endpoint = (behaviour: string) => {
    const found = web.truth.special_endpoints.find((e) => e.site !== 'lab' && e.behaviour === behaviour);
    if (!found) throw new Error(`no shop endpoint ${behaviour}`);
    return found;
  };

  it('links them from the shop home page and behaves as the ground truth says', async () => {
    const flaky = endpoint('flaky');
    const home = (await demoGet(server, demoUrl(flaky.host, '/', server.port))).body;
    expect(decoded({ status: 200, headers: {}, body: home }).toString('latin1')).toContain(flaky.path);
    const statuses: number[] = [];
    for (let i = 0; i <= FLAKY_FAILURES; i++)
      statuses.push((await demoGet(server, demoUrl(flaky.host, flaky.path, server.port))).status);
    expect(statuses).toEqual([...Array<number>(FLAKY_FAILURES).fill(503), 200]);
    const chain = endpoint('redirect_chain');
    const first = await demoGet(server, demoUrl(chain.host, chain.path, server.port));
    const second = await demoGet(server, demoUrl(chain.host, first.headers.location ?? '', server.port));
    expect([first.status, second.status, second.headers.location]).toEqual([301, 302, '/']);
    const dead = endpoint('dead_link');
    expect((await demoGet(server, demoUrl(dead.host, dead.path, server.port))).status).toBe(404);
    const slow = endpoint('slow');
    expect((await demoGet(server, demoUrl(slow.host, slow.path, server.port))).status).toBe(200);
  });

  it('serves iframe creatives whose click-through redirects to the advertiser landing page', async () => {
    const ad = web.truth.ads.find((a) => a.slot_kind === 'iframe' && a.shown_on > 0);
    if (!ad) throw new Error('no iframe creative shown');
    const creative = await demoGet(server, demoUrl('ads.adnet.test', `/creative/${ad.id}`, server.port));
    const html = decoded(creative).toString();
    expect(html).toContain(ad.text);
    const click = /href="([^"]*\/click\?[^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const redirect = await demoGet(server, click);
    expect([redirect.status, redirect.headers.location]).toEqual([
      302,
      withPort(ad.landing_url, server.port),
    ]);
    const landing = await demoGet(server, redirect.headers.location ?? '');
    expect(landing.status).toBe(200);
    expect((await demoGet(server, demoUrl('ads.adnet.test', '/creative/ad-9999', server.port))).status).toBe(
      404,
    );
  });

  it('cuts a pending slow response when the server closes', async () => {
    const own = await startDemoServer(web);
    const pending = demoGet(own, demoUrl('lab.test', '/slow?ms=10000', own.port));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
