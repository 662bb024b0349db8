/**
 * The live notification path, the alert service's `notify`: once an alert is stored, it is published
 * in-app (SSE, filtered by each subscriber's scope) and queued in the Redis outbox once per route that
 * takes it (see `router.ts`). Immediate groups are flushed at once; digest groups when their window
 * ends, by a flusher on an interval. Every delivery is written on the alert (`notifications`): `queued`
 * when it waits for a digest, then `sent`, `failed` (retried later) or `dead_lettered`.
 *
 * Choices: email routes default to a 15-minute digest, webhook/DingTalk/WeCom/in-app routes to
 * immediate delivery; a route's `bypass_digest_severity` (default `critical`) sends more severe alerts
 * at once even on a digest route. A failed flush keeps its items and retries with back-off
 * (`maxTries`), then goes to the dead-letter list, so a channel that is down loses no alert. A
 * permanent refusal (webhook 4xx other than 408/429, SMTP 5xx, a robot's final errcode: the channel
 * answers `retryable: false`) goes to the dead-letter list at once, since a retry cannot help.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { config } from '../../../core/config.js';
import { logger } from '../../../core/logger.js';
import type { EnginePort, RefreshPolicy } from '../../../engine/port.js';
import { aliasName } from '../../../mappings/index.js';
import { buildDigest, digestWindow } from '../../../notify/digest.js';
import { recipientOf, type Dispatcher } from '../../../notify/dispatcher.js';
import type { NotifyDeadLetterStore } from '../../../notify/dead-letters.js';
import type { AlertNotice, NotifyFn } from '../alert.types.js';
import { toNotifyNotice } from '../notice-bridge.js';
import { appendDeliveries, deliveryRecordOf, type AlertDeliveryRecord } from './delivery-log.js';
import { DeliveryQueue, type ClaimedGroup, type GroupMeta } from './delivery-queue.js';
import type { RouteRepository } from './route.repository.js';
import type { AlertRoute } from './route.schema.js';
import { deliveryMode, routesFor } from './router.js';

/** Options of {@link AlertNotifier}. */
export interface AlertNotifierOptions {
  /** Index prefix (the alerts index is `<prefix>-alerts`). */
  prefix: string;
  redis: Redis;
  routes: RouteRepository;
  /** Channels to send on; an `in_app` channel makes every alert go in-app. */
  dispatcher: Dispatcher;
  /** Where flushes that keep failing end up. */
  deadLetters?: NotifyDeadLetterStore;
  /** Redis key prefix of the outbox. @default `${config QUEUE_PREFIX}:${prefix}` */
  keyPrefix?: string;
  /** How often due groups are flushed. @default config NOTIFY_FLUSH_INTERVAL_MS */
  flushIntervalMs?: number;
  /** How long enabled routes are cached (writes through `routes` drop the cache at once). @default config NOTIFY_ROUTE_CACHE_MS */
  routeCacheMs?: number;
  /** Failed flushes of a group before it is dead-lettered (a permanent refusal: the first). @default 5 */
  maxTries?: number;
  /** Wait before a failed group is tried again; doubles per try. @default 30_000 */
  retryDelayMs?: number;
  /** Claim lease (a flusher that dies leaves its groups for this long). @default 120_000 */
  leaseMs?: number;
  /** Refresh policy of delivery-state writes (tests use true). @default false */
  refresh?: RefreshPolicy;
  /** @default logger('notify') */
  log?: Logger;
}

export class AlertNotifier {
  readonly queue: DeliveryQueue;
  /** Bound: pass it as the alert service's `notify`. */
  readonly notify: NotifyFn;
  private readonly alertsIndex: string;
  private readonly log: Logger;
  private cache: { routes: AlertRoute[]; until: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  private flushAgain = false;
  private reloading: Promise<AlertRoute[]> | undefined;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: AlertNotifierOptions,
  ) {
    this.alertsIndex = aliasName(options.prefix, 'alerts');
    this.log = options.log ?? logger('notify');
    this.queue = new DeliveryQueue(options.redis, {
      keyPrefix: options.keyPrefix ?? `${config().QUEUE_PREFIX}:${options.prefix}`,
      leaseMs: options.leaseMs,
    });
    this.notify = (alert) => this.onAlert(alert);
  }

  /** Drops the route cache (call after changing routes in another process's repository). */
  invalidateRoutes(): void {
    this.cache = undefined;
  }

  /** Starts the interval flusher (and flushes what a previous process left due). */
  start(): void {
    if (this.timer) return;
    const interval = this.options.flushIntervalMs ?? config().NOTIFY_FLUSH_INTERVAL_MS;
    this.timer = setInterval(() => void this.flushSoon(), interval);
    this.timer.unref();
    void this.reloadRoutes().catch((error: unknown) =>
      this.log.warn({ err: error }, 'alert routes not loaded'),
    );
    void this.flushSoon();
  }

  /** Stops the flusher and waits for a flush in progress; queued items stay in Redis. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing?.catch(() => undefined);
    await this.reloading;
  }

  /** Publishes in-app, queues one delivery per route, kicks the flusher for immediate ones. */
  async onAlert(alert: AlertNotice): Promise<void> {
    const notice = toNotifyNotice(alert);
    const at = new Date();
    const records: AlertDeliveryRecord[] = [];
    const inApp = await this.options.dispatcher.dispatch(notice, [{ channel: 'in_app' }]);
    for (const record of inApp) {
      if (record.error !== 'NOTIFY_NO_CHANNEL: in_app') records.push(deliveryRecordOf(record));
    }
    let immediate = false;
    for (const route of routesFor(alert, await this.enabledRoutes())) {
      // In-app went out above, once, to every subscriber whose scope holds the alert.
      if (route.target.channel === 'in_app') continue;
      const mode = deliveryMode(route, alert.severity);
      const meta: GroupMeta = {
        routeId: route.id,
        ruleId: alert.ruleId,
        target: route.target,
        mode,
        tries: 0,
      };
      if (mode === 'immediate') {
        immediate = true;
        await this.queue.enqueue(
          `i:${route.id}:${alert.alertId}:${randomUUID()}`,
          meta,
          { notice, at: at.toISOString() },
          at.getTime(),
        );
        continue;
      }
      const window = digestWindow(at, route.digest_interval_ms);
      const windowed = { ...meta, windowStart: window.start.getTime(), windowEnd: window.end.getTime() };
      const group = `d:${route.id}:${alert.ruleId}:${window.start.getTime()}`;
      await this.queue.enqueue(group, windowed, { notice, at: at.toISOString() }, window.end.getTime());
      records.push({
        channel: route.target.channel,
        recipient: recipientOf(route.target),
        status: 'queued',
        attempts: 0,
        sent_at: at.toISOString(),
        route_id: route.id,
        digest: true,
      });
    }
    await this.record([{ alertId: alert.alertId, records }]);
    if (immediate) void this.flushSoon();
  }

  /**
   * Puts a dead letter (any channel) back in the outbox to be sent at once, and removes it from the
   * dead-letter list. Resolves false when there is no such letter (already requeued by someone else).
   */
  async requeueDeadLetter(id: string): Promise<boolean> {
    const store = this.options.deadLetters;
    const letter = store ? await store.get(id) : undefined;
    if (!store || !letter || !(await store.remove(id))) return false;
    const meta: GroupMeta = {
      routeId: 'dead-letter',
      ruleId: letter.notice.ruleId,
      target: letter.target,
      mode: 'immediate',
      tries: 0,
    };
    await this.queue.enqueue(`r:${id}`, meta, { notice: letter.notice, at: letter.failedAt }, Date.now());
    void this.flushSoon();
    return true;
  }

  /**
   * Sends every due group once; safe to call from many processes at once (claims are atomic).
   * Resolves with the number of groups handled.
   */
  async flushDue(now = Date.now()): Promise<number> {
    let handled = 0;
    for (;;) {
      const groups = await this.queue.claim(50, now);
      if (groups.length === 0) return handled;
      await Promise.all(groups.map((group) => this.deliver(group)));
      handled += groups.length;
    }
  }

  /** Runs a flush now, or once more after the one in progress; never throws. */
  flushSoon(): Promise<number> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    const run = async (): Promise<number> => {
      let total = 0;
      do {
        this.flushAgain = false;
        total += await this.flushDue();
      } while (this.flushAgain);
      return total;
    };
    this.flushing = run()
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'outbox flush failed');
        return 0;
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async deliver(group: ClaimedGroup): Promise<void> {
    const { meta, items } = group;
    const first = items[0];
    if (!first) return this.queue.ack(group.id, 0);
    const notice =
      meta.mode === 'digest'
        ? buildDigest(
            items.map((item) => ({ notice: item.notice, at: item.at })),
            { start: new Date(meta.windowStart ?? 0), end: new Date(meta.windowEnd ?? 0) },
          )
        : first.notice;
    const [sent] = await this.options.dispatcher.dispatch(notice, [meta.target]);
    if (!sent) return this.queue.ack(group.id, 0);
    const record = deliveryRecordOf(sent, { route_id: meta.routeId, digest: meta.mode === 'digest' });
    const maxTries = this.options.maxTries ?? 5;
    const transient = sent.status === 'failed' && sent.retryable !== false;
    if (transient && meta.tries + 1 < maxTries) {
      const delay = (this.options.retryDelayMs ?? 30_000) * 2 ** meta.tries;
      await this.queue.retryLater(group, Date.now() + delay);
    } else {
      if (sent.status === 'failed' && this.options.deadLetters) {
        await this.options.deadLetters.push({
          notice,
          target: meta.target,
          attempts: sent.attempts,
          error: sent.error ?? 'UNKNOWN',
        });
        record.status = 'dead_lettered';
      }
      await this.queue.ack(group.id, items.length);
    }
    await this.record(notice.alertIds.map((alertId) => ({ alertId, records: [record] })));
  }

  private async record(entries: Array<{ alertId: string; records: AlertDeliveryRecord[] }>): Promise<void> {
    try {
      await appendDeliveries(this.engine, this.alertsIndex, entries, {
        refresh: this.options.refresh ?? false,
        log: this.log,
      });
    } catch (error) {
      // The delivery happened (or is queued); only its visibility on the alert is missing.
      this.log.error({ err: error }, 'delivery state not written');
    }
  }

  /**
   * Enabled routes, cached: a stale cache is served while it reloads in the background, so the alert
   * path never waits on the engine except on the very first alert (or right after a local change).
   */
  private async enabledRoutes(): Promise<AlertRoute[]> {
    if (!this.cache) return this.reloadRoutes();
    if (this.cache.until <= Date.now()) {
      this.reloading ??= this.reloadRoutes()
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'alert routes not reloaded; using the cached ones');
          return [];
        })
        .finally(() => {
          this.reloading = undefined;
        });
    }
    return this.cache.routes;
  }

  private async reloadRoutes(): Promise<AlertRoute[]> {
    const routes = await this.options.routes.list({ enabled: true });
    const ttl = this.options.routeCacheMs ?? config().NOTIFY_ROUTE_CACHE_MS;
    this.cache = { routes, until: Date.now() + ttl };
    return routes;
  }
}
