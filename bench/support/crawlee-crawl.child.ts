/**
 * Child process of `npm run bench:crawl`: crawls the demo web with Crawlee's `CheerioCrawler` under the
 * settings Argus gets, runs Argus's `extractPage` on every page and follows the links it finds, but
 * indexes nothing. Usage: `node --import tsx crawlee-crawl.child.ts '<CrawlSettings json>'`.
 * Storage goes to `CRAWLEE_STORAGE_DIR` (the parent gives a temp dir and deletes it).
 */
import { CheerioCrawler, Configuration, log, LogLevel } from '@crawlee/cheerio';
import { extractPage } from '../../indexer/extract/index.js';
import { memoryUsageMb, peakRssMb, printResult, type CrawlSettings } from './crawl-bench.types.js';
import { installLoopbackDns } from './loopback-dns.js';

/** Argus's robots product token: both crawlers read the same robots.txt groups. */
const ROBOTS_USER_AGENT = 'ArgusBot';

function errorCodeOf(error: Error): string {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name;
}

async function main(settings: CrawlSettings): Promise<void> {
  installLoopbackDns(settings.resolve);
  log.setLevel(LogLevel.ERROR);
  const failedByCode: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  let pages = 0;
  const crawler = new CheerioCrawler(
    {
      // Fixed concurrency: autoscaling would read a CPU shared with the engine and other benches.
      minConcurrency: settings.concurrency,
      maxConcurrency: settings.concurrency,
      sameDomainDelaySecs: settings.minDelayMs / 1000,
      respectRobotsTxtFile: { userAgent: ROBOTS_USER_AGENT },
      maxCrawlDepth: settings.maxDepth,
      maxRequestRetries: settings.attempts - 1,
      navigationTimeoutSecs: settings.timeoutMs / 1000,
      statusMessageLoggingInterval: 3600,
      async requestHandler({ request, body, enqueueLinks }) {
        const page = extractPage(body.toString(), request.loadedUrl ?? request.url);
        pages += 1;
        // Argus's 'site' scope is the registered domain: Crawlee's 'same-domain'.
        await enqueueLinks({ urls: page.links.map((link) => link.url), strategy: 'same-domain' });
      },
      onSkippedRequest({ reason }) {
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      },
      failedRequestHandler(_context, error) {
        const code = errorCodeOf(error);
        failedByCode[code] = (failedByCode[code] ?? 0) + 1;
      },
    },
    new Configuration({ logLevel: LogLevel.ERROR }),
  );
  const startedAt = performance.now();
  const stats = await crawler.run(settings.seeds);
  const seconds = (performance.now() - startedAt) / 1000;
  printResult({
    pages,
    failed: stats.requestsFailed,
    failedByCode,
    skipped,
    seconds,
    peakRssMb: peakRssMb(),
    memoryAtEndMb: memoryUsageMb(),
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as CrawlSettings).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
