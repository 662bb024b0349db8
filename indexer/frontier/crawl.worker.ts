import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { config } from '../../core/config.js';
import { AppError, errorCode, isRetryable } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { Frontier } from './frontier.js';
import type { CrawlOutcome, CrawlTask, ProcessUrl } from './frontier.types.js';
import { FetchSlots } from './fetch-slots.js';
import { createPoliteness, type Politeness } from './politeness.js';

/** Options of {@link startCrawlWorker}. */
export interface CrawlWorkerOptions {
  frontier: Frontier;
  /** The per-URL work; see `ProcessUrl` for how its errors are treated. */
  processUrl: ProcessUrl;
  /** Fetches this process runs at once (over all hosts). @default config CRAWL_CONCURRENCY */
  concurrency?: number;
  /**
   * Jobs this process holds at once: those fetching (at most `concurrency`) plus those that called
   * `releaseHost` and are extracting or waiting for their index writes to be acknowledged.
   * @default 4 × concurrency
   */
  maxJobs?: number;
  /** Fetches in flight per host over every worker process. @default config CRAWL_PER_HOST_CONCURRENCY */
  perHostConcurrency?: number;
  /** Minimum gap between request starts to one host. @default config CRAWL_MIN_DELAY_MS */
  minDelayMs?: number;
  /** Cap of a host's Crawl-delay. @default 30000 */
  maxCrawlDelayMs?: number;
  /** Per-host lease lifetime without renewal (renewed every third of it while a fetch runs). @default 60000 */
  leaseTtlMs?: number;
  /** BullMQ job lock; a worker that stops renewing it (killed) loses its jobs after this. @default 30000 */
  lockDurationMs?: number;
  /** How often BullMQ looks for jobs of dead workers and puts them back in the queue. @default 30000 */
  stalledIntervalMs?: number;
  /** Times a job may be recovered from a dead worker before it fails (a page that kills workers). @default 2 */
  maxStalledCount?: number;
  /** How often due recrawls are queued; 0 turns it off. @default 5000 */
  recrawlPollMs?: number;
  /** Close gracefully on SIGTERM/SIGINT, then exit 0; a second signal kills at once. @default true */
  handleSignals?: boolean;
  /** Worker name shown on jobs. */
  name?: string;
}

/** A running crawl worker. */
export interface CrawlWorker {
  readonly worker: Worker<CrawlTask, void>;
  readonly politeness: Politeness;
  /** Resolves once the worker listens for jobs. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs, lets running ones finish, then closes (idempotent). With `force`, aborts the
   * running jobs' `signal` and does not wait; their jobs go back to the queue through the stalled check.
   */
  close(force?: boolean): Promise<void>;
}

/** Error codes of failures that are not AppErrors (a processor bug, a thrown string). */
const UNKNOWN_ERROR = 'CRAWL_PROCESSOR_ERROR';

function describeError(error: unknown): { code: string; message: string } {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return { code: code === 'INTERNAL' && !(error instanceof AppError) ? UNKNOWN_ERROR : code, message };
}

/**
 * One abort signal per job, all aborted by a forced close. Not one signal shared by every job: each job
 * waiting for a fetch slot and each fetch listen on their signal, so a shared one would carry a listener
 * per job in flight (`4 × CRAWL_CONCURRENCY`), far past Node's limit of 10 (MaxListenersExceededWarning).
 */
class JobSignals {
  private readonly live = new Set<AbortController>();
  private aborted = false;

  /** A signal for one job; call `done` when the job ends. */
  open(): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    if (this.aborted) controller.abort();
    else this.live.add(controller);
    return { signal: controller.signal, done: () => this.live.delete(controller) };
  }

  abortAll(): void {
    this.aborted = true;
    for (const controller of this.live) controller.abort();
    this.live.clear();
  }
}

interface RunContext {
  frontier: Frontier;
  processUrl: ProcessUrl;
  politeness: Politeness;
  fetchSlots: FetchSlots;
  log: Logger;
  signals: JobSignals;
}

async function recordOutcome(run: RunContext, task: CrawlTask, outcome: CrawlOutcome): Promise<void> {
  if (outcome.crawlDelayMs !== undefined) await run.politeness.setCrawlDelay(task.host, outcome.crawlDelayMs);
  const landingUrls = outcome.landingUrls ?? [];
  if ((outcome.links && outcome.links.length > 0) || landingUrls.length > 0) {
    const robotsAllows = outcome.robotsAllows;
    await run.frontier.enqueue(outcome.links ?? [], task, {
      ...(robotsAllows ? { robotsAllows } : {}),
      ...(landingUrls.length > 0 ? { landingUrls } : {}),
    });
  }
  await run.frontier.recordDone(task);
}

/**
 * Frees the host lease and the fetch slot once (idempotent): when `processUrl` calls `releaseHost`
 * after its fetch, or when the job ends.
 */
function hostReleaser(run: RunContext, task: CrawlTask, leaseId: string, releaseSlot: () => void) {
  const startedAt = Date.now();
  const renew = setInterval(() => {
    run.politeness
      .renew(task.host, leaseId)
      .catch((error: unknown) => run.log.warn({ err: error }, 'lease renew'));
  }, run.politeness.leaseTtlMs / 3);
  let released: Promise<void> | undefined;
  return (): Promise<void> => {
    released ??= (async () => {
      clearInterval(renew);
      releaseSlot();
      // A lease that cannot be released expires on its own; the job's own error matters more.
      await run.politeness
        .release(task.host, leaseId, Date.now() - startedAt)
        .catch((error: unknown) => run.log.warn({ error, host: task.host }, 'lease release failed'));
    })();
    return released;
  };
}

/** Runs the work of one task; it holds the host lease and fetch slot until it calls `releaseHost`. */
async function runWithLease(
  run: RunContext,
  job: Job<CrawlTask>,
  signal: AbortSignal,
  releaseHost: () => Promise<void>,
): Promise<void> {
  const task = job.data;
  try {
    const outcome = await run.processUrl(task, {
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? 1,
      signal,
      log: run.log.child({ url: task.url, jobId: job.id }),
      releaseHost,
    });
    await releaseHost();
    await recordOutcome(run, task, outcome).catch((cause: unknown) => {
      throw new AppError('Could not record the crawl outcome in Redis', {
        code: 'FRONTIER_UNAVAILABLE',
        retryable: true,
        cause,
      });
    });
  } finally {
    await releaseHost();
  }
}

/**
 * Failure policy: a retryable error (`retryable: true`) is rethrown and BullMQ retries it with
 * exponential backoff until `attempts` run out; anything else becomes `UnrecoverableError`, which
 * BullMQ fails at once. The frontier records failures for good with their error code.
 */
async function onFailure(run: RunContext, job: Job<CrawlTask>, error: unknown): Promise<never> {
  const { code, message } = describeError(error);
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.opts.attempts ?? 1;
  if (isRetryable(error) && attempt < maxAttempts) {
    await run.frontier.recordRetry(job.data);
    run.log.debug({ url: job.data.url, code, attempt }, 'retryable failure, will retry');
    throw error instanceof Error ? error : new Error(`${code}: ${message}`);
  }
  await run.frontier.recordFailure(job.data, {
    url: job.data.url,
    code,
    message,
    attempts: attempt,
    failedAt: Date.now(),
  });
  run.log.debug({ url: job.data.url, code, attempt }, 'failed for good');
  throw new UnrecoverableError(`${code}: ${message}`);
}

/**
 * The job processor. When the host is busy the job is moved back to the delayed set until its
 * reserved slot (`job.moveToDelayed` + `DelayedError`, BullMQ's documented way to defer a job from
 * inside its processor). This frees the worker slot at once, does not count as an attempt
 * (BullMQ skips the attempt for moveToDelayed), and survives crashes because the wait lives in
 * Redis, not in a timer of this process. The per-host lease itself has a TTL, so a killed worker
 * frees its hosts after `leaseTtlMs`, and BullMQ's stalled check re-queues its jobs.
 */
function processorOf(run: RunContext) {
  return async (job: Job<CrawlTask>, token?: string): Promise<void> => {
    if (!token) throw new UnrecoverableError('CRAWL_NO_TOKEN: the crawl processor needs a job token');
    const leaseId = `${job.id ?? job.data.urlId}:${token}`;
    const { signal, done } = run.signals.open();
    try {
      const releaseSlot = await run.fetchSlots.acquire(signal);
      let answer;
      try {
        answer = await run.politeness.acquire(job.data.host, leaseId);
      } catch (error) {
        releaseSlot();
        throw error;
      }
      if (!answer.granted) {
        releaseSlot();
        await job.moveToDelayed(Date.now() + answer.waitMs, token);
        throw new DelayedError();
      }
      try {
        await runWithLease(run, job, signal, hostReleaser(run, job.data, leaseId, releaseSlot));
      } catch (error) {
        await onFailure(run, job, error);
      }
    } finally {
      done();
    }
  };
}

function startRecrawlPoller(frontier: Frontier, pollMs: number, log: Logger): () => void {
  if (pollMs <= 0) return () => undefined;
  const timer = setInterval(() => {
    frontier
      .promoteDueRecrawls()
      .catch((error: unknown) => log.warn({ err: error }, 'recrawl promotion failed'));
  }, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}

function installSignalHandlers(close: () => Promise<void>, log: Logger): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'closing crawl worker gracefully');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'crawl worker did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}

/** Starts a BullMQ worker on the frontier's queue. Several processes may run it on one crawl. */
export function startCrawlWorker(options: CrawlWorkerOptions): CrawlWorker {
  const cfg = config();
  const { frontier } = options;
  const log = logger('crawl-worker').child({ queue: frontier.name });
  const concurrency = options.concurrency ?? cfg.CRAWL_CONCURRENCY;
  const politeness = createPoliteness({
    redis: frontier.redis,
    prefix: frontier.prefix,
    perHostConcurrency: options.perHostConcurrency ?? cfg.CRAWL_PER_HOST_CONCURRENCY,
    minDelayMs: options.minDelayMs ?? cfg.CRAWL_MIN_DELAY_MS,
    ...(options.leaseTtlMs !== undefined && { leaseTtlMs: options.leaseTtlMs }),
    ...(options.maxCrawlDelayMs !== undefined && { maxCrawlDelayMs: options.maxCrawlDelayMs }),
  });
  const run: RunContext = {
    frontier,
    processUrl: options.processUrl,
    politeness,
    fetchSlots: new FetchSlots(concurrency),
    log,
    signals: new JobSignals(),
  };
  const worker = new Worker<CrawlTask, void>(frontier.name, processorOf(run), {
    prefix: frontier.prefix,
    connection: { url: frontier.redisUrl },
    concurrency: Math.max(concurrency, options.maxJobs ?? 4 * concurrency),
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    ...(options.name !== undefined && { name: options.name }),
  });
  worker.on('error', (error) => log.error({ err: error }, 'crawl worker error'));
  const stopPoller = startRecrawlPoller(frontier, options.recrawlPollMs ?? 5000, log);
  let closing: Promise<void> | undefined;
  const close = (force = false): Promise<void> => {
    closing ??= (async () => {
      stopPoller();
      removeSignalHandlers();
      if (force) run.signals.abortAll();
      await worker.close(force);
    })();
    return closing;
  };
  const removeSignalHandlers =
    options.handleSignals === false ? () => undefined : installSignalHandlers(close, log);
  return { worker, politeness, ready: () => worker.waitUntilReady().then(() => undefined), close };
}
