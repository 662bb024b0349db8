import { errorCode } from '../../core/errors.js';
import type { CrawlScope, CrawlTask, SkipReason } from './frontier.types.js';
import {
  hostKey,
  normalizeUrl,
  siteKey,
  urlIdOfNormalized,
  type NormalizeUrlOptions,
} from './url-normalize.js';

/** Crawl settings a task passes on to the links found on it. */
export interface CrawlLimits {
  maxDepth: number;
  siteBudget: number;
  scope: CrawlScope;
}

/** A link turned into a task candidate, or the reason it cannot be one. */
export type LinkVerdict = { ok: true; task: CrawlTask } | { ok: false; url: string; reason: SkipReason };

/** Builds the task of a normalised URL. */
export function taskFor(
  url: string,
  depth: number,
  limits: CrawlLimits,
  reason: CrawlTask['reason'],
  parentUrl?: string,
): CrawlTask {
  const task: CrawlTask = {
    url,
    urlId: urlIdOfNormalized(url),
    host: hostKey(url),
    site: siteKey(url),
    depth,
    ...limits,
    reason,
    queuedAt: Date.now(),
  };
  if (parentUrl !== undefined) task.parentUrl = parentUrl;
  return task;
}

function inScope(task: CrawlTask, parent: CrawlTask): boolean {
  if (parent.scope === 'any') return true;
  if (parent.scope === 'host') return task.host === parent.host;
  return task.site === parent.site;
}

/** Normalises a link found on `parent` and checks scheme, depth and scope (not dedupe nor budget). */
export function judgeLink(link: string, parent: CrawlTask, normalize: NormalizeUrlOptions): LinkVerdict {
  let url: string;
  try {
    url = normalizeUrl(link, parent.url, normalize);
  } catch (error) {
    const reason = errorCode(error) === 'URL_UNSUPPORTED_SCHEME' ? 'unsupported_scheme' : 'invalid_url';
    return { ok: false, url: link, reason };
  }
  const limits = { maxDepth: parent.maxDepth, siteBudget: parent.siteBudget, scope: parent.scope };
  const task = taskFor(url, parent.depth + 1, limits, 'link', parent.url);
  if (task.depth > parent.maxDepth) return { ok: false, url, reason: 'max_depth' };
  if (!inScope(task, parent)) return { ok: false, url, reason: 'out_of_scope' };
  return { ok: true, task };
}
