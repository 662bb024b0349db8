/**
 * Generic JSON webhook. Each POST carries
 * `X-Argus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; a receiver
 * recomputes it over the raw body (see {@link verifyWebhookSignature}), rejects a `t` older than
 * its tolerance, and uses `X-Argus-Delivery` (stable across retries) to drop duplicates.
 * 5xx, 429, timeouts and connection errors are retried with exponential back-off; other 4xx are
 * final. Exhausted deliveries go to the dead-letter list, from which {@link WebhookChannel.replay}
 * sends them again.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import { deliverHttp, type HttpDeliveryOptions } from './http-delivery.js';
import type { NotifyDeadLetterStore } from './dead-letters.js';
import type { AlertNotice, Channel, DeliveryResult, WebhookTarget } from './types.js';

export const SIGNATURE_HEADER = 'x-argus-signature';
export const DELIVERY_HEADER = 'x-argus-delivery';

/** Options of {@link WebhookChannel}. */
export interface WebhookChannelOptions extends HttpDeliveryOptions {
  /** Where exhausted deliveries go; without it they are reported `failed`. */
  deadLetters?: NotifyDeadLetterStore;
  /** Key for targets without their own secret. @default config NOTIFY_WEBHOOK_SECRET */
  defaultSecret?: string;
}

/** The JSON body of a webhook call. */
export interface WebhookPayload {
  type: 'alert' | 'digest';
  deliveryId: string;
  notice: AlertNotice;
}

/** `t=<unixSeconds>,v1=<hex>` for `body`. */
export function signWebhook(
  body: string,
  secret: string,
  unixSeconds = Math.floor(Date.now() / 1000),
): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Checks a signature header against the raw body; false when malformed, wrong or older than `toleranceSec`. */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  toleranceSec = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSec || !/^[0-9a-f]{64}$/.test(given))
    return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

export class WebhookChannel implements Channel<WebhookTarget> {
  readonly name = 'webhook' as const;

  constructor(private readonly options: WebhookChannelOptions = {}) {}

  async send(notice: AlertNotice, target: WebhookTarget): Promise<DeliveryResult> {
    const deliveryId = randomUUID();
    const result = await this.post(notice, target, deliveryId);
    if (result.status !== 'failed' || !this.options.deadLetters || !result.retryable) return strip(result);
    await this.options.deadLetters.push({
      notice,
      target,
      attempts: result.attempts,
      error: result.error ?? 'UNKNOWN',
    });
    return { status: 'dead_lettered', attempts: result.attempts, error: result.error };
  }

  /** Sends a dead letter again; on success it leaves the list, on failure it stays with `replays` + 1. */
  async replay(id: string): Promise<DeliveryResult> {
    const store = this.options.deadLetters;
    const letter = store ? await store.get(id) : undefined;
    if (!store || !letter)
      throw new ValidationError(`No dead letter ${id}`, { id }, 'NOTIFY_DEAD_LETTER_NOT_FOUND');
    if (letter.target.channel !== 'webhook') {
      throw new ValidationError(`Dead letter ${id} is not a webhook`, { id }, 'NOTIFY_DEAD_LETTER_CHANNEL');
    }
    const result = strip(await this.post(letter.notice, letter.target, randomUUID()));
    if (result.status === 'sent') await store.remove(id);
    else await store.update({ ...letter, replays: letter.replays + 1, error: result.error ?? letter.error });
    return result;
  }

  /** Replays every dead letter once, oldest first; returns how many went through. */
  async replayAll(): Promise<{ sent: number; failed: number }> {
    const store = this.options.deadLetters;
    const letters = store ? await store.list(0, 10_000) : [];
    let sent = 0;
    for (const letter of letters) {
      if (letter.target.channel !== 'webhook') continue;
      if ((await this.replay(letter.id)).status === 'sent') sent++;
    }
    return { sent, failed: letters.length - sent };
  }

  private async post(
    notice: AlertNotice,
    target: WebhookTarget,
    deliveryId: string,
  ): Promise<DeliveryResult & { retryable: boolean }> {
    const secret = target.secret ?? this.options.defaultSecret ?? config().NOTIFY_WEBHOOK_SECRET;
    const payload: WebhookPayload = { type: notice.digest ? 'digest' : 'alert', deliveryId, notice };
    const body = JSON.stringify(payload);
    const outcome = await deliverHttp(
      () => ({
        url: target.url,
        body,
        headers: { [SIGNATURE_HEADER]: signWebhook(body, secret), [DELIVERY_HEADER]: deliveryId },
      }),
      () => ({ ok: true }),
      this.options,
    );
    return {
      status: outcome.ok ? 'sent' : 'failed',
      attempts: outcome.attempts,
      error: outcome.error,
      retryable: outcome.retryable,
    };
  }
}

function strip(result: DeliveryResult & { retryable: boolean }): DeliveryResult {
  const { status, attempts, error, retryable } = result;
  if (status === 'sent') return { status, attempts };
  return error === undefined ? { status, attempts, retryable } : { status, attempts, error, retryable };
}
