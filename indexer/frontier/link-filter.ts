import { errorCode } from '../../core/errors.js';
import { detach } from '../../core/strings.js';
import type { CrawlScope, CrawlTask, SkipReason } from './frontier.types.js';
import { normalizeUrl, urlIdentity, type NormalizeUrlOptions, type UrlIdentity } from './url-normalize.js';

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
  return taskOf(urlIdentity(url), depth, limits, reason, parentUrl);
}

function taskOf(
  identity: UrlIdentity,
  depth: number,
  limits: CrawlLimits,
  reason: CrawlTask['reason'],
  parentUrl?: string,
): CrawlTask {
  const task: CrawlTask = {
    ...identity,
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

type LinkIdentity = UrlIdentity | Extract<SkipReason, 'unsupported_scheme' | 'invalid_url'>;

/** Most absolute links remembered per normalisation options (~500 bytes each; a site's navigation repeats on every page). */
const MAX_REMEMBERED_LINKS = 10_000;
const remembered = new WeakMap<NormalizeUrlOptions, Map<string, LinkIdentity>>();

function identityOfLink(link: string, base: string, normalize: NormalizeUrlOptions): LinkIdentity {
  // A relative link depends on its page: only absolute ones are remembered.
  const absolute = /^https?:\/\//i.test(link);
  let memo = remembered.get(normalize);
  const known = absolute ? memo?.get(link) : undefined;
  if (known !== undefined) return known;
  let identity: LinkIdentity;
  try {
    identity = urlIdentity(normalizeUrl(link, base, normalize));
  } catch (error) {
    identity = errorCode(error) === 'URL_UNSUPPORTED_SCHEME' ? 'unsupported_scheme' : 'invalid_url';
  }
  if (absolute) {
    if (!memo) remembered.set(normalize, (memo = new Map<string, LinkIdentity>()));
    if (memo.size >= MAX_REMEMBERED_LINKS) memo.clear();
    memo.set(detach(link), identity);
  }
  return identity;
}

/** Normalises a link found on `parent` and checks scheme, depth and scope (not dedupe nor budget). */
export function judgeLink(link: string, parent: CrawlTask, normalize: NormalizeUrlOptions): LinkVerdict {
  const identity = identityOfLink(link, parent.url, normalize);
  if (typeof identity === 'string') return { ok: false, url: link, reason: identity };
  const limits = { maxDepth: parent.maxDepth, siteBudget: parent.siteBudget, scope: parent.scope };
  const task = taskOf(identity, parent.depth + 1, limits, 'link', parent.url);
  if (task.depth > parent.maxDepth) return { ok: false, url: task.url, reason: 'max_depth' };
  if (!inScope(task, parent)) return { ok: false, url: task.url, reason: 'out_of_scope' };
  return { ok: true, task };
}
