/**
 * DingTalk custom robot (自定义机器人): POST `{ msgtype: 'markdown', markdown: { title, text }, at }`
 * to `https://oapi.dingtalk.com/robot/send?access_token=…`. With a signing secret ("加签") the URL
 * also carries `timestamp` (ms) and `sign` = URL-encoded base64(HMAC-SHA256(secret,
 * `${timestamp}\n${secret}`)). The robot answers HTTP 200 with `{ errcode, errmsg }`: 0 is
 * delivered, 130101 (too fast) and -1 (busy) are retried, any other code (310000 bad sign or
 * keyword, 300001 bad token, …) fails at once.
 */
import { createHmac } from 'node:crypto';
import { deliverHttp, judgeErrcode, type HttpDeliveryOptions } from './http-delivery.js';
import { renderMarkdown } from './render.js';
import type { AlertNotice, Channel, DeliveryResult, DingTalkTarget } from './types.js';

export const DINGTALK_RETRYABLE_ERRCODES: readonly number[] = [-1, 130101];

/** The DingTalk robot message body. */
export interface DingTalkMarkdownMessage {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at?: { atMobiles?: string[]; atUserIds?: string[]; isAtAll?: boolean };
}

/** base64(HMAC-SHA256(secret, `${timestampMs}\n${secret}`)), not yet URL-encoded. */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** The target URL with `timestamp` and `sign` set when the target has a secret. */
export function signedDingTalkUrl(target: DingTalkTarget, timestampMs = Date.now()): string {
  if (!target.secret) return target.url;
  const url = new URL(target.url);
  url.searchParams.set('timestamp', String(timestampMs));
  url.searchParams.set('sign', dingTalkSign(target.secret, timestampMs));
  return url.toString();
}

export function dingTalkMessage(notice: AlertNotice, target: DingTalkTarget): DingTalkMarkdownMessage {
  let text = renderMarkdown(notice, 5000);
  // DingTalk only notifies the @-mentioned people when their numbers also appear in the text.
  if (target.atMobiles?.length) text += `\n\n${target.atMobiles.map((m) => `@${m}`).join(' ')}`;
  const message: DingTalkMarkdownMessage = {
    msgtype: 'markdown',
    markdown: { title: `${notice.ruleName}: ${notice.title}`.slice(0, 64), text },
  };
  if (target.atMobiles?.length || target.atUserIds?.length || target.isAtAll) {
    message.at = {
      atMobiles: target.atMobiles,
      atUserIds: target.atUserIds,
      isAtAll: target.isAtAll ?? false,
    };
  }
  return message;
}

export class DingTalkChannel implements Channel<DingTalkTarget> {
  readonly name = 'dingtalk' as const;

  constructor(private readonly options: HttpDeliveryOptions = {}) {}

  async send(notice: AlertNotice, target: DingTalkTarget): Promise<DeliveryResult> {
    const body = JSON.stringify(dingTalkMessage(notice, target));
    const outcome = await deliverHttp(
      () => ({ url: signedDingTalkUrl(target), body }),
      (answer) => judgeErrcode(answer, DINGTALK_RETRYABLE_ERRCODES),
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
