/**
 * Webhook and robot targets go through the crawler's SSRF guard: a channel pointed at loopback, a
 * private network or a cloud metadata endpoint (directly or through a name that resolves there) is
 * refused before anything is sent, once and for all, unless NOTIFY_ALLOW_PRIVATE admits it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DingTalkChannel } from '../../notify/dingtalk.channel.js';
import { deliverHttp } from '../../notify/http-delivery.js';
import { WebhookChannel } from '../../notify/webhook.channel.js';
import { json, sampleNotice, startServer, type LocalServer } from './notify-support.js';

const accept = () => ({ ok: true }) as const;

describe('notify SSRF guard', () => {
  let receiver: LocalServer;
  let calls = 0;

  beforeAll(async () => {
    receiver = await startServer((_req, res) => {
      calls += 1;
      json(res, 200, { errcode: 0, errmsg: 'ok' });
    });
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('without an allow-list, a webhook on loopback is refused at once and never called', async () => {
    calls = 0;
    const channel = new WebhookChannel({ allowPrivate: '', attempts: 3, backoffMs: 10 });
    const result = await channel.send(sampleNotice(), { channel: 'webhook', url: `${receiver.url}/hook` });
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/^SSRF_BLOCKED: .*127\.0\.0\.1 is a loopback address/);
    expect(calls).toBe(0);
  });

  it('a name that resolves to loopback is refused after DNS, as the address itself is', async () => {
    calls = 0;
    const port = new URL(receiver.url).port;
    const outcome = await deliverHttp(() => ({ url: `http://localhost:${port}/hook`, body: '{}' }), accept, {
      allowPrivate: '',
      attempts: 2,
      backoffMs: 10,
    });
    expect(outcome).toMatchObject({ ok: false, attempts: 1, retryable: false });
    expect(outcome.error).toMatch(/^SSRF_BLOCKED: Refused localhost/);
    expect(calls).toBe(0);
  });

  it('private and metadata addresses are refused; an allow-list naming loopback does not admit metadata', async () => {
    for (const url of ['http://10.1.2.3/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/']) {
      const outcome = await deliverHttp(() => ({ url, body: '{}' }), accept, {
        allowPrivate: '127.0.0.1/32',
        attempts: 2,
      });
      expect(outcome).toMatchObject({ ok: false, attempts: 1, retryable: false });
      expect(outcome.error).toMatch(/^SSRF_BLOCKED: /);
    }
    const notHttp = await deliverHttp(() => ({ url: 'file:///etc/passwd', body: '{}' }), accept, {
      attempts: 2,
    });
    expect(notHttp.error).toMatch(/^BAD_URL: /);
  });

  it('with loopback allow-listed (NOTIFY_ALLOW_PRIVATE), the robot is called and the alert is sent', async () => {
    calls = 0;
    const channel = new DingTalkChannel({ allowPrivate: '127.0.0.1/32', attempts: 1 });
    const result = await channel.send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${receiver.url}/robot/send?access_token=t`,
    });
    expect(result).toMatchObject({ status: 'sent', attempts: 1 });
    expect(calls).toBe(1);
  });
});
