/** A real local SMTP server (smtp-server) that keeps what it receives, for alert email tests. */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpInbox {
  url: string;
  mails: Array<{ to: string[]; mail: ParsedMail; at: number }>;
  /** Resolves once `count` mails arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Recipients the inbox refuses for good (`550 mailbox unavailable`), as a real server refuses an unknown user. */
export const BOUNCING_RECIPIENT = /^bounce@/;

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const mails: SmtpInbox['mails'] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (!BOUNCING_RECIPIENT.test(address.address)) return callback();
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail, at: Date.now() });
          for (const w of waiters.filter((w) => mails.length >= w.count)) w.resolve();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    waitFor: (count) =>
      mails.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
