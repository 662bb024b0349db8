import { existsSync, readFileSync } from 'node:fs';
import type { Frontier } from '../frontier/frontier.js';

/** `argus crawl` arguments: URLs, or files with one URL per line (`#` comments allowed). */
export function readSeeds(args: readonly string[]): string[] {
  return args.flatMap((arg) =>
    /^https?:\/\//i.test(arg) || !existsSync(arg)
      ? [arg]
      : readFileSync(arg, 'utf8')
          .split('\n')
          .map((line) => line.replace(/#.*/, '').trim())
          .filter(Boolean),
  );
}

/** Queues seeds; a seed crawled before is scheduled for a recrawl now instead of being skipped. */
export async function queueSeeds(frontier: Frontier, seeds: readonly string[]): Promise<number> {
  const result = await frontier.addSeeds(seeds);
  const seen = result.skipped.filter((s) => s.reason === 'duplicate');
  await Promise.all(seen.map((s) => frontier.scheduleRecrawl(s.url, Date.now())));
  if (seen.length > 0) await frontier.promoteDueRecrawls();
  return result.queued.length + seen.length;
}
