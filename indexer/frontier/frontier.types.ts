import type { Logger } from 'pino';

/** Which links of a page the crawl follows. `site`: same registrable domain; `host`: same host; `any`. */
export type CrawlScope = 'site' | 'host' | 'any';

/** Why a link was not queued; counted per reason in {@link FrontierProgress.skipped}. */
export type SkipReason =
  'invalid_url' | 'unsupported_scheme' | 'duplicate' | 'max_depth' | 'site_budget' | 'out_of_scope';

/** One URL to fetch: the data of a BullMQ job. Plain JSON, it crosses the queue. */
export interface CrawlTask {
  /** Normalised URL (see `normalizeUrl`); fetch this. */
  url: string;
  /** `urlId(url)`: job id and page document id. */
  urlId: string;
  /** Politeness key (`hostKey`). */
  host: string;
  /** Budget and scope key (`siteKey`). */
  site: string;
  /** Seeds are 0, their links 1, ... */
  depth: number;
  /** Links deeper than this are skipped. */
  maxDepth: number;
  /** Pages queued per site at most. */
  siteBudget: number;
  scope: CrawlScope;
  /**
   * Why this fetch happens: a seed, a link found on `parentUrl`, a scheduled recrawl, or the landing
   * page of an ad shown on `parentUrl` (any site; queued at `maxDepth`, so none of its links follow).
   */
  reason: 'seed' | 'link' | 'recrawl' | 'landing';
  parentUrl?: string;
  /** Epoch ms when the task was queued. */
  queuedAt: number;
}

/** What the per-URL work reports back to the frontier. */
export interface CrawlOutcome {
  /** Links found on the page, absolute or relative to the task URL; the frontier filters and dedupes. */
  links?: readonly string[];
  /**
   * Landing URLs of the ads found on the page: an ad is judged with its landing page (落地页), so they
   * are queued on whatever site they are, as pages whose own links and ads are not followed.
   */
  landingUrls?: readonly string[];
  /** Crawl-delay the host asked for (robots.txt), in ms; politeness uses max(config delay, this). */
  crawlDelayMs?: number;
  /**
   * The robots.txt verdict the work already holds for links (e.g. the page's own origin): `false` means
   * disallowed, `undefined` unknown. Disallowed links are recorded as failed `ROBOTS_DISALLOWED` (deduped,
   * counted against the site budget, as a fetch refusal was) without queuing a job.
   */
  robotsAllows?: (url: string) => boolean | undefined;
}

/** Context handed to `processUrl` beside the task. */
export interface CrawlContext {
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** Attempts allowed in total. */
  maxAttempts: number;
  /** Aborted when the worker is force-closed; pass it on to the HTTP client. */
  signal: AbortSignal;
  log: Logger;
  /**
   * Call once the work against the task's host is done (fetched; extract and index remain): frees the
   * host's politeness lease and this process's fetch slot, so that a page waiting for its index writes
   * holds neither. The job still completes only when `processUrl` resolves. Idempotent; the worker calls
   * it itself when `processUrl` returns or throws.
   */
  releaseHost(): Promise<void>;
}

/**
 * The per-URL work (fetch → extract → index), injected by the pipeline. Throw an error with
 * `retryable: true` (e.g. `ThrottledError`) to retry with backoff; any other error fails the URL for good.
 */
export type ProcessUrl = (task: CrawlTask, ctx: CrawlContext) => Promise<CrawlOutcome>;

/** Counters of one crawl, kept in Redis so that every worker process adds to the same numbers. */
export interface FrontierProgress {
  /** Distinct normalised URLs accepted into the crawl (seeds included). */
  discovered: number;
  /** Jobs added to the queue (first fetches and recrawls). */
  queued: number;
  /** Successful fetches (at least once: a URL re-run after a crash counts again). */
  done: number;
  /** URLs that failed for good (non-retryable error or retries exhausted). */
  failed: number;
  /** Failures for good per error code. */
  failedByCode: Record<string, number>;
  /** Attempts that failed with a retryable error and were scheduled again. */
  retried: number;
  /** Link encounters not queued, per reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Live BullMQ state: jobs waiting (incl. prioritised, and while paused), active, delayed (backoff, politeness). */
  waiting: number;
  active: number;
  delayed: number;
  /** Recrawls scheduled and not yet due. */
  scheduledRecrawls: number;
  paused: boolean;
}

/** A URL that failed for good, as recorded by the worker. */
export interface CrawlFailure {
  url: string;
  code: string;
  message: string;
  attempts: number;
  failedAt: number;
}
