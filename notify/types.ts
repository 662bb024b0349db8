/**
 * Notification channels for alerts: what a channel is given (an {@link AlertNotice} and a
 * {@link ChannelTarget}) and what it answers ({@link DeliveryResult}). Independent of how alerts
 * are produced; the alerts stage builds notices and records the results in `alerts.notifications`.
 */
import type { JurisdictionRef } from '../registry/types.js';

export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** `a` is at least as severe as `b`. */
export function severityAtLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b);
}

/** One line of a digest: an alert folded into a digest notice. */
export interface DigestItem {
  alertId: string;
  title: string;
  url?: string;
  hits: number;
  /** ISO time of the alert's hit. */
  at: string;
}

/** What a channel tells a person about one alert, or a digest of several alerts of one rule. */
export interface AlertNotice {
  alertIds: string[];
  ruleId: string;
  ruleName: string;
  severity: Severity;
  category: string;
  /** e.g. 《广告法》第九条第三项 */
  legalBasis?: string;
  title: string;
  summary: string;
  url?: string;
  jurisdiction: JurisdictionRef;
  /** Total rule hits the notice stands for. */
  hits: number;
  digest: boolean;
  /** The alerts a digest lists (empty or absent for a single alert). */
  items?: DigestItem[];
  /** Digest window, ISO times. */
  windowStart?: string;
  windowEnd?: string;
}

/** Generic JSON webhook: POST signed with HMAC-SHA256 (see `webhook.channel.ts`). */
export interface WebhookTarget {
  channel: 'webhook';
  url: string;
  /** Signing secret; falls back to `NOTIFY_WEBHOOK_SECRET`. */
  secret?: string;
}

export interface EmailTarget {
  channel: 'email';
  to: string[];
  /** Language order of the bodies. @default 'zh' */
  lang?: 'zh' | 'en';
}

/** DingTalk custom robot: `https://oapi.dingtalk.com/robot/send?access_token=…`. */
export interface DingTalkTarget {
  channel: 'dingtalk';
  url: string;
  /** The robot's "加签" secret (`SEC…`); when set, `timestamp` and `sign` are added. */
  secret?: string;
  atMobiles?: string[];
  atUserIds?: string[];
  isAtAll?: boolean;
}

/** WeCom (企业微信) group robot: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`. */
export interface WeComTarget {
  channel: 'wecom';
  url: string;
}

/** In-app: published on the server-sent events hub. */
export interface InAppTarget {
  channel: 'in_app';
}

export type ChannelTarget = WebhookTarget | EmailTarget | DingTalkTarget | WeComTarget | InAppTarget;

export type ChannelName = ChannelTarget['channel'];

export type DeliveryStatus = 'sent' | 'failed' | 'dead_lettered';

export interface DeliveryResult {
  status: DeliveryStatus;
  attempts: number;
  /** `CODE: message`, never a secret. */
  error?: string;
  /**
   * On a failure: `false` when the target refused for good (webhook 4xx other than 408/429, SMTP 5xx,
   * a robot's final errcode), so sending the same notice again cannot help. Absent: worth retrying.
   */
  retryable?: boolean;
}

/** One delivery as the alert's `notifications` field stores it. */
export interface NotificationRecord extends DeliveryResult {
  channel: ChannelName;
  recipient: string;
  sent_at: string;
}

/** A way to tell someone. `send` never throws: every failure is a `DeliveryResult`. */
export interface Channel<T extends ChannelTarget = ChannelTarget> {
  readonly name: T['channel'];
  send(notice: AlertNotice, target: T): Promise<DeliveryResult>;
}
