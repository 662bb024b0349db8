import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import {
  decoderName,
  demoUrl,
  generateDemoWeb,
  startDemoServer,
  type DemoServer,
  type DemoWeb,
} from '../../demo/index.js';
import { Rng } from '../../demo/prng.js';
import { decoded, demoGet } from './demo-http.js';

let web: DemoWeb;
let server: DemoServer;

beforeAll(async () => {
  web = generateDemoWeb({ seed: 99, sites: 100, pages: 200 });
  server = await startDemoServer(web);
});
afterAll(async () => {
  await server.close();
});

describe('a demo web of 100 shops × 200 pages', () => {
  it('has 200 pages per shop and every host in the resolve map', () => {
    const shops = web.truth.sites.filter((s) => s.type === 'self_run' || s.type === 'platform_shop');
    expect(shops).toHaveLength(100);
    expect(web.truth.pages.length).toBeGreaterThan(100 * 200);
    const resolved = new Set(server.resolveEntries().map((e) => e.split(':')[0]));
    for (const site of web.truth.sites) expect(resolved.has(site.host)).toBe(true);
  });

  it('answers 200 with the right title for a seeded sample of 300 pages', async () => {
    const rng = new Rng(2024);
    const sites = new Map(web.truth.sites.map((s) => [s.id, s]));
    for (const page of rng.sample(web.truth.pages, 300)) {
      const res = await demoGet(server, demoUrl(page.host, page.path, server.port), {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      const site = sites.get(page.site);
      const text = iconv.decode(decoded(res), site ? decoderName(site) : 'utf-8');
      expect(text).toContain(`<title>${page.title.replace(/&/g, '&amp;')}</title>`);
    }
  });
});
