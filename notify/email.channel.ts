/**
 * Email over SMTP (nodemailer): a bilingual (Chinese and English) plain-text and HTML message per
 * notice; a digest lists its alerts. SMTP 4xx answers and connection errors are retried with
 * back-off, 5xx answers (bad recipient, refused) fail at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../core/config.js';
import { renderHtml, renderSubject, renderText } from './render.js';
import type { AlertNotice, Channel, DeliveryResult, EmailTarget } from './types.js';

/** Options of {@link EmailChannel}. */
export interface EmailChannelOptions {
  /** `smtp://user:pass@host:port` (or `smtps://`). @default config SMTP_URL */
  smtpUrl?: string;
  /** @default config NOTIFY_EMAIL_FROM */
  from?: string;
  /** @default config NOTIFY_ATTEMPTS */
  attempts?: number;
  /** @default config NOTIFY_BACKOFF_MS */
  backoffMs?: number;
  /** Connection and socket timeout. @default config NOTIFY_TIMEOUT_MS */
  timeoutMs?: number;
}

interface SmtpFailure {
  responseCode?: number;
  code?: string;
  message?: string;
}

function isPermanent(error: SmtpFailure): boolean {
  return typeof error.responseCode === 'number' && error.responseCode >= 500;
}

function describe(error: SmtpFailure): string {
  const code = error.responseCode ? `SMTP_${error.responseCode}` : (error.code ?? 'SMTP_ERROR');
  return `${code}: ${error.message ?? 'unknown'}`;
}

export class EmailChannel implements Channel<EmailTarget> {
  readonly name = 'email' as const;
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(options: EmailChannelOptions = {}) {
    const timeoutMs = options.timeoutMs ?? config().NOTIFY_TIMEOUT_MS;
    this.transport = nodemailer.createTransport({
      url: options.smtpUrl ?? config().SMTP_URL,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    this.from = options.from ?? config().NOTIFY_EMAIL_FROM;
    this.attempts = options.attempts ?? config().NOTIFY_ATTEMPTS;
    this.backoffMs = options.backoffMs ?? config().NOTIFY_BACKOFF_MS;
  }

  async send(notice: AlertNotice, target: EmailTarget): Promise<DeliveryResult> {
    if (target.to.length === 0)
      return { status: 'failed', attempts: 0, error: 'NOTIFY_NO_RECIPIENT: empty to', retryable: false };
    const lang = target.lang ?? 'zh';
    const message = {
      from: this.from,
      to: target.to,
      subject: renderSubject(notice),
      text: renderText(notice, lang),
      html: renderHtml(notice, lang),
      headers: { 'X-Argus-Rule': notice.ruleId, 'X-Argus-Alerts': notice.alertIds.join(',') },
    };
    let error: SmtpFailure = {};
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs * 2 ** (attempt - 2));
      try {
        await this.transport.sendMail(message);
        return { status: 'sent', attempts: attempt };
      } catch (caught) {
        error = caught as SmtpFailure;
        if (isPermanent(error)) {
          return { status: 'failed', attempts: attempt, error: describe(error), retryable: false };
        }
      }
    }
    return { status: 'failed', attempts: this.attempts, error: describe(error), retryable: true };
  }

  close(): void {
    this.transport.close();
  }
}
