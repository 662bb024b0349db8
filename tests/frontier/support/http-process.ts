import { request } from 'node:http';
import { NonRetryableError, ThrottledError } from '../../../core/errors.js';
import type { CrawlOutcome, CrawlTask, ProcessUrl } from '../../../indexer/frontier/frontier.types.js';

/** Options of {@link httpProcess}. */
export interface HttpProcessOptions {
  /** Every virtual host resolves to 127.0.0.1 on this port (curl's --resolve). */
  port: number;
  /** Called after a page answered 200 (e.g. to record it in a Redis set). */
  onFetched?: (task: CrawlTask) => Promise<void> | void;
  /** Crawl-delay to report for every host, as robots.txt would. */
  crawlDelayMs?: number;
}

function get(url: URL, port: number, signal: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: `${url.pathname}${url.search}`, headers: { host: url.host }, signal },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The test stand-in for fetch → extract: a plain GET and links by regex. */
export function httpProcess(options: HttpProcessOptions): ProcessUrl {
  return async (task, ctx): Promise<CrawlOutcome> => {
    const { status, body } = await get(new URL(task.url), options.port, ctx.signal);
    if (status === 429 || status >= 500) {
      throw new ThrottledError(`HTTP ${status} from ${task.url}`, { code: `HTTP_${status}` });
    }
    if (status >= 400)
      throw new NonRetryableError(`HTTP ${status} from ${task.url}`, { code: `HTTP_${status}` });
    await options.onFetched?.(task);
    const links = [...body.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    return options.crawlDelayMs === undefined ? { links } : { links, crawlDelayMs: options.crawlDelayMs };
  };
}
