/**
 * Page identities as the crawl would see them: every ground-truth page fetched from a running demo
 * server (real HTTP on a loopback port) and run through the extract stage, in the form the pipeline
 * writes into `pages` (identifiers normalised by extract).
 */
import { startDemoServer, withPort, type DemoWeb } from '../../demo/index.js';
import { createFetcher, createSsrfGuard } from '../../indexer/fetch/index.js';
import { extractPage } from '../../indexer/extract/index.js';
import type { PageIdentity } from '../../indexer/link/link.types.js';

/** Identity of every page (keyed `host + path`); pages that fail to fetch are left out and counted. */
export async function extractedIdentities(
  web: DemoWeb,
  concurrency = 8,
): Promise<{ identities: Map<string, PageIdentity>; failed: number }> {
  const server = await startDemoServer(web);
  const fetcher = createFetcher({
    guard: createSsrfGuard({ allowPrivate: ['127.0.0.1/32'], resolve: server.resolveEntries() }),
  });
  const identities = new Map<string, PageIdentity>();
  let failed = 0;
  const queue = [...web.truth.pages];
  const work = async (): Promise<void> => {
    for (let page = queue.shift(); page; page = queue.shift()) {
      const url = `http://${page.host}${page.path}`;
      try {
        const fetched = await fetcher.fetchPage(withPort(url, server.port));
        const ids = extractPage(fetched.text, url).identifiers;
        identities.set(`${page.host}${page.path}`, {
          url,
          host: page.host,
          identifiers: {
            uscc: ids.uscc,
            uscc_invalid: ids.usccInvalid,
            icp: ids.icp.map((i) => i.normalised),
            licence: ids.licences.map((l) => l.normalised),
          },
        });
      } catch {
        failed++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, work));
  } finally {
    fetcher.close();
    await server.close();
  }
  return { identities, failed };
}
