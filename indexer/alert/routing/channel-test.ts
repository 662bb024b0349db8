/**
 * A channel test: one notice, marked as a test and standing for no alert, sent once through a route's
 * real channel while the caller waits. Not queued in the outbox, never retried, never dead-lettered:
 * the author wants the target's answer now (`HTTP_404: …`, `SMTP_550: …`, `ECONNREFUSED: …`).
 */
import { config } from '../../../core/config.js';
import type { EnginePort } from '../../../engine/port.js';
import {
  DingTalkChannel,
  Dispatcher,
  EmailChannel,
  InAppChannel,
  WebhookChannel,
  WeComChannel,
  type SseHub,
} from '../../../notify/index.js';
import type { AlertNotice, ChannelName, DeliveryStatus } from '../../../notify/types.js';
import { writeAudit } from '../audit.js';
import type { AlertRoute } from './route.schema.js';

/** Where a test is sent from; every field defaults to what the outbox uses. */
export interface ChannelTestOptions {
  /** In-app stream; without one an `in_app` route answers `NOTIFY_NO_CHANNEL`. */
  hub?: SseHub;
  /** SMTP server of email routes. @default config SMTP_URL */
  smtpUrl?: string;
  /** Time limit of the one try (connect and answer). @default config NOTIFY_TIMEOUT_MS */
  timeoutMs?: number;
}

/** What one test answered. */
export interface ChannelTestResult {
  /** The target accepted the notice. */
  ok: boolean;
  status: Extract<DeliveryStatus, 'sent' | 'failed'>;
  /** Wall time of the delivery. */
  ms: number;
  channel: ChannelName;
  /** Where it went, without secrets. */
  recipient: string;
  /** `CODE: message` of the refusal, never a secret. */
  error?: string;
  /** Whether sending again could help (false: the target refused for good, e.g. HTTP 404, SMTP 550). */
  retryable?: boolean;
}

/** Rule id of test notices, so receivers can tell them from alerts. */
export const CHANNEL_TEST_RULE_ID = 'argus-channel-test';

/** The notice a test sends: the route's jurisdiction and least severity, no alert behind it. */
export function channelTestNotice(route: AlertRoute, actor: string, message?: string): AlertNotice {
  const note = message ? ` ${message}` : '';
  return {
    alertIds: [],
    ruleId: CHANNEL_TEST_RULE_ID,
    ruleName: '渠道测试 Channel test',
    severity: route.min_severity,
    category: 'channel_test',
    title: `测试通知 Test notification · ${route.name}`,
    summary: `Argus 渠道测试，无对应预警 / Test of route ${route.id} by ${actor}; no alert behind it.${note}`,
    jurisdiction: route.jurisdiction,
    hits: 0,
    digest: false,
  };
}

/**
 * Sends the test notice once through the route's channel, audits it on the route's chain and answers
 * what the target said. Never throws for a refusing target; only an audit write failure throws.
 */
export async function testRouteChannel(
  engine: EnginePort,
  prefix: string,
  route: AlertRoute,
  request: { actor: string; message?: string },
  options: ChannelTestOptions = {},
): Promise<ChannelTestResult> {
  const timeoutMs = options.timeoutMs ?? config().NOTIFY_TIMEOUT_MS;
  const once = { attempts: 1, backoffMs: 0, timeoutMs };
  const email =
    route.target.channel === 'email'
      ? new EmailChannel({ ...once, ...(options.smtpUrl ? { smtpUrl: options.smtpUrl } : {}) })
      : undefined;
  const dispatcher = new Dispatcher({
    channels: {
      webhook: new WebhookChannel(once),
      dingtalk: new DingTalkChannel(once),
      wecom: new WeComChannel(once),
      ...(email ? { email } : {}),
      ...(options.hub ? { in_app: new InAppChannel(options.hub) } : {}),
    },
  });
  const startedAt = performance.now();
  let sent;
  try {
    [sent] = await dispatcher.dispatch(channelTestNotice(route, request.actor, request.message), [
      route.target,
    ]);
  } finally {
    email?.close();
  }
  const ms = Math.round(performance.now() - startedAt);
  const ok = sent?.status === 'sent';
  const result: ChannelTestResult = {
    ok,
    status: ok ? 'sent' : 'failed',
    ms,
    channel: route.target.channel,
    recipient: sent?.recipient ?? route.target.channel,
  };
  if (!ok) {
    result.error = sent?.error ?? 'NOTIFY_NOT_SENT';
    result.retryable = sent?.retryable !== false;
  }
  await writeAudit(engine, prefix, {
    actor: request.actor,
    action: 'route.test',
    targetType: 'alert-route',
    targetId: route.id,
    outcome: ok ? 'ok' : 'failed',
    details: {
      channel: result.channel,
      recipient: result.recipient,
      ms,
      ...(ok ? {} : { error: result.error }),
    },
  });
  return result;
}
