/**
 * The operators linking works from, held in memory and kept fresh from the `entities` index: a cheap
 * fingerprint query (count and latest `updated_at`) every `refreshIntervalMs`, a full reload only when
 * it moved, and an immediate reload on a Redis change notification when a channel is given.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { config } from '../../core/config.js';
import { errorCode } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { EngineErrorCode, scanAll } from '../../engine/index.js';
import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { LinkableOperator } from './link.types.js';
import { OperatorIndex } from './operator-index.js';

/** Options of {@link OperatorDirectory}. */
export interface OperatorDirectoryOptions {
  /** Index prefix; operators are read from `aliasName(prefix, 'entities')`. */
  prefix: string;
  /** How often to look for changed operators; 0 turns the timer off. @default config LINK_REFRESH_INTERVAL_MS */
  refreshIntervalMs?: number;
  /** Redis pub/sub channel announcing operator changes (see {@link publishOperatorsChanged}). @default none */
  changeChannel?: string;
  /** @default config REDIS_URL */
  redisUrl?: string;
  /** @default logger('operator-directory') */
  log?: Logger;
}

/** The channel the registry announces operator changes on, per index prefix. */
export function operatorsChangedChannel(prefix: string): string {
  return `${config().QUEUE_PREFIX}:operators-changed:${prefix}`;
}

/** Tells every running directory to reload now (call after writing operators). */
export async function publishOperatorsChanged(redis: Redis, channel: string): Promise<void> {
  await redis.publish(channel, String(Date.now()));
}

const SOURCE_FIELDS = [
  'id',
  'name',
  'uscc',
  'uscc_valid',
  'licence_numbers',
  'icp_numbers',
  'domains',
  'shop_urls',
  'platform_id',
  'type',
  'jurisdiction',
  'status',
];

export class OperatorDirectory {
  private current = new OperatorIndex([]);
  private fingerprint: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private subscriber: Redis | undefined;
  private loading: Promise<boolean> | undefined;
  private readonly alias: string;
  private readonly log: Logger;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: OperatorDirectoryOptions,
  ) {
    this.alias = aliasName(options.prefix, 'entities');
    this.log = options.log ?? logger('operator-directory');
  }

  /** The index as of the last refresh. */
  get index(): OperatorIndex {
    return this.current;
  }

  /** Loads the operators, then keeps them fresh until {@link close}. */
  async start(): Promise<void> {
    await this.refresh({ force: true });
    const intervalMs = this.options.refreshIntervalMs ?? config().LINK_REFRESH_INTERVAL_MS;
    if (intervalMs > 0) {
      this.timer = setInterval(() => void this.refreshQuietly(), intervalMs);
      this.timer.unref();
    }
    if (this.options.changeChannel) await this.subscribe(this.options.changeChannel);
  }

  /**
   * Reloads when the entities changed since the last load (or always with `force`).
   * Concurrent calls share one reload. Returns whether the index was rebuilt.
   */
  refresh(options: { force?: boolean } = {}): Promise<boolean> {
    this.loading ??= this.reload(options.force ?? false).finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private async refreshQuietly(force = false): Promise<void> {
    try {
      await this.refresh({ force });
    } catch (error) {
      this.log.warn({ err: error }, 'operator refresh failed; linking keeps the previous operators');
    }
  }

  private async subscribe(channel: string): Promise<void> {
    const subscriber = new Redis(this.options.redisUrl ?? config().REDIS_URL, { maxRetriesPerRequest: null });
    subscriber.on('message', (received: string) => {
      if (received === channel) void this.refreshQuietly(true);
    });
    subscriber.on('error', (error: unknown) =>
      this.log.warn({ err: error }, 'operator change channel error'),
    );
    await subscriber.subscribe(channel);
    this.subscriber = subscriber;
  }

  private async reload(force: boolean): Promise<boolean> {
    const fingerprint = await this.readFingerprint();
    if (!force && fingerprint === this.fingerprint) return false;
    const operators: LinkableOperator[] = [];
    if (fingerprint !== 'missing') {
      const hits = scanAll<LinkableOperator>(this.engine, { index: this.alias, source: SOURCE_FIELDS });
      for await (const hit of hits) operators.push({ ...hit.source, id: hit.source.id ?? hit.id });
    }
    this.current = new OperatorIndex(operators);
    this.fingerprint = fingerprint;
    this.log.debug({ operators: operators.length }, 'operators loaded');
    return true;
  }

  /** Count and latest update of the entities: equal fingerprints mean nothing to reload. */
  private async readFingerprint(): Promise<string> {
    try {
      await this.engine.refresh(this.alias);
      const result = await this.engine.search({
        index: this.alias,
        size: 0,
        trackTotalHits: true,
        aggs: { latest: { max: { field: 'updated_at' } } },
      });
      const latest = (result.aggregations?.latest as { value?: number | null } | undefined)?.value ?? null;
      return `${result.total}:${latest ?? '-'}`;
    } catch (error) {
      if (errorCode(error) === EngineErrorCode.NotFound) return 'missing';
      throw error;
    }
  }
}
