import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { aggregateDigests } from '../../notify/digest.js';
import { EmailChannel } from '../../notify/email.channel.js';
import { sampleNotice } from './notify-support.js';

describe('email channel over a real local SMTP server', () => {
  const inbox: Array<{ to: string[]; mail: ParsedMail }> = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@nowhere.test')) {
          callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (mail) => {
            inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const channel = (): EmailChannel =>
    new EmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'Argus <argus@bureau.test>',
      attempts: 2,
      backoffMs: 10,
    });

  it('delivers a digest with a bilingual subject, text and HTML listing every alert', async () => {
    const digest = aggregateDigests(
      [
        { notice: sampleNotice({ alertIds: ['a-1'], title: '店铺甲宣称最佳' }), at: '2025-03-01T10:01:00Z' },
        {
          notice: sampleNotice({ alertIds: ['a-2'], title: '店铺乙宣称国家级', url: 'http://b.test/' }),
          at: '2025-03-01T10:20:00Z',
        },
      ],
      { intervalMs: 3_600_000 },
    )[0]!;
    const email = channel();
    const result = await email.send(digest, { channel: 'email', to: ['inspector@bureau.test'] });
    email.close();
    expect(result).toEqual({ status: 'sent', attempts: 1 });
    expect(inbox).toHaveLength(1);
    const { to, mail } = inbox[0]!;
    expect(to).toEqual(['inspector@bureau.test']);
    expect(mail.subject).toContain('预警汇总 2 条预警/2 alerts');
    expect(mail.subject).toContain('绝对化用语 Absolute terms');
    expect(mail.text).toContain('店铺甲宣称最佳');
    expect(mail.text).toContain('店铺乙宣称国家级');
    expect(mail.text).toContain('法律依据: 《广告法》第九条第三项');
    expect(mail.text).toContain('Legal basis: 《广告法》第九条第三项');
    expect(mail.html).toContain('<a href="http://b.test/">店铺乙宣称国家级</a>');
    expect(mail.html).toContain('Alert digest');
    expect(mail.headers.get('x-argus-alerts')).toBe('a-1,a-2');
  });

  it('escapes HTML in notice text', async () => {
    inbox.length = 0;
    const email = channel();
    await email.send(sampleNotice({ title: '<script>alert(1)</script>' }), {
      channel: 'email',
      to: ['x@bureau.test'],
    });
    email.close();
    expect(inbox[0]!.mail.html).not.toContain('<script>');
    expect(inbox[0]!.mail.html).toContain('&lt;script&gt;');
  });

  it('when the server refuses the recipient with 550, fails at once with the SMTP code', async () => {
    const email = channel();
    const result = await email.send(sampleNotice(), { channel: 'email', to: ['ghost@nowhere.test'] });
    email.close();
    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(1);
    expect(result.error).toMatch(/^SMTP_550/);
  });

  it('when no SMTP server listens, retries then fails with the connection error', async () => {
    const email = new EmailChannel({
      smtpUrl: 'smtp://127.0.0.1:1',
      attempts: 2,
      backoffMs: 10,
      timeoutMs: 2_000,
    });
    const result = await email.send(sampleNotice(), { channel: 'email', to: ['x@bureau.test'] });
    email.close();
    expect(result).toMatchObject({ status: 'failed', attempts: 2 });
    expect(result.error).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
  });
});
