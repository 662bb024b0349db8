import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { config } from '../../core/config.js';
import { NotifyDeadLetterStore } from '../../notify/dead-letters.js';
import { Dispatcher } from '../../notify/dispatcher.js';
import { EmailChannel } from '../../notify/email.channel.js';
import { InAppChannel } from '../../notify/in-app.channel.js';
import { SseHub } from '../../notify/sse-hub.js';
import type { NotificationRecord } from '../../notify/types.js';
import { WebhookChannel } from '../../notify/webhook.channel.js';
import { WeComChannel } from '../../notify/wecom.channel.js';
import { testPrefix } from '../support/ids.js';
import { json, sampleNotice, startServer, type LocalServer } from './notify-support.js';

describe('dispatcher', () => {
  let redis: Redis;
  let smtp: SMTPServer;
  let smtpPort: number;
  let wecom: LocalServer;
  const mails: string[] = [];

  beforeAll(async () => {
    redis = new Redis(config().REDIS_URL);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        stream.on('data', () => undefined);
        stream.on('end', () => {
          mails.push(session.envelope.rcptTo.map((r) => r.address).join(','));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    wecom = await startServer((_req, res) => json(res, 200, { errcode: 0, errmsg: 'ok' }));
  });
  afterAll(async () => {
    await wecom.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await redis.quit();
  });

  it('when the webhook is down, email, WeCom and in-app are still delivered, with a result per channel', async () => {
    const prefix = testPrefix('notify');
    const deadLetters = new NotifyDeadLetterStore(redis, prefix);
    const hub = new SseHub(redis, { prefix });
    const email = new EmailChannel({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, attempts: 1 });
    const streamed: NotificationRecord[] = [];
    const dispatcher = new Dispatcher({
      channels: {
        webhook: new WebhookChannel({ deadLetters, attempts: 2, backoffMs: 10 }),
        email,
        wecom: new WeComChannel({ attempts: 1 }),
        in_app: new InAppChannel(hub),
      },
      onResult: (record) => streamed.push(record),
    });
    const down = await startServer(() => undefined);
    const downUrl = down.url;
    await down.close();
    const notice = sampleNotice({ alertIds: ['alert-42'] });

    try {
      const records = await dispatcher.dispatch(notice, [
        { channel: 'webhook', url: `${downUrl}/hook` },
        { channel: 'email', to: ['county@bureau.test'] },
        { channel: 'wecom', url: `${wecom.url}/cgi-bin/webhook/send?key=secret-key` },
        { channel: 'in_app' },
        { channel: 'dingtalk', url: 'http://127.0.0.1:1/robot/send?access_token=t' },
      ]);
      expect(records.map((r) => [r.channel, r.status])).toEqual([
        ['webhook', 'dead_lettered'],
        ['email', 'sent'],
        ['wecom', 'sent'],
        ['in_app', 'sent'],
        ['dingtalk', 'failed'],
      ]);
      expect(records[0]!.error).toMatch(/ECONNREFUSED/);
      expect(records[4]!.error).toBe('NOTIFY_NO_CHANNEL: dingtalk');
      expect(records[2]!.recipient).toBe(`${wecom.url}/cgi-bin/webhook/send`);
      expect(records.every((r) => !Number.isNaN(Date.parse(r.sent_at)))).toBe(true);
      expect(streamed).toHaveLength(5);
      expect(mails).toEqual(['county@bureau.test']);
      expect(await deadLetters.count()).toBe(1);
      expect((await hub.since('0-0', { scope: { city: '330100' } })).map((e) => e.notice.alertIds)).toEqual([
        ['alert-42'],
      ]);
    } finally {
      email.close();
      await deadLetters.clear();
      await redis.del(hub.streamKey);
    }
  });
});
