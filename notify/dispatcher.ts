/**
 * Sends one notice to every routing target at once, each channel on its own: a channel that
 * fails, throws or is missing never stops or loses the others, and every target gets a
 * {@link NotificationRecord} the alerts stage stores in the alert's `notifications`.
 */
import { logger } from '../core/logger.js';
import type {
  AlertNotice,
  Channel,
  ChannelName,
  ChannelTarget,
  DeliveryResult,
  NotificationRecord,
} from './types.js';

/** One channel per target kind; kinds left out answer `NOTIFY_NO_CHANNEL`. */
export type ChannelSet = { [K in ChannelName]?: Channel<Extract<ChannelTarget, { channel: K }>> };

/** Options of {@link Dispatcher}. */
export interface DispatcherOptions {
  channels: ChannelSet;
  /** Called as each delivery ends, before the slower ones finish. */
  onResult?: (record: NotificationRecord, notice: AlertNotice) => void;
}

/** Where a notice went, without secrets: DingTalk tokens and WeCom keys live in query strings. */
export function recipientOf(target: ChannelTarget): string {
  switch (target.channel) {
    case 'email':
      return target.to.join(',');
    case 'in_app':
      return 'in_app';
    default: {
      try {
        const url = new URL(target.url);
        return `${url.origin}${url.pathname}`;
      } catch {
        return 'invalid-url';
      }
    }
  }
}

export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /** Delivers on every target concurrently; resolves with one record per target, in target order. */
  async dispatch(notice: AlertNotice, targets: readonly ChannelTarget[]): Promise<NotificationRecord[]> {
    return Promise.all(targets.map((target) => this.deliverOne(notice, target)));
  }

  private async deliverOne(notice: AlertNotice, target: ChannelTarget): Promise<NotificationRecord> {
    let result: DeliveryResult;
    try {
      result = await this.send(notice, target);
    } catch (error) {
      result = { status: 'failed', attempts: 1, error: `NOTIFY_CHANNEL_THREW: ${(error as Error).message}` };
    }
    const record: NotificationRecord = {
      channel: target.channel,
      recipient: recipientOf(target),
      sent_at: new Date().toISOString(),
      ...result,
    };
    if (record.status !== 'sent') {
      logger('notify').warn(
        {
          channel: record.channel,
          recipient: record.recipient,
          alertIds: notice.alertIds,
          error: record.error,
        },
        'notification not delivered',
      );
    }
    this.options.onResult?.(record, notice);
    return record;
  }

  private send(notice: AlertNotice, target: ChannelTarget): Promise<DeliveryResult> {
    const { channels } = this.options;
    const missing = (): Promise<DeliveryResult> =>
      Promise.resolve({ status: 'failed', attempts: 0, error: `NOTIFY_NO_CHANNEL: ${target.channel}` });
    switch (target.channel) {
      case 'webhook':
        return channels.webhook ? channels.webhook.send(notice, target) : missing();
      case 'email':
        return channels.email ? channels.email.send(notice, target) : missing();
      case 'dingtalk':
        return channels.dingtalk ? channels.dingtalk.send(notice, target) : missing();
      case 'wecom':
        return channels.wecom ? channels.wecom.send(notice, target) : missing();
      case 'in_app':
        return channels.in_app ? channels.in_app.send(notice, target) : missing();
    }
  }
}
