/**
 * WeCom (企业微信) group robot: POST `{ msgtype: 'markdown', markdown: { content } }` to
 * `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`; `content` is at most 4096 bytes of
 * UTF-8. The robot answers `{ errcode, errmsg }`: 0 is delivered, 45009 (rate limit) and -1 (busy)
 * are retried, any other code (93000 bad key, 40058 bad content, …) fails at once.
 */
import { deliverHttp, judgeErrcode, type HttpDeliveryOptions } from './http-delivery.js';
import { renderMarkdown } from './render.js';
import type { AlertNotice, Channel, DeliveryResult, WeComTarget } from './types.js';

export const WECOM_RETRYABLE_ERRCODES: readonly number[] = [-1, 45009];
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

export interface WeComMarkdownMessage {
  msgtype: 'markdown';
  markdown: { content: string };
}

export function weComMessage(notice: AlertNotice): WeComMarkdownMessage {
  return { msgtype: 'markdown', markdown: { content: renderMarkdown(notice, WECOM_MARKDOWN_MAX_BYTES) } };
}

export class WeComChannel implements Channel<WeComTarget> {
  readonly name = 'wecom' as const;

  constructor(private readonly options: HttpDeliveryOptions = {}) {}

  async send(notice: AlertNotice, target: WeComTarget): Promise<DeliveryResult> {
    const body = JSON.stringify(weComMessage(notice));
    const outcome = await deliverHttp(
      () => ({ url: target.url, body }),
      (answer) => judgeErrcode(answer, WECOM_RETRYABLE_ERRCODES),
      this.options,
    );
    if (outcome.ok) return { status: 'sent', attempts: outcome.attempts };
    return {
      status: 'failed',
      attempts: outcome.attempts,
      error: outcome.error,
      retryable: outcome.retryable,
    };
  }
}
