/**
 * In-app notifications: a hub that appends every notice to a bounded Redis stream (XADD MAXLEN ~)
 * and fans it out to server-sent-events subscribers, each filtered by jurisdiction scope and
 * minimum severity. Any process may publish; every API process runs one hub whose reader follows
 * the stream (XREAD BLOCK). A client reconnecting with `Last-Event-ID` first gets what it missed
 * from the stream (XRANGE), then live events, in order and without duplicates, as long as the
 * missed events are still within the stream's bound.
 */
import type { Redis } from 'ioredis';
import { config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { refWithin } from '../registry/scope.js';
import type { JurisdictionRef } from '../registry/types.js';
import { severityAtLeast, type AlertNotice, type Severity } from './types.js';

/** Options of {@link SseHub}. */
export interface SseHubOptions {
  /** Key prefix: the stream is `<prefix>:notify:events`. @default config QUEUE_PREFIX */
  prefix?: string;
  /** Approximate number of events kept for resume. @default config NOTIFY_SSE_STREAM_MAXLEN */
  maxLen?: number;
  /** Comment line sent to idle clients so proxies keep the connection. @default config NOTIFY_SSE_HEARTBEAT_MS */
  heartbeatMs?: number;
  /** How long one XREAD blocks before looping. @default 5000 */
  blockMs?: number;
}

/** Who listens: their jurisdiction scope (see `registry/scope.ts`) and the least severity they want. */
export interface SubscriberFilter {
  scope: JurisdictionRef;
  minSeverity?: Severity;
}

export interface HubEvent {
  /** Redis stream id, sent as the SSE `id:`. */
  id: string;
  notice: AlertNotice;
}

interface Subscriber {
  filter: SubscriberFilter;
  sink: (event: HubEvent) => void;
  lastSent: string;
  buffer: HubEvent[] | undefined;
}

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** Orders Redis stream ids (`<ms>-<seq>`). */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((p) => BigInt(p));
  const [bm = 0n, bs = 0n] = b.split('-').map((p) => BigInt(p));
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

export function matchesFilter(notice: AlertNotice, filter: SubscriberFilter): boolean {
  return (
    refWithin(notice.jurisdiction, filter.scope) &&
    severityAtLeast(notice.severity, filter.minSeverity ?? 'low')
  );
}

type StreamEntries = Array<[string, string[]]>;

function toEvents(entries: StreamEntries): HubEvent[] {
  const events: HubEvent[] = [];
  for (const [id, fields] of entries) {
    const at = fields.indexOf('notice');
    const raw = at >= 0 ? fields[at + 1] : undefined;
    if (raw !== undefined) events.push({ id, notice: JSON.parse(raw) as AlertNotice });
  }
  return events;
}

export class SseHub {
  readonly streamKey: string;
  readonly heartbeatMs: number;
  private readonly maxLen: number;
  private readonly blockMs: number;
  private readonly subscribers = new Set<Subscriber>();
  private reader: Redis | undefined;
  private loop: Promise<void> | undefined;
  private running = false;

  /** @param redis used for XADD/XRANGE; the blocking reader gets its own duplicate connection. */
  constructor(
    private readonly redis: Redis,
    options: SseHubOptions = {},
  ) {
    this.streamKey = `${options.prefix ?? config().QUEUE_PREFIX}:notify:events`;
    this.maxLen = options.maxLen ?? config().NOTIFY_SSE_STREAM_MAXLEN;
    this.heartbeatMs = options.heartbeatMs ?? config().NOTIFY_SSE_HEARTBEAT_MS;
    this.blockMs = options.blockMs ?? 5_000;
  }

  /** Starts following the stream from its current end. */
  async start(): Promise<void> {
    if (this.running) return;
    const last = (await this.redis.xrevrange(this.streamKey, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
    this.running = true;
    this.reader = this.redis.duplicate();
    this.loop = this.follow(last);
  }

  async close(): Promise<void> {
    this.running = false;
    this.reader?.disconnect();
    await this.loop;
    this.subscribers.clear();
  }

  /** Appends a notice to the stream; subscribers of every hub on this stream receive it. */
  async publish(notice: AlertNotice): Promise<string> {
    const id = await this.redis.xadd(
      this.streamKey,
      'MAXLEN',
      '~',
      String(this.maxLen),
      '*',
      'notice',
      JSON.stringify(notice),
    );
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  /** Events after `lastEventId` (exclusive) that pass `filter`, oldest first. */
  async since(lastEventId: string, filter: SubscriberFilter, limit = 1_000): Promise<HubEvent[]> {
    if (!STREAM_ID.test(lastEventId)) {
      throw new ValidationError('Last-Event-ID is not a stream id', { lastEventId }, 'NOTIFY_BAD_EVENT_ID');
    }
    const entries = await this.redis.xrange(this.streamKey, `(${lastEventId}`, '+', 'COUNT', limit);
    return toEvents(entries).filter((event) => matchesFilter(event.notice, filter));
  }

  /**
   * Sends `sink` the missed events after `lastEventId` (when given), then live ones; returns the
   * unsubscribe function.
   */
  async subscribe(
    filter: SubscriberFilter,
    sink: (event: HubEvent) => void,
    lastEventId?: string,
  ): Promise<() => void> {
    const subscriber: Subscriber = { filter, sink, lastSent: '0-0', buffer: [] };
    this.subscribers.add(subscriber);
    const unsubscribe = (): void => {
      this.subscribers.delete(subscriber);
    };
    try {
      if (lastEventId) {
        subscriber.lastSent = lastEventId;
        for (const event of await this.since(lastEventId, filter)) this.deliver(subscriber, event);
      }
    } catch (error) {
      unsubscribe();
      throw error;
    }
    const buffered = subscriber.buffer ?? [];
    subscriber.buffer = undefined;
    for (const event of buffered) this.deliver(subscriber, event);
    return unsubscribe;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private deliver(subscriber: Subscriber, event: HubEvent): void {
    if (compareStreamIds(event.id, subscriber.lastSent) <= 0) return;
    subscriber.lastSent = event.id;
    subscriber.sink(event);
  }

  private fanOut(event: HubEvent): void {
    for (const subscriber of this.subscribers) {
      if (!matchesFilter(event.notice, subscriber.filter)) continue;
      if (subscriber.buffer) subscriber.buffer.push(event);
      else this.deliver(subscriber, event);
    }
  }

  private async follow(from: string): Promise<void> {
    let cursor = from;
    while (this.running && this.reader) {
      try {
        const answer = await this.reader.xread('BLOCK', this.blockMs, 'STREAMS', this.streamKey, cursor);
        const entries = answer?.[0]?.[1] ?? [];
        cursor = entries.at(-1)?.[0] ?? cursor;
        for (const event of toEvents(entries)) this.fanOut(event);
      } catch (error) {
        if (!this.running) return;
        logger('notify').warn({ err: error }, 'SSE hub stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}
