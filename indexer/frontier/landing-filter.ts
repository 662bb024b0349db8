import type { CrawlTask } from './frontier.types.js';
import { judgeLink, taskFor, type LinkVerdict } from './link-filter.js';
import type { NormalizeUrlOptions } from './url-normalize.js';

/**
 * An ad's landing URL found on `parent`. An ad is judged with its landing page (落地页), which sits on
 * the advertiser's site: out of scope or too deep is fine, and the task is queued at `maxDepth`, so
 * none of its links are followed. The ads of a landing page lead nowhere further (no chain of landing
 * pages across the web). A landing URL the crawl reaches as an ordinary link keeps that verdict.
 */
export function judgeLandingUrl(
  link: string,
  parent: CrawlTask,
  normalize: NormalizeUrlOptions,
): LinkVerdict {
  const verdict = judgeLink(link, parent, normalize);
  if (verdict.ok || parent.reason === 'landing') return verdict;
  if (verdict.reason !== 'out_of_scope' && verdict.reason !== 'max_depth') return verdict;
  const limits = { maxDepth: parent.maxDepth, siteBudget: parent.siteBudget, scope: parent.scope };
  return { ok: true, task: taskFor(verdict.url, parent.maxDepth, limits, 'landing', parent.url) };
}
