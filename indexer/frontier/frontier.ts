import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { ValidationError } from '../../core/errors.js';
import type { CrawlFailure, CrawlScope, CrawlTask, FrontierProgress, SkipReason } from './frontier.types.js';
import {
  acceptLinksScript,
  frontierKeys,
  popDueRecrawlsScript,
  refuseLinksScript,
  unacceptLinksScript,
  type FrontierKeys,
} from './frontier.scripts.js';
import { judgeLandingUrl } from './landing-filter.js';
import { judgeLink, taskFor, type CrawlLimits } from './link-filter.js';
import { toNumber } from './lua-script.js';
import { normalizeUrl, type NormalizeUrlOptions } from './url-normalize.js';

/** Most urlIds a frontier remembers as seen (~100 bytes each: 10 MB at most). */
const MAX_KNOWN_SEEN = 100_000;

/** BullMQ job name of every crawl job. */
export const CRAWL_JOB = 'crawl';

/** Options of {@link createFrontier}. */
export interface FrontierOptions {
  /** Queue name: one crawl. @default 'crawl' */
  name?: string;
  /** Redis key prefix shared with BullMQ; tests pass a random one. @default config QUEUE_PREFIX */
  prefix?: string;
  /** @default config REDIS_URL */
  redisUrl?: string;
  /** Default depth limit of seeds (seeds are depth 0). @default config CRAWL_MAX_DEPTH */
  maxDepth?: number;
  /** Default pages per site of seeds. @default config CRAWL_MAX_PAGES_PER_SITE */
  siteBudget?: number;
  /** Default link scope of seeds. @default 'site' */
  scope?: CrawlScope;
  /** Attempts per URL in total, for retryable errors. @default 4 */
  attempts?: number;
  /** First retry delay; then doubles (BullMQ exponential backoff). @default 1000 */
  backoffMs?: number;
  /** Finished jobs BullMQ keeps for inspection (dedupe does not rely on them). @default 1000 / 10000 */
  keepCompleted?: number;
  keepFailed?: number;
  /** Tracking parameters etc. of URL normalisation. */
  normalize?: NormalizeUrlOptions;
}

/** Per-call overrides of the crawl limits for seeds and recrawls. */
export type SeedOptions = Partial<CrawlLimits>;

/** Options of `Frontier.enqueue`. */
export interface EnqueueOptions {
  /** robots.txt verdict on a normalised link when already known: `false` disallowed, `undefined` unknown. */
  robotsAllows?: (url: string) => boolean | undefined;
  /** Landing URLs of the ads on `parent`, queued on any site with none of their links followed. */
  landingUrls?: readonly string[];
}

/** Failure code of a URL robots.txt forbids (the fetcher's code, so both paths count alike). */
export const ROBOTS_DISALLOWED = 'ROBOTS_DISALLOWED';

/** What became of the URLs handed to `addSeeds` / `enqueue`. */
export interface EnqueueResult {
  /** Normalised URLs queued. */
  queued: string[];
  skipped: { url: string; reason: SkipReason }[];
}

/** One crawl's frontier: a BullMQ queue plus dedupe, budgets, counters and recrawl schedule in Redis. */
export interface Frontier {
  readonly name: string;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly queue: Queue<CrawlTask>;
  /** Connection for frontier scripts; politeness shares it. */
  readonly redis: Redis;
  readonly keys: FrontierKeys;
  readonly attempts: number;
  /** Adds seeds at depth 0. Throws `ValidationError` (`URL_INVALID`) naming every bad seed, queuing none. */
  addSeeds(urls: readonly string[], options?: SeedOptions): Promise<EnqueueResult>;
  /**
   * Adds the links found on `parent`, skipping what is invalid, too deep, out of scope, seen or over
   * budget. Links `robotsAllows` refuses are accepted (deduped, budgeted) but recorded as failed
   * `ROBOTS_DISALLOWED` at once instead of queued, as their fetch would have been refused.
   */
  enqueue(links: readonly string[], parent: CrawlTask, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Sets `next_fetch_at` of a URL (one schedule per URL; a later call replaces it). */
  scheduleRecrawl(url: string, nextFetchAt: Date | number, options?: SeedOptions): Promise<void>;
  nextFetchAt(url: string): Promise<Date | undefined>;
  /** Queues the recrawls due at `now`; safe to call from many workers. Returns how many were queued. */
  promoteDueRecrawls(now?: number, limit?: number): Promise<number>;
  /** Stops every worker of this crawl from starting jobs (running ones finish). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  progress(): Promise<FrontierProgress>;
  /** Nothing waiting, active or delayed (scheduled recrawls do not count). */
  isIdle(): Promise<boolean>;
  failures(): Promise<CrawlFailure[]>;
  recordDone(task: CrawlTask): Promise<void>;
  recordRetry(task: CrawlTask): Promise<void>;
  recordFailure(task: CrawlTask, failure: CrawlFailure): Promise<void>;
  /** Removes waiting and delayed jobs (not the dedupe set). */
  drain(): Promise<void>;
  /** Removes the queue and every key of this crawl. */
  obliterate(): Promise<void>;
  close(): Promise<void>;
}

function jobOptions(task: CrawlTask): JobsOptions {
  const jobId = task.reason === 'recrawl' ? `${task.urlId}-r${task.queuedAt}` : task.urlId;
  return { jobId };
}

function badSeeds(urls: readonly string[], normalize: NormalizeUrlOptions): string[] {
  return urls.filter((url) => {
    try {
      normalizeUrl(url, undefined, normalize);
      return false;
    } catch {
      return true;
    }
  });
}

class RedisFrontier implements Frontier {
  readonly name: string;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly queue: Queue<CrawlTask>;
  readonly redis: Redis;
  readonly keys: FrontierKeys;
  readonly attempts: number;
  private readonly limits: CrawlLimits;
  private readonly normalize: NormalizeUrlOptions;
  /**
   * urlIds this process saw Redis hold in the seen set (accepted, refused or duplicate). The set only
   * grows, so a link found here again is a duplicate without asking Redis; bounded, cleared when full.
   */
  private readonly knownSeen = new Set<string>();

  constructor(options: FrontierOptions) {
    const cfg = config();
    this.name = options.name ?? 'crawl';
    this.prefix = options.prefix ?? cfg.QUEUE_PREFIX;
    this.redisUrl = options.redisUrl ?? cfg.REDIS_URL;
    this.attempts = options.attempts ?? 4;
    this.limits = {
      maxDepth: options.maxDepth ?? cfg.CRAWL_MAX_DEPTH,
      siteBudget: options.siteBudget ?? cfg.CRAWL_MAX_PAGES_PER_SITE,
      scope: options.scope ?? 'site',
    };
    this.normalize = options.normalize ?? {};
    this.keys = frontierKeys(this.prefix, this.name);
    this.redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 3 });
    this.queue = new Queue<CrawlTask>(this.name, {
      prefix: this.prefix,
      connection: { url: this.redisUrl },
      defaultJobOptions: {
        attempts: this.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
        removeOnComplete: { count: options.keepCompleted ?? 1000 },
        removeOnFail: { count: options.keepFailed ?? 10_000 },
      },
    });
  }

  async addSeeds(urls: readonly string[], options: SeedOptions = {}): Promise<EnqueueResult> {
    const bad = badSeeds(urls, this.normalize);
    if (bad.length > 0) {
      throw new ValidationError(`Bad seed URLs: ${bad.slice(0, 5).join(', ')}`, { bad }, 'URL_INVALID');
    }
    const limits = { ...this.limits, ...options };
    const tasks = urls.map((url) => taskFor(normalizeUrl(url, undefined, this.normalize), 0, limits, 'seed'));
    return this.accept(tasks, []);
  }

  async enqueue(
    links: readonly string[],
    parent: CrawlTask,
    options: EnqueueOptions = {},
  ): Promise<EnqueueResult> {
    const tasks: CrawlTask[] = [];
    const refused: CrawlTask[] = [];
    const skipped: EnqueueResult['skipped'] = [];
    for (const link of links) {
      const verdict = judgeLink(link, parent, this.normalize);
      if (!verdict.ok) skipped.push({ url: verdict.url, reason: verdict.reason });
      else if (this.knownSeen.has(verdict.task.urlId))
        skipped.push({ url: verdict.task.url, reason: 'duplicate' });
      else if (options.robotsAllows?.(verdict.task.url) === false) refused.push(verdict.task);
      else tasks.push(verdict.task);
    }
    // After the links, so a landing page the crawl reaches anyway keeps its depth. One it cannot take
    // is not counted as skipped: the same URL is usually a link of the page, counted there.
    for (const url of options.landingUrls ?? []) {
      const verdict = judgeLandingUrl(url, parent, this.normalize);
      if (!verdict.ok) continue;
      if (this.knownSeen.has(verdict.task.urlId))
        skipped.push({ url: verdict.task.url, reason: 'duplicate' });
      else if (options.robotsAllows?.(verdict.task.url) === false) refused.push(verdict.task);
      else tasks.push(verdict.task);
    }
    if (skipped.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const { reason } of skipped) pipeline.hincrby(this.keys.stats, `skipped:${reason}`, 1);
      await pipeline.exec();
    }
    if (refused.length > 0) await this.refuse(refused, skipped);
    return this.accept(tasks, skipped);
  }

  /** Links robots.txt forbids: deduped and budgeted like queued links, failed at once without a job. */
  private async refuse(tasks: CrawlTask[], skipped: EnqueueResult['skipped']): Promise<void> {
    const { seen, sites, stats, failures } = this.keys;
    const failedAt = Date.now();
    const args = [
      ROBOTS_DISALLOWED,
      ...tasks.flatMap((task) => {
        const failure: CrawlFailure = {
          url: task.url,
          code: ROBOTS_DISALLOWED,
          message: `${task.url} is disallowed by robots.txt (refused when found, not fetched)`,
          attempts: 0,
          failedAt,
        };
        return [task.urlId, task.site, task.siteBudget, JSON.stringify(failure)];
      }),
    ];
    const keys = [seen, sites, stats, failures];
    const codes = (await refuseLinksScript.run(this.redis, keys, args)) as number[];
    this.remember(tasks.filter((_task, i) => codes[i] === 1 || codes[i] === 2));
    tasks.forEach((task, i) => {
      if (codes[i] === 2) skipped.push({ url: task.url, reason: 'duplicate' });
      if (codes[i] === 3) skipped.push({ url: task.url, reason: 'site_budget' });
    });
  }

  /** Dedupe and budget in one script, then one bulk add; undone if the add fails, so nothing is lost. */
  private async accept(tasks: CrawlTask[], skipped: EnqueueResult['skipped']): Promise<EnqueueResult> {
    if (tasks.length === 0) return { queued: [], skipped };
    const { seen, sites, stats } = this.keys;
    const args = tasks.flatMap((t) => [t.urlId, t.site, t.siteBudget]);
    const codes = (await acceptLinksScript.run(this.redis, [seen, sites, stats], args)) as number[];
    const accepted = tasks.filter((_task, i) => codes[i] === 1);
    tasks.forEach((task, i) => {
      if (codes[i] === 2) skipped.push({ url: task.url, reason: 'duplicate' });
      if (codes[i] === 3) skipped.push({ url: task.url, reason: 'site_budget' });
    });
    try {
      await this.queue.addBulk(accepted.map((data) => ({ name: CRAWL_JOB, data, opts: jobOptions(data) })));
    } catch (error) {
      await unacceptLinksScript.run(
        this.redis,
        [seen, sites, stats],
        accepted.flatMap((t) => [t.urlId, t.site]),
      );
      throw error;
    }
    this.remember(tasks.filter((_task, i) => codes[i] === 1 || codes[i] === 2));
    return { queued: accepted.map((t) => t.url), skipped };
  }

  private remember(tasks: readonly CrawlTask[]): void {
    if (this.knownSeen.size + tasks.length > MAX_KNOWN_SEEN) this.knownSeen.clear();
    for (const task of tasks) this.knownSeen.add(task.urlId);
  }

  async scheduleRecrawl(url: string, nextFetchAt: Date | number, options: SeedOptions = {}): Promise<void> {
    const at = typeof nextFetchAt === 'number' ? nextFetchAt : nextFetchAt.getTime();
    if (!Number.isFinite(at)) throw new ValidationError('next_fetch_at is not a valid time', { nextFetchAt });
    const task = taskFor(
      normalizeUrl(url, undefined, this.normalize),
      0,
      { ...this.limits, ...options },
      'recrawl',
    );
    await this.redis
      .multi()
      .hset(this.keys.recrawlTasks, task.urlId, JSON.stringify(task))
      .zadd(this.keys.recrawl, at, task.urlId)
      .exec();
  }

  async nextFetchAt(url: string): Promise<Date | undefined> {
    const id = taskFor(normalizeUrl(url, undefined, this.normalize), 0, this.limits, 'recrawl').urlId;
    const score = await this.redis.zscore(this.keys.recrawl, id);
    return score === null ? undefined : new Date(Number(score));
  }

  async promoteDueRecrawls(now = Date.now(), limit = 500): Promise<number> {
    const { recrawl, recrawlTasks } = this.keys;
    const flat = (await popDueRecrawlsScript.run(
      this.redis,
      [recrawl, recrawlTasks],
      [now, limit],
    )) as string[];
    const tasks: CrawlTask[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const task = JSON.parse(flat[i + 2] ?? '{}') as CrawlTask;
      tasks.push({ ...task, queuedAt: Math.round(toNumber(flat[i + 1])) });
    }
    if (tasks.length === 0) return 0;
    try {
      await this.queue.addBulk(tasks.map((data) => ({ name: CRAWL_JOB, data, opts: jobOptions(data) })));
    } catch (error) {
      const multi = this.redis.multi();
      for (const t of tasks)
        multi.hset(recrawlTasks, t.urlId, JSON.stringify(t)).zadd(recrawl, t.queuedAt, t.urlId);
      await multi.exec();
      throw error;
    }
    await this.redis.hincrby(this.keys.stats, 'queued', tasks.length);
    return tasks.length;
  }

  pause(): Promise<void> {
    return this.queue.pause();
  }

  resume(): Promise<void> {
    return this.queue.resume();
  }

  async progress(): Promise<FrontierProgress> {
    const [stats, counts, scheduledRecrawls, paused] = await Promise.all([
      this.redis.hgetall(this.keys.stats),
      this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
      this.redis.zcard(this.keys.recrawl),
      this.queue.isPaused(),
    ]);
    const skipped: FrontierProgress['skipped'] = {};
    const failedByCode: Record<string, number> = {};
    for (const [field, value] of Object.entries(stats)) {
      if (field.startsWith('skipped:')) skipped[field.slice(8) as SkipReason] = toNumber(value);
      if (field.startsWith('failed:')) failedByCode[field.slice(7)] = toNumber(value);
    }
    return {
      discovered: toNumber(stats.discovered),
      queued: toNumber(stats.queued),
      done: toNumber(stats.done),
      failed: toNumber(stats.failed),
      failedByCode,
      retried: toNumber(stats.retried),
      skipped,
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      scheduledRecrawls,
      paused,
    };
  }

  async isIdle(): Promise<boolean> {
    const pending = await this.queue.getJobCountByTypes('waiting', 'prioritized', 'active', 'delayed');
    return pending === 0;
  }

  async failures(): Promise<CrawlFailure[]> {
    const all = await this.redis.hvals(this.keys.failures);
    return all.map((json) => JSON.parse(json) as CrawlFailure);
  }

  async recordDone(_task: CrawlTask): Promise<void> {
    await this.redis.hincrby(this.keys.stats, 'done', 1);
  }

  async recordRetry(_task: CrawlTask): Promise<void> {
    await this.redis.hincrby(this.keys.stats, 'retried', 1);
  }

  async recordFailure(task: CrawlTask, failure: CrawlFailure): Promise<void> {
    await this.redis
      .multi()
      .hincrby(this.keys.stats, 'failed', 1)
      .hincrby(this.keys.stats, `failed:${failure.code}`, 1)
      .hset(this.keys.failures, task.urlId, JSON.stringify(failure))
      .exec();
  }

  drain(): Promise<void> {
    return this.queue.drain(true);
  }

  async obliterate(): Promise<void> {
    this.knownSeen.clear();
    await this.queue.obliterate({ force: true });
    const { seen, sites, stats, failures, recrawl, recrawlTasks } = this.keys;
    await this.redis.del(seen, sites, stats, failures, recrawl, recrawlTasks);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit();
  }
}

/** Opens the frontier of one crawl (queue `name` under `prefix`). Call `close()` when done. */
export function createFrontier(options: FrontierOptions = {}): Frontier {
  return new RedisFrontier(options);
}
