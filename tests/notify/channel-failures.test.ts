/**
 * Failure and retry of the channels the other notify suites leave out: SMTP temporary refusals,
 * WeCom rate limits and server errors, DingTalk 5xx, WeCom and DingTalk endpoints that are down, and
 * in-app when Redis is gone. Real local servers throughout.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { DingTalkChannel } from '../../notify/dingtalk.channel.js';
import { EmailChannel } from '../../notify/email.channel.js';
import { InAppChannel } from '../../notify/in-app.channel.js';
import { SseHub } from '../../notify/sse-hub.js';
import { WeComChannel } from '../../notify/wecom.channel.js';
import { json, sampleNotice, startServer, type LocalServer } from './notify-support.js';

describe('email: temporary SMTP refusals', () => {
  let server: SMTPServer;
  let port: number;
  let refusals = 0;
  let delivered = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      onRcptTo(_address, _session, callback) {
        if (refusals-- > 0) {
          callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
          return;
        }
        callback();
      },
      onData(stream, _session, callback) {
        stream.on('end', () => {
          delivered++;
          callback();
        });
        stream.resume();
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a 451 is retried with back-off and the message goes through on the next try', async () => {
    refusals = 1;
    delivered = 0;
    const email = new EmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, attempts: 3, backoffMs: 10 });
    const result = await email.send(sampleNotice(), { channel: 'email', to: ['inspector@bureau.test'] });
    email.close();
    expect(result).toEqual({ status: 'sent', attempts: 2 });
    expect(delivered).toBe(1);
  });

  it('when 451 persists past the last try, fails with the SMTP code after every attempt', async () => {
    refusals = 10;
    delivered = 0;
    const email = new EmailChannel({ smtpUrl: `smtp://127.0.0.1:${port}`, attempts: 3, backoffMs: 10 });
    const result = await email.send(sampleNotice(), { channel: 'email', to: ['inspector@bureau.test'] });
    email.close();
    expect(result).toMatchObject({ status: 'failed', attempts: 3 });
    expect(result.error).toMatch(/^SMTP_451/);
    expect(delivered).toBe(0);
  });
});

describe('robots: rate limits, server errors and endpoints that are down', () => {
  let robot: LocalServer;
  const answers: Array<[number, unknown]> = [];
  let requests = 0;

  beforeAll(async () => {
    robot = await startServer((_req, res) => {
      requests++;
      const [status, body] = answers.shift() ?? [200, { errcode: 0, errmsg: 'ok' }];
      if (typeof body !== 'string') return json(res, status, body);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    });
  });
  afterAll(async () => robot.close());

  const reset = (...next: Array<[number, unknown]>): void => {
    answers.length = 0;
    answers.push(...next);
    requests = 0;
  };

  it('WeCom: 45009 (rate limit) and a 502 are retried until accepted', async () => {
    reset([200, { errcode: 45009, errmsg: 'api freq out of limit' }], [502, 'bad gateway']);
    const wecom = new WeComChannel({ attempts: 3, backoffMs: 10 });
    const result = await wecom.send(sampleNotice(), {
      channel: 'wecom',
      url: `${robot.url}/cgi-bin/webhook/send?key=k`,
    });
    expect(result).toEqual({ status: 'sent', attempts: 3 });
    expect(requests).toBe(3);
  });

  it('DingTalk: a 503 is retried; an answer that is not JSON counts as a retryable failure', async () => {
    reset([503, 'unavailable'], [200, 'not json'], [503, 'unavailable']);
    const ding = new DingTalkChannel({ attempts: 3, backoffMs: 10 });
    const result = await ding.send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${robot.url}/robot/send?access_token=t`,
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 3 });
    expect(result.error).toMatch(/^HTTP_503/);
    expect(requests).toBe(3);
  });

  it('WeCom and DingTalk: connection refused is retried, then reported failed without a token in the error', async () => {
    const down = await startServer(() => undefined);
    const url = down.url;
    await down.close();
    const wecom = await new WeComChannel({ attempts: 2, backoffMs: 10 }).send(sampleNotice(), {
      channel: 'wecom',
      url: `${url}/cgi-bin/webhook/send?key=secret-key`,
    });
    const ding = await new DingTalkChannel({ attempts: 2, backoffMs: 10 }).send(sampleNotice(), {
      channel: 'dingtalk',
      url: `${url}/robot/send?access_token=secret-token`,
    });
    for (const result of [wecom, ding]) {
      expect(result).toMatchObject({ status: 'failed', attempts: 2 });
      expect(result.error).toMatch(/^ECONNREFUSED/);
      expect(result.error).not.toMatch(/secret-(key|token)/);
    }
  });
});

describe('in-app when Redis is gone', () => {
  it('reports a failed delivery with NOTIFY_IN_APP instead of throwing', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const channel = new InAppChannel(new SseHub(redis, { prefix: 'gone' }));
    const result = await channel.send(sampleNotice());
    redis.disconnect();
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.error).toMatch(/^NOTIFY_IN_APP: /);
  });
});
